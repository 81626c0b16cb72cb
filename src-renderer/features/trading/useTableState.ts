import { useReducer, useState, type Dispatch } from 'react'
import { initialTable, tableReducer, type TableEvent, type TableState } from './tableNav'

/** Row DOM ids moved to the shared DataGrid; re-exported for the trading tables. */
export { rowDomId } from '../../ui/DataGrid'

/**
 * A table's selection and inline editor (tableNav's reducer). When the rows change, a selected row that
 * left because of the table's own action hands the selection to its neighbour (one that left on its own
 * clears it): adjusted while rendering, so no frame shows a stale selection.
 */
export function useTableState(ids: readonly string[]): [TableState, Dispatch<TableEvent>] {
  const [state, dispatch] = useReducer(tableReducer, initialTable)
  const key = ids.join('\n')
  const [seen, setSeen] = useState<{ key: string; ids: readonly string[] }>({ key, ids })
  if (seen.key !== key) {
    setSeen({ key, ids })
    dispatch({ type: 'rows', ids, previous: seen.ids })
  }
  return [state, dispatch]
}

import type { KeyboardEvent, ReactNode, RefObject } from 'react'
import { rowDomId } from './useTableState'

// The frame every Orders-page table shares: a scroller, a keyboard grid table whose active row follows the
// selection, one header row, and a single row saying why the table is empty.

export interface GridColumn {
  label: string
  /** Right-aligned numeric column. */
  num?: boolean
}

interface OrdersGridProps {
  id: string
  label: string
  testId: string
  /** Prefix of the rows' DOM ids (rowDomId), so aria-activedescendant can point at the selected row. */
  rowKind: string
  selected: string | null
  onKeyDown: (event: KeyboardEvent<HTMLTableElement>) => void
  scroller: RefObject<HTMLDivElement | null>
  columns: readonly GridColumn[]
  /** Shown as the only row when there are none; null when there are rows. */
  empty: ReactNode | null
  children: ReactNode
}

export function OrdersGrid({ id, label, testId, rowKind, selected, onKeyDown, scroller, columns, empty, children }: OrdersGridProps) {
  return (
    <div className="scroll" ref={scroller}>
      <table
        id={id}
        className="grid-table selectable orders-table"
        role="grid"
        aria-label={label}
        aria-activedescendant={selected ? rowDomId(rowKind, selected) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {empty !== null ? (
            <tr className="orders-empty">
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  )
}

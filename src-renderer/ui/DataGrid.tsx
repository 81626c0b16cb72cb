import type { KeyboardEvent, ReactNode, RefObject } from 'react'

// The frame every keyboard table shares (orders, copy trading, portfolio): a scroller, a `role=grid` table
// whose active row follows the selection, one header row from the columns, and a single row saying why the
// table is empty. The rows, their keys and the table's look (className) are the caller's.

/** DOM-safe id of a row: `${prefix}-${id}` with anything but letters and digits replaced. */
export const rowDomId = (prefix: string, id: string) => `${prefix}-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`

export interface GridColumn {
  label: string
  /** Right-aligned numeric column. */
  num?: boolean
  /** The header's title: what the column's figure means, when its label cannot say it all. */
  title?: string
}

export interface DataGridProps {
  id: string
  label: string
  testId: string
  /** Classes of the table after `grid-table selectable` (its look, e.g. `orders-table`). */
  className: string
  /** Class of the empty-state row. */
  emptyClassName: string
  /** Prefix of the rows' DOM ids (rowDomId), so aria-activedescendant can point at the selected row. */
  rowKind: string
  /** The selected row's id; null when none (or when it is not among the rows). */
  selected: string | null
  onKeyDown: (event: KeyboardEvent<HTMLTableElement>) => void
  scroller: RefObject<HTMLDivElement | null>
  columns: readonly GridColumn[]
  /** Shown as the only row when there are none; null when there are rows. */
  empty: ReactNode | null
  children: ReactNode
  /** The table is what a workspace view focuses (data-view-focus). */
  viewFocus?: boolean
  /** Said to screen readers when it changes (a polite status under the table), e.g. why the selection went. */
  notice?: string | null
}

export function DataGrid(props: DataGridProps) {
  const { id, label, testId, className, emptyClassName, rowKind, selected, onKeyDown, scroller, columns, empty, children, viewFocus, notice } = props
  return (
    <div className="scroll" ref={scroller}>
      <table
        id={id}
        className={`grid-table selectable ${className}`}
        role="grid"
        aria-label={label}
        aria-activedescendant={selected ? rowDomId(rowKind, selected) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid={testId}
        data-view-focus={viewFocus || undefined}
      >
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined} title={c.title}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {empty !== null ? (
            <tr className={emptyClassName}>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
      {notice !== undefined ? (
        <p className="visually-hidden" role="status" data-testid={`${testId}-notice`}>
          {notice ?? ''}
        </p>
      ) : null}
    </div>
  )
}

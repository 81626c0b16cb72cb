import { DataGrid, type DataGridProps, type GridColumn } from '../../ui/DataGrid'

export type { GridColumn } from '../../ui/DataGrid'

/** The shared DataGrid with the orders tables' look (also the copy-trading page's tables). */
export function OrdersGrid(props: Omit<DataGridProps, 'className' | 'emptyClassName'>) {
  return <DataGrid {...props} className="orders-table" emptyClassName="orders-empty" />
}

/** What an orders table shows and how it names itself (the Orders page's tables, and the workspace's "My orders" view). */
export interface OrderTableProps<T> {
  rows: readonly T[]
  /** The table's element id (unique on the screen: the focus and amend code find it by id). */
  tableId: string
  /** Row ids are `${rowKind}-…`: unique per table on the screen. */
  rowKind: string
  /** Shown as a workspace view on one market: no account and market columns, and the view focuses the table. */
  inView?: boolean
}

/** The account and market columns; none in a view on one market. */
export const whereColumns = (inView: boolean): GridColumn[] => (inView ? [] : [{ label: 'Account' }, { label: 'Market' }])

/** A row's account and market cells (see whereColumns). */
export function WhereCells({ account, title, symbol, inView }: { account: string; title: string; symbol: string; inView: boolean }) {
  if (inView) return null
  return (
    <>
      <td className="ellipsis" title={title}>
        {account}
      </td>
      <td className="nowrap">{symbol}</td>
    </>
  )
}

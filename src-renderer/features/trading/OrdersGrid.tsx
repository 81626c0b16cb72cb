import { DataGrid, type DataGridProps } from '../../ui/DataGrid'

export type { GridColumn } from '../../ui/DataGrid'

/** The shared DataGrid with the orders tables' look (also the copy-trading page's tables). */
export function OrdersGrid(props: Omit<DataGridProps, 'className' | 'emptyClassName'>) {
  return <DataGrid {...props} className="orders-table" emptyClassName="orders-empty" />
}

import { useRef, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useSelectedInView } from '../../ui/useRowKeys'
import { useTimeFormat } from '../../app/useTimeFormat'
import { isCancelable, orderStatusLabel, shortId } from './labels'
import { forVenue } from './ordersModel'
import { useOrders, type OrderView } from './ordersStore'
import { amendInput, keyIntent, leftNotice } from './tableNav'
import { AmendField } from './AmendField'
import { rowDomId, useTableState } from './useTableState'
import { cancelOrder } from './tradingActions'
import { useRowEditor } from './rowEditor'
import { ORDERS_IDS } from './ticketIds'
import { OrdersGrid, whereColumns, type OrderTableProps } from './OrdersGrid'
import { OrderLeadCells } from './OrderLeadCells'
import { useMarketFormat } from './venueMarkets'

// Open orders across accounts (or one): ↑/↓ select, Delete cancels, Enter or E edits price and amount in
// the row (Enter sends the amendment, Escape drops it). Rows follow orders.changed. The table is also the
// workspace's "My orders" view, on one market.

export function OpenOrdersPanel() {
  const venueFilter = useOrders((s) => s.venueFilter)
  const all = useOrders((s) => s.open)
  const rows = forVenue(all, venueFilter)
  const tools = (
    <span className="muted" data-testid="open-orders-count">
      {rows.length} open
    </span>
  )
  return (
    <Panel title="Open orders" tools={tools} testId="panel-open-orders">
      <OpenOrdersTable rows={rows} tableId={ORDERS_IDS.open} rowKind="open-order" />
    </Panel>
  )
}

export function OpenOrdersTable({ rows, tableId, rowKind, inView = false }: OrderTableProps<OrderView>) {
  const status = useOrders((s) => s.status)
  const ids = rows.map((r) => r.clientOrderId)
  const [state, dispatch] = useTableState(ids)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, state.selected)
  const format = useTimeFormat()
  const fmt = useMarketFormat(rows.map((r) => r.venueId))

  const startEdit = (id: string) => {
    const row = rows.find((r) => r.clientOrderId === id)
    if (!row || !isCancelable(row.status)) return
    dispatch({ type: 'startEdit', row: { id, price: row.price, amount: row.amount } })
  }
  const { onEditorKey } = useRowEditor(state, dispatch, tableId, (edit) => {
    const input = amendInput(edit)
    if (!input) return null
    return api.invoke('orders.amend', input).then((order) => {
      useOrders.getState().orderChanged(order)
      return { select: order.clientOrderId }
    })
  }, {
    present: (id) => useOrders.getState().open.some((o) => o.clientOrderId === id),
    replaces: true,
    refusedTitle: 'Order not amended',
  })

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.defaultPrevented || onEditorKey(event)) return
    const intent = keyIntent(event, ids, state.selected, true)
    if (!intent) return
    event.preventDefault()
    if (intent.kind === 'move') dispatch({ type: 'select', id: intent.id })
    else if (intent.kind === 'cancel') {
      dispatch({ type: 'acted', id: intent.id })
      void cancelOrder(intent.id)
    }
    else startEdit(intent.id)
  }

  return (
    <>
      <OrdersGrid
        id={tableId}
        label="Open orders"
        testId="open-orders-table"
        rowKind={rowKind}
        selected={state.selected}
        notice={leftNotice(state, 'order')}
        onKeyDown={onKeyDown}
        scroller={scroller}
        viewFocus={inView}
        columns={[
          { label: 'Time' },
          ...whereColumns(inView),
          { label: 'Side' },
          { label: 'Type' },
          { label: 'Price', num: true },
          { label: 'Amount', num: true },
          { label: 'Filled', num: true },
          { label: 'Status' },
          { label: 'Id' },
        ]}
        empty={rows.length > 0 ? null : status === 'loading' ? 'Loading orders…' : 'No open orders.'}
      >
        {rows.map((o) => {
          const edit = state.edit?.id === o.clientOrderId ? state.edit : null
          const st = orderStatusLabel(o.status)
          return (
            <tr
              key={o.clientOrderId}
              id={rowDomId(rowKind, o.clientOrderId)}
              aria-selected={state.selected === o.clientOrderId}
              onMouseDown={() => !edit && dispatch({ type: 'select', id: o.clientOrderId })}
              onDoubleClick={() => startEdit(o.clientOrderId)}
              data-testid="open-order-row"
              data-client-order-id={o.clientOrderId}
              data-status={o.status}
            >
              <OrderLeadCells order={o} at={o.createdAt} format={format} inView={inView} />
              <td className="num" data-testid="order-price">
                {edit && o.price !== null ? (
                  <AmendField edit={edit} field="price" dispatch={dispatch} label="New price" testId="amend-price" />
                ) : o.price === null ? (
                  <span className="muted">market</span>
                ) : (
                  fmt.price(o.venueId, o.symbol, o.price)
                )}
              </td>
              <td className="num" data-testid="order-amount">
                {edit ? <AmendField edit={edit} field="amount" dispatch={dispatch} label="New amount" testId="amend-amount" /> : fmt.amount(o.venueId, o.symbol, o.amount)}
              </td>
              <td className="num">{fmt.amount(o.venueId, o.symbol, o.filled)}</td>
              <td className="nowrap" data-testid="order-status">
                <span className={`badge badge-${st.tone}`}>{st.text}</span>
                {edit?.sending ? <span className="muted"> amending…</span> : null}
                {edit?.error ? (
                  <span className="neg" role="alert" data-testid="amend-error">
                    {' '}
                    {edit.error}
                  </span>
                ) : o.error ? (
                  <span className="neg"> {o.error}</span>
                ) : null}
              </td>
              <td className="mono muted" title={o.clientOrderId}>
                {shortId(o.clientOrderId)}
              </td>
            </tr>
          )
        })}
      </OrdersGrid>
      <footer className="key-footer" aria-hidden="true">
        <span>
          <Kbd combo="Up" />
          <Kbd combo="Down" /> select
        </span>
        <span>
          <Kbd combo="Delete" /> cancel
        </span>
        <span>
          <Kbd combo="Enter" />/<Kbd combo="E" /> amend
        </span>
        <span>
          <Kbd combo="Esc" /> drop the amendment
        </span>
      </footer>
    </>
  )
}

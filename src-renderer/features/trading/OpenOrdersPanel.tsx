import { useRef, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useSelectedInView } from '../../ui/useRowKeys'
import { useTimeFormat } from '../../app/useTimeFormat'
import { isCancelable, orderStatusLabel, shortId } from './labels'
import { forVenue } from './ordersModel'
import { messageOf, useOrders } from './ordersStore'
import { amendInput, keyIntent, type AmendDraft, type TableEvent } from './tableNav'
import { rowDomId, useTableState } from './useTableState'
import { cancelOrder, focusId } from './tradingActions'
import { ORDERS_IDS } from './ticketIds'
import { OrdersGrid } from './OrdersGrid'
import { OrderLeadCells } from './OrderLeadCells'
import { useMarketFormat } from './venueMarkets'

// Open orders across accounts (or one): ↑/↓ select, Delete cancels, Enter or E edits price and amount in
// the row (Enter sends the amendment, Escape drops it). Rows follow orders.changed.

export function OpenOrdersPanel() {
  const venueFilter = useOrders((s) => s.venueFilter)
  const all = useOrders((s) => s.open)
  const status = useOrders((s) => s.status)
  const rows = forVenue(all, venueFilter)
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
  const sendEdit = async (edit: AmendDraft) => {
    const input = amendInput(edit)
    if (!input) {
      dispatch({ type: 'cancelEdit' })
      focusId(ORDERS_IDS.open)
      return
    }
    dispatch({ type: 'sending' })
    try {
      const order = await api.invoke('orders.amend', input)
      useOrders.getState().orderChanged(order)
      dispatch({ type: 'sent' })
      dispatch({ type: 'select', id: order.clientOrderId })
      focusId(ORDERS_IDS.open)
    } catch (err) {
      dispatch({ type: 'failed', error: messageOf(err) })
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.defaultPrevented) return
    if (state.edit) {
      // Keys typed in the editor are the editor's; only Enter and Escape are taken here.
      if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault()
        if (!state.edit.sending) void sendEdit(state.edit)
      } else if (event.key === 'Escape') {
        event.preventDefault()
        dispatch({ type: 'cancelEdit' })
        focusId(ORDERS_IDS.open)
      }
      return
    }
    const intent = keyIntent(event, ids, state.selected, true)
    if (!intent) return
    event.preventDefault()
    if (intent.kind === 'move') dispatch({ type: 'select', id: intent.id })
    else if (intent.kind === 'cancel') void cancelOrder(intent.id)
    else startEdit(intent.id)
  }

  const tools = (
    <span className="muted" data-testid="open-orders-count">
      {rows.length} open
    </span>
  )
  return (
    <Panel title="Open orders" tools={tools} testId="panel-open-orders">
      <OrdersGrid
        id={ORDERS_IDS.open}
        label="Open orders"
        testId="open-orders-table"
        rowKind="open-order"
        selected={state.selected}
        onKeyDown={onKeyDown}
        scroller={scroller}
        columns={[
          { label: 'Time' },
          { label: 'Account' },
          { label: 'Market' },
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
              id={rowDomId('open-order', o.clientOrderId)}
              aria-selected={state.selected === o.clientOrderId}
              onMouseDown={() => !edit && dispatch({ type: 'select', id: o.clientOrderId })}
              onDoubleClick={() => startEdit(o.clientOrderId)}
              data-testid="open-order-row"
              data-client-order-id={o.clientOrderId}
              data-status={o.status}
            >
              <OrderLeadCells order={o} at={o.createdAt} format={format} />
              <td className="num" data-testid="order-price">
                {edit && o.price !== null ? (
                  <EditCell edit={edit} field="price" dispatch={dispatch} />
                ) : o.price === null ? (
                  <span className="muted">market</span>
                ) : (
                  fmt.price(o.venueId, o.symbol, o.price)
                )}
              </td>
              <td className="num" data-testid="order-amount">
                {edit ? <EditCell edit={edit} field="amount" dispatch={dispatch} /> : fmt.amount(o.venueId, o.symbol, o.amount)}
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
    </Panel>
  )
}

function EditCell({ edit, field, dispatch }: { edit: AmendDraft; field: 'price' | 'amount'; dispatch: (e: TableEvent) => void }) {
  return (
    <input
      className="input input-number orders-edit"
      aria-label={field === 'price' ? 'New price' : 'New amount'}
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      // The field the editor opened on (or was last typed in) has focus.
      autoFocus={edit.field === field}
      value={edit[field]}
      readOnly={edit.sending}
      onFocus={(e) => {
        e.target.select()
        if (edit.field !== field) dispatch({ type: 'focusField', field })
      }}
      onChange={(e) => dispatch({ type: 'editField', field, value: e.target.value })}
      data-testid={`amend-${field}`}
    />
  )
}

import { useRef, type KeyboardEvent } from 'react'
import { Panel } from '../../ui/Panel'
import { useSelectedInView } from '../../ui/useRowKeys'
import { formatDecimal } from '../../ui/decimal'
import { formatDateTime, formatRowTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { orderStatusLabel, shortId } from './labels'
import { useOrders, type FillView, type OrderView } from './ordersStore'
import { useScopedLists } from './scopedStore'
import { FillsCapNote, HistoryCapNote } from './ListCapNote'
import { keyIntent, type TableEvent } from './tableNav'
import { rowDomId, useTableState } from './useTableState'
import { OrderLeadCells } from './OrderLeadCells'
import { ORDERS_IDS } from './ticketIds'
import { OrdersGrid, whereColumns, WhereCells, type OrderTableProps } from './OrdersGrid'
import { useMarketFormat } from './venueMarkets'
import { useVenues } from '../markets/venuesStore'

// Order history (orders that are done: filled, canceled, rejected, expired, lost) and fills, newest first,
// following orders.changed and fills.recorded. ↑/↓ move through the rows.

function moveOnly(ids: readonly string[], selected: string | null, dispatch: (e: TableEvent) => void) {
  return (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.defaultPrevented) return
    const intent = keyIntent(event, ids, selected, false)
    if (intent?.kind !== 'move') return
    event.preventDefault()
    dispatch({ type: 'select', id: intent.id })
  }
}

const originText = (o: OrderView) => (o.origin.kind === 'manual' ? 'ticket' : o.origin.kind)

export function HistoryPanel() {
  const venueFilter = useOrders((s) => s.venueFilter)
  // Asked of the engine for the account filtered on: the shared list holds the newest of all accounts only.
  const lists = useScopedLists({ venueId: venueFilter })
  const rows = lists?.history ?? []
  const ids = rows.map((r) => r.clientOrderId)
  const [state, dispatch] = useTableState(ids)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, state.selected)
  const format = useTimeFormat()
  const fmt = useMarketFormat(rows.map((r) => r.venueId))
  return (
    <Panel title="Order history" tools={<HistoryCapNote lists={lists} />} testId="panel-order-history">
      <OrdersGrid
        id={ORDERS_IDS.history}
        label="Order history"
        testId="order-history-table"
        rowKind="history"
        selected={state.selected}
        onKeyDown={moveOnly(ids, state.selected, dispatch)}
        scroller={scroller}
        columns={[
          { label: 'Updated' },
          { label: 'Account' },
          { label: 'Market' },
          { label: 'Side' },
          { label: 'Type' },
          { label: 'Price', num: true },
          { label: 'Avg fill', num: true },
          { label: 'Filled / amount', num: true },
          { label: 'Status' },
          { label: 'From' },
          { label: 'Id' },
        ]}
        empty={rows.length > 0 ? null : lists?.status === 'ready' ? 'No finished orders yet.' : lists?.status === 'error' ? `Order history not loaded: ${lists.error ?? ''}` : 'Loading orders…'}
      >
        {rows.map((o) => {
          const st = orderStatusLabel(o.status)
          return (
            <tr
              key={o.clientOrderId}
              id={rowDomId('history', o.clientOrderId)}
              aria-selected={state.selected === o.clientOrderId}
              onMouseDown={() => dispatch({ type: 'select', id: o.clientOrderId })}
              data-testid="history-row"
              data-client-order-id={o.clientOrderId}
              data-status={o.status}
            >
              <OrderLeadCells order={o} at={o.updatedAt} format={format} />
              <td className="num">{o.price === null ? <span className="muted">market</span> : fmt.price(o.venueId, o.symbol, o.price)}</td>
              <td className="num" title={o.avgPrice ?? undefined} data-testid="history-avg">
                {o.avgPrice === null ? <span className="muted">—</span> : fmt.avgPrice(o.venueId, o.symbol, o.avgPrice)}
              </td>
              <td className="num">
                {fmt.amount(o.venueId, o.symbol, o.filled)} / {fmt.amount(o.venueId, o.symbol, o.amount)}
              </td>
              <td className="orders-status" data-testid="history-status">
                <span className={`badge badge-${st.tone}`}>{st.text}</span>
                {o.error ? <span className="neg"> {o.error}</span> : null}
              </td>
              <td className="muted">{originText(o)}</td>
              <td className="mono muted" title={o.clientOrderId}>
                {shortId(o.clientOrderId)}
              </td>
            </tr>
          )
        })}
      </OrdersGrid>
    </Panel>
  )
}

const fillId = (f: FillView) => `${f.venueId}|${f.symbol}|${f.tradeId}`

export function FillsPanel() {
  const venueFilter = useOrders((s) => s.venueFilter)
  const lists = useScopedLists({ venueId: venueFilter })
  const rows = lists?.fills ?? []
  return (
    <Panel title="Fills" tools={<FillsCapNote lists={lists} />} testId="panel-fills">
      <FillsTable rows={rows} tableId={ORDERS_IDS.fills} rowKind="fill" />
    </Panel>
  )
}

/** Fills, newest first (the Orders page's, and the workspace's "My orders" view on one market). */
export function FillsTable({ rows, tableId, rowKind, inView = false }: OrderTableProps<FillView>) {
  const venues = useVenues((s) => s.venues)
  const labelOf = (venueId: string) => venues.find((v) => v.id === venueId)?.label ?? venueId
  const ids = rows.map(fillId)
  const [state, dispatch] = useTableState(ids)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, state.selected)
  const format = useTimeFormat()
  const fmt = useMarketFormat(rows.map((r) => r.venueId))
  return (
    <OrdersGrid
      id={tableId}
      label="Fills"
      testId="fills-table"
      rowKind={rowKind}
      selected={state.selected}
      onKeyDown={moveOnly(ids, state.selected, dispatch)}
      scroller={scroller}
      viewFocus={inView}
      columns={[
        { label: 'Time' },
        ...whereColumns(inView),
        { label: 'Side' },
        { label: 'Price', num: true },
        { label: 'Amount', num: true },
        { label: 'Fee', num: true },
        { label: 'Liquidity' },
        { label: 'Order' },
      ]}
      empty={rows.length === 0 ? 'No fills yet.' : null}
    >
      {rows.map((f) => {
        const id = fillId(f)
        return (
          <tr
            key={id}
            id={rowDomId(rowKind, id)}
            aria-selected={state.selected === id}
            onMouseDown={() => dispatch({ type: 'select', id })}
            data-testid="fill-row"
            data-client-order-id={f.clientOrderId ?? ''}
            data-trade-id={f.tradeId}
          >
            <td className="nowrap" title={format ? formatDateTime(f.timestamp, format) : undefined}>
              {format ? formatRowTime(f.timestamp, format) : ''}
            </td>
            <WhereCells account={labelOf(f.venueId)} title={f.venueId} symbol={f.symbol} inView={inView} />
            <td className={f.side === 'buy' ? 'pos' : 'neg'}>{f.side}</td>
            <td className="num" data-testid="fill-price">
              {fmt.price(f.venueId, f.symbol, f.price)}
            </td>
            <td className="num" data-testid="fill-amount">
              {fmt.amount(f.venueId, f.symbol, f.amount)}
            </td>
            <td className="num">
              {formatDecimal(f.feeAmount)} <span className="muted">{f.feeAsset}</span>
            </td>
            <td className="muted">{f.liquidity}</td>
            <td className="mono muted" title={f.clientOrderId ?? f.venueOrderId}>
              {shortId(f.clientOrderId ?? f.venueOrderId)}
            </td>
          </tr>
        )
      })}
    </OrdersGrid>
  )
}

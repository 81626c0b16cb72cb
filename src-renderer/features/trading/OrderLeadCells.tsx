import { formatDateTime, formatRowTime, type TimeFormat } from '../../ui/format'
import type { OrderView } from './ordersStore'
import { WhereCells } from './OrdersGrid'

// The cells an order row starts with, the same in the open-orders and history tables: time, account,
// market, side and order type.

export function orderTypeText(o: Pick<OrderView, 'type' | 'timeInForce' | 'postOnly'> & { trigger?: OrderView['trigger'] }): string {
  // A stop / take-profit held on the exchange until its trigger price trades.
  const held = o.trigger ? `${o.trigger.kind === 'stop-loss' ? 'stop' : 'take-profit'} at ${o.trigger.price} · on exchange · ` : ''
  if (o.type === 'market') return `${held}market`
  return held + (o.postOnly ? 'limit · post-only' : `limit · ${o.timeInForce}`)
}

/** Time (`at`, ms), account, market, side and type cells of an order row; `inView` (a view on one market): no account and market cells. */
export function OrderLeadCells({ order: o, at, format, inView = false }: { order: OrderView; at: number; format: TimeFormat | null; inView?: boolean }) {
  return (
    <>
      <td className="nowrap" title={format ? formatDateTime(at, format) : undefined}>
        {format ? formatRowTime(at, format) : ''}
      </td>
      <WhereCells account={o.venueLabel} title={o.venueLabel} symbol={o.symbol} inView={inView} />
      <td className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side}</td>
      <td className="nowrap">{orderTypeText(o)}</td>
    </>
  )
}

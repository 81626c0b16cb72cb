import { formatDecimal } from '../../ui/decimal'
import { conditionalKindShort, isCancelable } from '../trading/labels'
import type { AlertView, ConditionalView, OrderView } from '../../../src-main/api/contract'

// The user's orders on a market's candle chart, as horizontal price lines (a trading terminal's order
// lines): each resting limit order at its price, each armed or waiting conditional order at its trigger
// (a trailing stop's moves as its reference does), from the engine's order and conditional lists. Pure,
// so it is tested in Node; useOrderLines draws them.

export interface OrderLine {
  /** Stable across updates: the client order id or the conditional leg id. */
  id: string
  /** Chart values are plain numbers (house rule 7). */
  price: number
  side: 'buy' | 'sell'
  /** A resting order (solid), a trigger that has not fired (dashed) or a price alert (dotted). */
  style: 'order' | 'trigger' | 'alert'
  /** The label on the price axis: 'Buy 0.01', 'Stop sell 0.5', 'TP sell 0.5 (exchange)'. */
  title: string
  /** What dragging the line moves: an order's price, a stop's or take-profit's trigger, an alert's level; null: not draggable (a trailing stop). */
  drag: 'price' | 'trigger' | 'alert' | null
  /** A stop-limit's or take-profit-limit's trigger and limit as the engine has them (a drag moves both). */
  limit?: { trigger: string; price: string }
  /** A conditional order's trigger as the engine has it: a drag sends it as the term it moves from. */
  trigger?: string
}

/** The lines for one venue and market: resting orders with a price, then live triggers. */
export function orderLines(open: readonly OrderView[], conditional: readonly ConditionalView[], venueId: string, symbol: string): OrderLine[] {
  const lines: OrderLine[] = []
  for (const o of open) {
    if (o.venueId !== venueId || o.symbol !== symbol || o.price === null || !isCancelable(o.status)) continue
    const price = Number(o.price)
    if (!Number.isFinite(price)) continue
    lines.push({ id: o.clientOrderId, price, side: o.side, style: 'order', title: `${o.side === 'buy' ? 'Buy' : 'Sell'} ${formatDecimal(o.amount)}`, drag: 'price' })
  }
  for (const c of conditional) {
    if (c.venueId !== venueId || c.symbol !== symbol || c.triggerPrice === null) continue
    if (c.status !== 'armed' && c.status !== 'waiting') continue
    const price = Number(c.triggerPrice)
    if (!Number.isFinite(price)) continue
    // A bracket exit waiting for its entry has no amount yet: it is sized to the fill.
    const amount = /^0*(\.0*)?$/.test(c.amount) ? 'on fill' : formatDecimal(c.amount)
    const where = c.placement === 'exchange' ? ' (exchange)' : ''
    lines.push({
      id: c.id,
      price,
      side: c.side,
      style: 'trigger',
      title: `${conditionalKindShort[c.kind]} ${c.side} ${amount}${where}`,
      drag: c.kind === 'trailing-stop' ? null : 'trigger',
      trigger: c.triggerPrice,
      ...(c.limitPrice !== null && c.kind !== 'trailing-stop' ? { limit: { trigger: c.triggerPrice, price: c.limitPrice } } : {}),
    })
  }
  return lines
}

/** The market's active price alerts as lines at their levels: 'Alert ≥ 95,000' (rises to) or 'Alert ≤ …'. */
export function alertLines(active: readonly AlertView[], venueId: string, symbol: string): OrderLine[] {
  const lines: OrderLine[] = []
  for (const a of active) {
    if (a.venueId !== venueId || a.symbol !== symbol || a.status !== 'active') continue
    const price = Number(a.price)
    if (!Number.isFinite(price)) continue
    // side only picks no colour here (alerts are drawn in the accent colour); kept for the shape.
    lines.push({ id: a.id, price, side: a.condition === 'above' ? 'buy' : 'sell', style: 'alert', title: `Alert ${a.condition === 'above' ? '≥' : '≤'} ${formatDecimal(a.price)}`, drag: 'alert' })
  }
  return lines
}

/** Lines out of the chart's visible price range: above its top, below its bottom, nearest first. */
export interface OffRange {
  above: OrderLine[]
  below: OrderLine[]
}

/**
 * Which lines the chart cannot show at its current scale (`yOf`: the price's y in the pane, null when it
 * has none; `height`: the pane's height), so that the screen can say they are there.
 */
export function offRangeLines(lines: readonly OrderLine[], yOf: (price: number) => number | null, height: number): OffRange {
  const above: OrderLine[] = []
  const below: OrderLine[] = []
  for (const l of lines) {
    const y = yOf(l.price)
    if (y === null) continue
    if (y < 0) above.push(l)
    else if (y > height) below.push(l)
  }
  above.sort((a, b) => a.price - b.price)
  below.sort((a, b) => b.price - a.price)
  return { above, below }
}

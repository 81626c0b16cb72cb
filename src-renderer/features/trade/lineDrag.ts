import { decimalsOf, shiftBy, signOf } from '../../ui/decimal'
import type { OrderLine } from './orderLines'

// Dragging an order line on the candle chart to a new price (a terminal's drag-to-amend): which line a
// press picks up, the price a drag ends at (on the market's tick), and the engine command that moves it
// there. Pure, so it is tested in Node; useLineDrag wires it to the chart.

/** How close (px) a press must be to a line to pick it up. */
export const GRAB_PX = 5

/**
 * A price's y in the pane when the line is drawn there: lines outside the pane's price range are not drawn
 * (their edge marker names them), so they cannot be hovered or picked up where they would have been.
 */
export function drawnY(y: number | null, paneHeight: number): number | null {
  return y === null || y < 0 || y > paneHeight ? null : y
}

/** The draggable line nearest to `y` within GRAB_PX, or null. `yOf` maps a price to the pane's y (null off-scale). */
export function lineAt(lines: readonly OrderLine[], y: number, yOf: (price: number) => number | null): OrderLine | null {
  let best: OrderLine | null = null
  let bestDistance = GRAB_PX + 1e-9
  for (const l of lines) {
    if (l.drag === null) continue
    const ly = yOf(l.price)
    if (ly === null) continue
    const d = Math.abs(ly - y)
    if (d <= bestDistance) {
      best = l
      bestDistance = d
    }
  }
  return best
}

/** A price from the chart (a float) on the market's tick, as the decimal text the engine takes; null when not positive. */
export function onTick(price: number, tick: string): string | null {
  const t = Number(tick)
  if (!(t > 0) || !Number.isFinite(price)) return null
  const decimals = decimalsOf(tick)
  const k = Math.round(price / t)
  if (!(k > 0)) return null
  return (k * t).toFixed(decimals)
}

export type LineAmend =
  | { command: 'orders.amend'; input: { clientOrderId: string; price: string } }
  | { command: 'conditional.amend'; input: { id: string; triggerPrice: string; limitPrice?: string; expected?: { triggerPrice: string; limitPrice?: string } } }
  | { command: 'alerts.amend'; input: { id: string; price: string } }

/**
 * What moving `line` to `price` asks of the engine (it checks the rest: tick, crossed triggers, funds). A
 * stop-limit's limit moves with its trigger, keeping its distance; null when that would take it to zero or below.
 */
export function amendOf(line: OrderLine, price: string): LineAmend | null {
  if (line.drag === 'price') return { command: 'orders.amend', input: { clientOrderId: line.id, price } }
  if (line.drag === 'alert') return { command: 'alerts.amend', input: { id: line.id, price } }
  if (line.drag !== 'trigger') return null
  // The terms the line was drawn from go along: moved meanwhile in another window, the engine refuses.
  if (line.limit === undefined) {
    return { command: 'conditional.amend', input: { id: line.id, triggerPrice: price, ...(line.trigger === undefined ? {} : { expected: { triggerPrice: line.trigger } }) } }
  }
  const limitPrice = shiftBy(line.limit.price, line.limit.trigger, price)
  if (limitPrice === null || signOf(limitPrice) <= 0) return null
  return { command: 'conditional.amend', input: { id: line.id, triggerPrice: price, limitPrice, expected: { triggerPrice: line.limit.trigger, limitPrice: line.limit.price } } }
}

import { formatDecimal, toStep } from '../../ui/decimal'
import { baseOf } from '../trade/marketPosition'
import type {
  ConditionalKind,
  ConditionalStatus,
  ConditionalView,
  OrderStatus,
  OrderView,
  TicketPreview,
  TriggerSource,
} from '../../../src-main/api/contract'

// Words and tones for the trading screens: order and conditional statuses, kinds, trigger sources. The
// statuses themselves are the engine's; this only names them. Pure (no DOM), so it is tested in Node.

export type Tone = 'ok' | 'warn' | 'err' | 'muted' | 'accent'

const orderStatusText: Record<OrderStatus, { text: string; tone: Tone }> = {
  pending: { text: 'pending', tone: 'muted' },
  submitting: { text: 'sending', tone: 'warn' },
  open: { text: 'open', tone: 'accent' },
  'partially-filled': { text: 'partly filled', tone: 'accent' },
  filled: { text: 'filled', tone: 'ok' },
  canceling: { text: 'canceling', tone: 'warn' },
  canceled: { text: 'canceled', tone: 'muted' },
  rejected: { text: 'rejected', tone: 'err' },
  expired: { text: 'expired', tone: 'muted' },
  lost: { text: 'lost', tone: 'err' },
  'left-on-exchange': { text: 'left on exchange', tone: 'warn' },
}

/** The statuses after which nothing more happens to an order (the contract's terminalOrderStatuses). */
const terminal: Record<OrderStatus, boolean> = {
  pending: false,
  submitting: false,
  open: false,
  'partially-filled': false,
  filled: true,
  canceling: false,
  canceled: true,
  rejected: true,
  expired: true,
  lost: true,
  'left-on-exchange': true,
}

export const isTerminalStatus = (status: OrderStatus): boolean => terminal[status]

/** An order that can still be canceled or amended from the table. */
export const isCancelable = (status: OrderStatus): boolean => status === 'open' || status === 'partially-filled'

export function orderStatusLabel(status: OrderStatus): { text: string; tone: Tone } {
  return orderStatusText[status]
}

export const conditionalKindLabels: Record<ConditionalKind, string> = {
  'stop-market': 'Stop market',
  'stop-limit': 'Stop limit',
  'take-profit-market': 'Take-profit market',
  'take-profit-limit': 'Take-profit limit',
  'trailing-stop': 'Trailing stop',
}

/** Short names for table cells. */
export const conditionalKindShort: Record<ConditionalKind, string> = {
  'stop-market': 'Stop',
  'stop-limit': 'Stop limit',
  'take-profit-market': 'TP',
  'take-profit-limit': 'TP limit',
  'trailing-stop': 'Trailing',
}

const conditionalStatusTone: Record<ConditionalStatus, Tone> = {
  armed: 'accent',
  waiting: 'warn',
  triggered: 'ok',
  done: 'ok',
  canceled: 'muted',
  failed: 'err',
  'left-on-exchange': 'warn',
}

/** Armed, waiting or triggered (its order not yet done): shown among the active conditional orders. */
export const isActiveConditional = (status: ConditionalStatus): boolean =>
  status === 'armed' || status === 'waiting' || status === 'triggered'

/** "waiting: book stale: no message since 14:03:21 UTC", "armed", "failed: insufficient balance". */
export function conditionalStatusLabel(view: Pick<ConditionalView, 'status' | 'reason'>): { text: string; tone: Tone } {
  const tone = conditionalStatusTone[view.status]
  // Its reason already starts "left on the exchange: …" (the order's own words).
  if (view.status === 'left-on-exchange') return { text: view.reason ?? 'left on the exchange', tone }
  return { text: view.reason ? `${view.status}: ${view.reason}` : view.status, tone }
}

export const triggerSourceLabels: Record<TriggerSource, string> = {
  last: 'Last trade',
  bid: 'Best bid',
  ask: 'Best ask',
  mid: 'Mid',
}

export const bookStatusLabels: Record<TicketPreview['bookStatus'], { text: string; tone: Tone }> = {
  live: { text: 'live', tone: 'ok' },
  resyncing: { text: 'resyncing', tone: 'warn' },
  stale: { text: 'stale', tone: 'err' },
  none: { text: 'no book', tone: 'muted' },
}

/** '1.25%' away from the trigger (the engine's distance, no sign added), or '—' without a live price. */
export function distanceText(distancePct: string | null): string {
  return distancePct === null ? '—' : `${formatDecimal(distancePct, { minDecimals: 2 })}%`
}

/** What a conditional row's distance measures: its trigger (or activation price), or once triggered the limit its order rests at. */
export function distanceTitle(view: Pick<ConditionalView, 'status' | 'limitPrice' | 'trailing'>): string {
  if (view.status === 'triggered') {
    return view.limitPrice === null ? 'Triggered: its market order has no price to reach' : 'Triggered: how far the price is from the limit price its order rests at'
  }
  if (view.trailing !== null && !view.trailing.activated && view.trailing.activationPrice !== null) return 'How far the price is from its activation price'
  return 'How far the price is from its trigger'
}

/** 'trail 1.5% · ref 95,010.00', 'trail 50 · not active (at 96,000.00)'. */
export function trailingText(trailing: ConditionalView['trailing']): string | null {
  if (!trailing) return null
  const distance = trailing.unit === 'percent' ? `${formatDecimal(trailing.value)}%` : formatDecimal(trailing.value)
  if (!trailing.activated) {
    return trailing.activationPrice
      ? `trail ${distance} · activates at ${formatDecimal(trailing.activationPrice)}`
      : `trail ${distance} · not active`
  }
  return `trail ${distance} · ref ${trailing.reference === null ? '—' : formatDecimal(trailing.reference)}`
}

/** 'Buy 0.01 BTC/USDT @ 90,000.00' or 'Sell 0.5 ETH/USDT at market'. */
export function describeOrder(order: Pick<OrderView, 'side' | 'amount' | 'symbol' | 'type' | 'price'>): string {
  const side = order.side === 'buy' ? 'Buy' : 'Sell'
  const at = order.type === 'market' || order.price === null ? 'at market' : `@ ${formatDecimal(order.price)}`
  return `${side} ${formatDecimal(order.amount)} ${order.symbol} ${at}`
}

/** "Sell 1 BTC/USDT @ 110 · 0.4 of 1 filled" (the fill part only when something filled). */
export function describeWithFills(order: Pick<OrderView, 'side' | 'amount' | 'symbol' | 'type' | 'price' | 'filled'>): string {
  const what = describeOrder(order)
  return /^0*(\.0*)?$/.test(order.filled) ? what : `${what} · ${formatDecimal(order.filled)} of ${formatDecimal(order.amount)} filled`
}

/**
 * 'canceled after 0.4 of 1 BTC filled' — a cancel that came after part of the order filled: what filled stays
 * bought or sold, so it is said with the cancel (the order's own decimal strings, in its base asset).
 */
export function canceledAfterText(order: { symbol: string; filled: string; amount: string }): string {
  return `canceled after ${formatDecimal(order.filled)} of ${formatDecimal(order.amount)} ${baseOf(order.symbol)} filled`
}

/**
 * 'expired with 0.4 of 1 BTC filled before the cancel reached it' — an order that ended on its own (expired,
 * rejected) while its cancel was on its way: nothing is left open, and what filled stays bought or sold. The
 * engine's words for such an order in cancel-all's result (order-manager endedBeforeCancel).
 */
export function endedBeforeCancelText(order: Pick<OrderView, 'status' | 'symbol' | 'filled' | 'amount' | 'error'>): string {
  // A filled order filled all of it: "filled before the cancel reached it", as the engine says it.
  const part = order.status === 'filled' || /^0*(\.0*)?$/.test(order.filled) ? '' : ` with ${formatDecimal(order.filled)} of ${formatDecimal(order.amount)} ${baseOf(order.symbol)} filled`
  const why = order.status === 'rejected' ? ` (${order.error ?? 'the exchange refused it'})` : ''
  return `${orderStatusLabel(order.status).text}${part} before the cancel reached it${why}`
}

/**
 * 'Sell 1 BTC/USDT @ 110 on OKX main: it filled (1 BTC sold) before the cancel reached the exchange, so there was
 * nothing left to cancel' — a single cancel that a fill beat: ordinary trading, told calmly, with what it traded.
 */
export function filledBeforeCancelText(order: Pick<OrderView, 'side' | 'amount' | 'symbol' | 'type' | 'price' | 'filled' | 'venueLabel'>): string {
  const traded = `${formatDecimal(order.filled)} ${baseOf(order.symbol)} ${order.side === 'buy' ? 'bought' : 'sold'}`
  return `${describeOrder(order)} on ${order.venueLabel}: it filled (${traded}) before the cancel reached the exchange, so there was nothing left to cancel`
}

/** 'open · 0.004 of 0.01 filled' — the status with the fill progress when there is any. */
export function progressText(order: Pick<OrderView, 'status' | 'filled' | 'amount'>): string {
  const status = orderStatusLabel(order.status).text
  return /^0*(\.0*)?$/.test(order.filled) ? status : `${status} · ${formatDecimal(order.filled)} of ${formatDecimal(order.amount)} filled`
}

/** The short form of a client order id for tables ('…3f9a2c'); the whole id is in the title. */
export function shortId(id: string): string {
  return id.length <= 10 ? id : `…${id.slice(-8)}`
}

/**
 * The price a trailing stop actually fires at, on its trigger source's grid: its exact trigger (reference ×
 * (1 ∓ %), or reference ∓ distance) rounded toward where it fires — down for a sell (fires at or below),
 * up for a buy (at or above) — to the tick, or to half a tick for the mid (the mid of two tick prices).
 * Null when the tick is unknown.
 */
export function trailingFiresAt(trigger: string, tick: string | null, side: 'buy' | 'sell', source: TriggerSource): string | null {
  if (tick === null) return null
  const grid = source === 'mid' ? halfOf(tick) : tick
  return grid === null ? null : toStep(trigger, grid, side === 'sell' ? 'down' : 'up')
}

/** Half a decimal step, exactly ('0.01' → '0.005', '1' → '0.5'); null when it is not a plain decimal. */
function halfOf(step: string): string | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(step.trim())
  if (!m) return null
  const frac = m[2] ?? ''
  const scale = frac.length + 1
  const text = ((BigInt(m[1]! + frac) * 10n) / 2n).toString().padStart(scale + 1, '0')
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`
}

import Decimal from 'decimal.js'
import type { ConditionalKind, TriggerSource } from '../../api/schemas/trading'
import type { Side } from '../../venues/port'
import type { Direction } from './trigger-index'

// When a conditional order fires. "price" is its trigger source's price: the last trade, the best bid,
// the best ask or the mid of the two, from a live book only (a stale or resyncing book never triggers).
//
//   sell stop (stop-market, stop-limit)            fires when price ≤ trigger   (a long position's stop-loss)
//   buy stop                                       fires when price ≥ trigger   (a short's stop-loss, a breakout)
//   sell take-profit (take-profit-market / -limit) fires when price ≥ trigger
//   buy take-profit                                fires when price ≤ trigger
//   sell trailing stop  follows the highest price since activation (its reference):
//                       trigger = ref × (1 − pct/100) or ref − distance; fires when price ≤ trigger
//   buy trailing stop   follows the lowest price since activation:
//                       trigger = ref × (1 + pct/100) or ref + distance; fires when price ≥ trigger
//   activation price    (trailing, optional) a sell trail starts when price ≥ it, a buy trail when
//                       price ≤ it; the reference starts at the price that activated it. Without one the
//                       trail starts at the first live price after it is armed.
//
// Equality fires (≤ and ≥). A price that gaps through a trigger fires on the first tick past it, as a
// market order for *-market and trailing stops, as a limit order at the limit price for *-limit. The
// trailing trigger is exact (not rounded to the tick); the order it sends is a market order.

/** Which way the price must move from now for this order to fire. */
export function firesOn(kind: ConditionalKind, side: Side): 'rise' | 'fall' {
  const stopLike = kind === 'stop-market' || kind === 'stop-limit' || kind === 'trailing-stop'
  if (stopLike) return side === 'sell' ? 'fall' : 'rise'
  return side === 'sell' ? 'rise' : 'fall'
}

/** Index direction of a fixed trigger: 'up' fires at price ≥ trigger, 'down' at price ≤ trigger. */
export function directionOf(kind: ConditionalKind, side: Side): Direction {
  return firesOn(kind, side) === 'rise' ? 'up' : 'down'
}

export function isLimitKind(kind: ConditionalKind): boolean {
  return kind === 'stop-limit' || kind === 'take-profit-limit'
}

/** How a user names the leg in a message. */
export function roleOf(kind: ConditionalKind): 'stop' | 'take-profit' | 'trailing stop' {
  if (kind === 'trailing-stop') return 'trailing stop'
  return kind.startsWith('stop') ? 'stop' : 'take-profit'
}

export const triggerSources: readonly TriggerSource[] = ['last', 'bid', 'ask', 'mid']

export function sourceIndexOf(source: TriggerSource): number {
  return source === 'last' ? 0 : source === 'bid' ? 1 : source === 'ask' ? 2 : 3
}

/** The exact trailing trigger for a reference (price space). */
export function trailingTriggerOf(side: Side, unit: 'percent' | 'price', value: string, reference: Decimal): Decimal {
  if (unit === 'price') return side === 'sell' ? reference.minus(value) : reference.plus(value)
  const f = new Decimal(value).div(100)
  return side === 'sell' ? reference.times(new Decimal(1).minus(f)) : reference.times(new Decimal(1).plus(f))
}

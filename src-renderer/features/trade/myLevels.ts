import { decimalsOf } from '../../ui/decimal'
import type { OrderView } from '../../../src-main/api/contract'

// Where the user's own resting orders sit in a ladder: per level, the amount still open (amount − filled)
// of their limit orders on that market — buys on the bid side, sells on the ask side — in the ladder's
// buckets when it is grouped (bids at or below their price, asks at or above: the engine's rule,
// src-main/market/grouping.ts). Plain numbers, as the ladder's sizes: it marks levels, it adds no money.

export interface MyLevels {
  bids: ReadonlyMap<number, number>
  asks: ReadonlyMap<number, number>
}

export const NO_LEVELS: MyLevels = { bids: new Map(), asks: new Map() }

/** The ladder price a resting order shows at: its own price, or its bucket when grouped by `step`. */
export function levelOf(price: string, side: 'buy' | 'sell', step: string | null): number {
  const p = Number(price)
  if (step === null) return p
  const s = Number(step)
  const scale = 10 ** decimalsOf(step)
  const q = p / s
  const k = side === 'buy' ? Math.floor(q + 1e-9) : Math.ceil(q - 1e-9)
  return Math.round(k * s * scale) / scale
}

/** Rests as a limit order in the book (not a market order, not a stop held on the exchange), with something left. */
const resting = (o: OrderView): o is OrderView & { price: string } => o.price !== null && !o.trigger && Number(o.amount) - Number(o.filled) > 0

/** The user's resting orders shown at one ladder level (what Delete on that level cancels). */
export function ordersAtLevel(open: readonly OrderView[], market: { venueId: string; symbol: string }, side: 'ask' | 'bid', price: number, step: string | null): OrderView[] {
  const orderSide = side === 'bid' ? 'buy' : 'sell'
  return open.filter((o) => o.venueId === market.venueId && o.symbol === market.symbol && o.side === orderSide && resting(o) && levelOf(o.price, o.side, step) === price)
}

export function myLevels(open: readonly OrderView[], market: { venueId: string; symbol: string }, step: string | null): MyLevels {
  const bids = new Map<number, number>()
  const asks = new Map<number, number>()
  for (const o of open) {
    if (o.venueId !== market.venueId || o.symbol !== market.symbol || !resting(o)) continue
    const rest = Number(o.amount) - Number(o.filled)
    const at = levelOf(o.price, o.side, step)
    const side = o.side === 'buy' ? bids : asks
    side.set(at, (side.get(at) ?? 0) + rest)
  }
  return bids.size === 0 && asks.size === 0 ? NO_LEVELS : { bids, asks }
}

import Decimal from 'decimal.js'
import type { Side } from '../../venues/port'

// Walking the visible book, exactly: what an order of a given size would take from it level by level.
// `levels` are the side the order takes from (asks for a buy, bids for a sell), best first.

export interface Level {
  price: Decimal
  amount: Decimal
}

export interface Walk {
  /** Base amount the visible book can fill (≤ the amount asked for). */
  filled: Decimal
  /** Quote value of that part. */
  cost: Decimal
  /** True when the book (or the limit price) ran out before the whole amount was filled. */
  short: boolean
}

/** Walk `amount` base through `levels`; with `limit`, stop at levels worse than that price. */
export function walkAmount(levels: readonly Level[], side: Side, amount: Decimal, limit?: Decimal): Walk {
  let left = amount
  let cost = new Decimal(0)
  for (const level of levels) {
    if (left.lte(0)) break
    if (limit !== undefined && worse(level.price, limit, side)) break
    const take = Decimal.min(left, level.amount)
    cost = cost.plus(take.times(level.price))
    left = left.minus(take)
  }
  return { filled: amount.minus(left), cost, short: left.gt(0) }
}

/** Base amount that spending (buy) or receiving (sell) `quote` takes from `levels`. */
export function walkQuote(levels: readonly Level[], quote: Decimal): { amount: Decimal; short: boolean } {
  let left = quote
  let amount = new Decimal(0)
  for (const level of levels) {
    if (left.lte(0)) break
    const value = level.amount.times(level.price)
    if (value.lte(left)) {
      amount = amount.plus(level.amount)
      left = left.minus(value)
    } else {
      amount = amount.plus(left.div(level.price))
      left = new Decimal(0)
    }
  }
  return { amount, short: left.gt(0) }
}

/** Sum of the amounts of `levels`. */
export function visibleAmount(levels: readonly Level[]): Decimal {
  return levels.reduce((sum, l) => sum.plus(l.amount), new Decimal(0))
}

/** A level price the order would not take at: above the limit for a buy, below it for a sell. */
function worse(price: Decimal, limit: Decimal, side: Side): boolean {
  return side === 'buy' ? price.gt(limit) : price.lt(limit)
}

/** Whether a limit price would take liquidity at once (crosses the touch). */
export function marketable(side: Side, price: Decimal, touch: Decimal | null): boolean {
  if (touch === null) return false
  return side === 'buy' ? price.gte(touch) : price.lte(touch)
}

import Decimal from 'decimal.js'
import type { MarketInfo } from '../venues/port'
import { roundToStep, tradable } from './decide'
import { quoteBelowText } from './quote-text'

// "Unfollow and close positions": what to sell in each market the copies hold. The amount is what the
// copies' fills put in the account (the book's `held`, not what a pending copy may still add) — or, when the
// account has less of the coin free (the user sold some by hand, another strategy used them), what is free,
// so the sell is not refused for insufficient funds — rounded down to the market's step. What the venue
// would refuse — below the minimum amount, or below the minimum order at the current price — is dust, left
// where it is with a note: the same rule as the copy book's "open positions" (`tradable`). Pure.

export type ClosePlan =
  /** `note`: why less than `held` is sold (the account has less free), null when it is all of it. */
  | { kind: 'sell'; symbol: string; held: Decimal; amount: Decimal; note: string | null }
  | { kind: 'dust'; symbol: string; held: Decimal; reason: string }

/**
 * `price`: the market's price now (null: unknown, the minimum order is not checked). `free`: the account's
 * free balance of the base now (null: unknown, what the copies hold is sold).
 */
export function planClose(
  symbol: string,
  held: Decimal,
  market: Pick<MarketInfo, 'stepSize' | 'minAmount' | 'minNotional' | 'base' | 'quote'> | undefined,
  price: Decimal | null,
  free: Decimal | null = null,
): ClosePlan | null {
  if (!held.gt(0)) return null
  if (market === undefined) return { kind: 'dust', symbol, held, reason: `the follower venue has no market ${symbol} to sell on` }
  const short = free !== null && free.lt(held)
  const sellable = short ? Decimal.max(free, 0) : held
  const note = short ? `the copies hold ${held.toFixed()} ${market.base} but only ${sellable.toFixed()} ${market.base} is free` : null
  const amount = roundToStep(sellable, market.stepSize, Decimal.ROUND_DOWN)
  if (tradable(sellable, market, price)) return { kind: 'sell', symbol, held, amount, note }
  if (!amount.gt(0) || amount.lt(market.minAmount)) {
    const why = `${sellable.toFixed()} ${market.base} is below the market's minimum amount ${new Decimal(market.minAmount).toFixed()} (step ${new Decimal(market.stepSize).toFixed()})`
    return { kind: 'dust', symbol, held, reason: short ? `coins not in the account: ${note}; ${why}: nothing sold` : `${why}: left as it is` }
  }
  const value = quoteBelowText(amount.times(price!))
  const why = `${amount.toFixed()} ${market.base} ≈ ${value} ${market.quote} at ${price!.toFixed()} is below the market's minimum order of ${market.minNotional} ${market.quote}`
  return { kind: 'dust', symbol, held, reason: short ? `coins not in the account: ${note}; ${why}: nothing sold` : `${why}: left as it is` }
}

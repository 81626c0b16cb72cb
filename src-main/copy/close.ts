import Decimal from 'decimal.js'
import type { MarketInfo } from '../venues/port'
import { roundToStep, tradable } from './decide'

// "Unfollow and close positions": what to sell in each market the copies hold. The amount is what the
// copies' fills put in the account (the book's `held`, not what a pending copy may still add), rounded down
// to the market's step. What the venue would refuse — below the minimum amount, or below the minimum order
// at the current price — is dust, left where it is with a note: the same rule as the copy book's "open
// positions" (`tradable`). Pure.

export type ClosePlan =
  | { kind: 'sell'; symbol: string; held: Decimal; amount: Decimal }
  | { kind: 'dust'; symbol: string; held: Decimal; reason: string }

/** `price`: the market's price now (null: unknown, the minimum order is not checked). */
export function planClose(
  symbol: string,
  held: Decimal,
  market: Pick<MarketInfo, 'stepSize' | 'minAmount' | 'minNotional' | 'base' | 'quote'> | undefined,
  price: Decimal | null,
): ClosePlan | null {
  if (!held.gt(0)) return null
  if (market === undefined) return { kind: 'dust', symbol, held, reason: `the follower venue has no market ${symbol} to sell on` }
  const amount = roundToStep(held, market.stepSize, Decimal.ROUND_DOWN)
  if (tradable(held, market, price)) return { kind: 'sell', symbol, held, amount }
  if (!amount.gt(0) || amount.lt(market.minAmount)) {
    return { kind: 'dust', symbol, held, reason: `${held.toFixed()} ${market.base} is below the market's minimum amount ${new Decimal(market.minAmount).toFixed()} (step ${new Decimal(market.stepSize).toFixed()}): left as it is` }
  }
  const value = amount.times(price!).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)
  return { kind: 'dust', symbol, held, reason: `${amount.toFixed()} ${market.base} ≈ ${value} ${market.quote} at ${price!.toFixed()} is below the market's minimum order of ${market.minNotional} ${market.quote}: left as it is` }
}

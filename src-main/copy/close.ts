import Decimal from 'decimal.js'
import type { MarketInfo } from '../venues/port'

// "Unfollow and close positions": what to sell in each market the copies hold. The amount is what the
// copies' fills put in the account (the book's `held`, not what a pending copy may still add), rounded down
// to the market's step; below the market's minimum amount it is dust, left where it is with a note. Pure.

export type ClosePlan =
  | { kind: 'sell'; symbol: string; held: Decimal; amount: Decimal }
  | { kind: 'dust'; symbol: string; held: Decimal; reason: string }

export function planClose(symbol: string, held: Decimal, market: Pick<MarketInfo, 'stepSize' | 'minAmount' | 'base'> | undefined): ClosePlan | null {
  if (!held.gt(0)) return null
  if (market === undefined) return { kind: 'dust', symbol, held, reason: `the follower venue has no market ${symbol} to sell on` }
  const step = new Decimal(market.stepSize)
  const amount = step.gt(0) ? held.div(step).floor().times(step) : held
  const min = new Decimal(market.minAmount)
  if (!amount.gt(0) || amount.lt(min)) {
    return { kind: 'dust', symbol, held, reason: `${held.toFixed()} ${market.base} is below the market's minimum amount ${min.toFixed()} (step ${step.toFixed()}): left as it is` }
  }
  return { kind: 'sell', symbol, held, amount }
}

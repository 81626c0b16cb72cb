import Decimal from 'decimal.js'
import type { MarketInfo } from '../../venues/port'

// A market's rules for an order (Binance-style filters as the Venue port carries them): amounts are
// floored to the step, prices must sit on the tick, and the amount and the order value have minimums.
// Each check returns the message a user reads, naming the numbers, or null when the rule holds.

/** Number of decimals of a step or tick ("0.01" → 2, "1" → 0, "10" → 0). */
export function decimalsOf(step: string): number {
  return new Decimal(step).decimalPlaces()
}

/** `amount` floored to a whole number of steps (a step of 0 — unknown — leaves it as it is). */
export function floorToStep(amount: Decimal, step: string): Decimal {
  const s = new Decimal(step)
  if (s.lte(0)) return amount
  return amount.div(s).floor().times(s)
}

/** The two valid prices around `price`, or null when it is on the tick. */
export function nearestTicks(price: Decimal, tick: string): { below: Decimal; above: Decimal } | null {
  const t = new Decimal(tick)
  if (t.lte(0) || price.mod(t).isZero()) return null
  const below = price.div(t).floor().times(t)
  return { below, above: below.plus(t) }
}

/** A price as the market writes it (the tick's decimals). */
export function formatPrice(price: Decimal, tick: string): string {
  return new Decimal(tick).lte(0) ? price.toFixed() : price.toFixed(decimalsOf(tick))
}

export function priceOffTick(price: Decimal, market: MarketInfo): string | null {
  const near = nearestTicks(price, market.tickSize)
  if (near === null) return null
  return (
    `Price ${price.toFixed()} is not on the tick ${new Decimal(market.tickSize).toFixed()} of ${market.symbol}: ` +
    `use ${formatPrice(near.below, market.tickSize)} or ${formatPrice(near.above, market.tickSize)}`
  )
}

/** `requested` is the amount before flooring; `amount` after. */
export function amountTooSmall(requested: Decimal, amount: Decimal, market: MarketInfo): string | null {
  const step = new Decimal(market.stepSize)
  if (amount.isZero()) {
    return `${requested.toFixed()} ${market.base} is less than one amount step (${step.toFixed()} ${market.base}) of ${market.symbol}`
  }
  const min = new Decimal(market.minAmount)
  if (amount.lt(min)) return `${amount.toFixed()} ${market.base} is below the minimum amount ${min.toFixed()} ${market.base}`
  return null
}

/** `estimated`: the value comes from the book, not a limit price. */
export function notionalTooSmall(notional: Decimal, market: MarketInfo, estimated: boolean): string | null {
  const min = new Decimal(market.minNotional)
  if (notional.gte(min)) return null
  const value = notional.toDecimalPlaces(Math.max(decimalsOf(market.tickSize), 2), Decimal.ROUND_DOWN).toFixed()
  return `Order value ${estimated ? '≈ ' : ''}${value} ${market.quote} is below the minimum ${min.toFixed()} ${market.quote} of ${market.symbol}`
}

import Decimal from 'decimal.js'
import { InvalidOrder } from 'ccxt'
import { VenueError, type BookLevel, type DecimalString } from '../port'

// Market buys where the exchange takes the quote to spend, not the base to buy (Gate, Coinbase and Bitget
// classic accounts, in ccxt 4.5's spot createOrder). ccxt then refuses a market buy without a price before
// sending anything ("requires the price argument for market buy orders … createMarketBuyOrderRequiresPrice"),
// and Bitget only knows which kind of account it has once its first private call has probed it. So the
// adapter sends the order as the app asks and, only when ccxt says so, again as a quote amount: the cost of
// the base amount asked for on the exchange's book right then (asks walked; what the visible book does not
// hold priced at its deepest ask), rounded down to the quote's precision. The exchange then buys what that
// quote buys, which can be slightly more or less base than asked for.

/** ccxt refused a market buy for want of a price (nothing was sent). */
export function wantsQuoteCost(err: unknown): boolean {
  return err instanceof InvalidOrder && /createMarketBuyOrderRequiresPrice/.test(err.message) && !err.message.includes('{')
}

/**
 * The quote the asks ask for `amount` of the base, rounded down to `quoteStep` (no rounding for a step of
 * "0"). Refused (invalid-order) when the book has no asks to price it with.
 */
export function marketBuyCost(asks: readonly BookLevel[], amount: DecimalString, quoteStep: DecimalString, name: string, symbol: string): Decimal {
  const last = asks[asks.length - 1]
  if (last === undefined) {
    throw new VenueError('invalid-order', `This app cannot place a market buy on ${name}: it takes a quote amount there, and the ${symbol} book has no asks to price one with`)
  }
  let left = new Decimal(amount)
  let cost = new Decimal(0)
  for (const [price, size] of asks) {
    if (left.lte(0)) break
    const take = Decimal.min(left, size)
    cost = cost.plus(take.times(price))
    left = left.minus(take)
  }
  if (left.gt(0)) cost = cost.plus(left.times(last[0]))
  const step = new Decimal(quoteStep)
  return step.gt(0) ? cost.div(step).floor().times(step) : cost
}

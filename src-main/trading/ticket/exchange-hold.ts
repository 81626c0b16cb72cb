import Decimal from 'decimal.js'
import type { MarketInfo } from '../../venues/port'

/**
 * What an exchange holds for a limit buy of `amount` at `price`: price × amount however it will fill, and
 * where the fee is paid in the quote (MarketInfo.feeIn) the fee at that price too — the taker rate on what
 * crosses the book now (`crossing`, in base), the maker rate on what rests. One rule for the ticket and
 * an amend's replacement, so neither is sent to be refused for want of funds. (A paper account reserves
 * differently: at the book for what crosses.)
 */
export function exchangeBuyHold(amount: Decimal, price: Decimal, crossing: Decimal, market: Pick<MarketInfo, 'feeIn' | 'makerFee' | 'takerFee'>): Decimal {
  const notional = amount.times(price)
  if (market.feeIn !== 'quote') return notional
  const taker = crossing.times(price).times(market.takerFee)
  const maker = amount.minus(crossing).times(price).times(market.makerFee)
  return notional.plus(taker).plus(maker)
}

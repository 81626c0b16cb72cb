import type { Dec } from './decimal'

export type Liquidity = 'maker' | 'taker'

export interface FeeRates {
  maker: Dec
  taker: Dec
}

/**
 * Binance-like fee model: the fee is a rate of what the account receives and is charged in that asset
 * (a buyer pays in base, a seller in quote). Exact: no rounding, so nothing is created or lost; the venue's
 * side of every fee goes to the ledger's fee bucket.
 */
export function tradeFee(received: Dec, liquidity: Liquidity, rates: FeeRates): Dec {
  return received.times(liquidity === 'maker' ? rates.maker : rates.taker)
}

import type { MarketView } from '../../src-main/api/contract'

/** A market as markets.search lists it: a USDT pair on the Binance account 'binance-1', no ticker yet, a sub-cent coin's tick unless told. */
export const marketRow = (symbol: string, over: Partial<MarketView> = {}): MarketView => ({
  venueId: 'binance-1',
  venueLabel: 'Binance',
  symbol,
  base: symbol.split('/')[0]!,
  quote: 'USDT',
  last: null,
  changePct24h: null,
  volume24h: null,
  tickSize: '0.00000001',
  stepSize: '1',
  minNotional: '5',
  ...over,
})

import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { MarketDataService } from '../../market/service'

/** Commands of the market module. */
export function marketHandlers(market: MarketDataService): HandlerSlice<'market.candles' | 'market.health'> {
  return {
    'market.candles': (input) => market.candles(input),
    'market.health': () => market.health(),
  }
}

/** Streams of the market module: each view shares the one watch loop of its (venue, market). */
export function marketSources(
  market: MarketDataService,
): Pick<StreamSources, 'market.book' | 'market.trades' | 'market.ticker' | 'market.candles.live' | 'market.aggregate'> {
  return {
    'market.book': (emit, params) => market.openBook(params, emit),
    'market.trades': (emit, params) => market.openTrades(params, emit),
    'market.ticker': (emit, params) => market.openTicker(params, emit),
    'market.candles.live': (emit, params) => market.openLiveCandle(params, emit),
    'market.aggregate': (emit, params) => market.openAggregate(params, emit),
  }
}

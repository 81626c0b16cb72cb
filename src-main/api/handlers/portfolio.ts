import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { LivePortfolio } from '../../portfolio/live/service'

/** The P&L view and the equity history (portfolio.summary, portfolio.equity), from the live model. */
export function portfolioHandlers(live: LivePortfolio): HandlerSlice<'portfolio.summary' | 'portfolio.equity' | 'portfolio.lots'> {
  return {
    'portfolio.summary': (query) => live.view(query),
    'portfolio.equity': (query) => live.equity(query),
    'portfolio.lots': (query) => live.lots(query),
  }
}

/** portfolio.live: the view at once, then as prices move and fills arrive (≤ 4/s, only when it changed). */
export function portfolioSources(live: LivePortfolio): Pick<StreamSources, 'portfolio.live'> {
  return {
    'portfolio.live': (emit, query) => live.subscribe(query, emit),
  }
}

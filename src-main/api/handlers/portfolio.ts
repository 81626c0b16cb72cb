import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { LivePortfolio } from '../../portfolio/live/service'
import { checkReportAccount } from '../../tax/report-accounts'
import type { LedgerDb } from '../../portfolio/sqlite'

/**
 * The P&L view and the equity history (portfolio.summary, portfolio.equity), from the live model. An account
 * the ledger does not have is refused (NOT_FOUND, as tax.report): its empty view would read as a true one.
 */
export function portfolioHandlers(live: LivePortfolio, db: LedgerDb): HandlerSlice<'portfolio.summary' | 'portfolio.equity' | 'portfolio.lots'> {
  return {
    'portfolio.summary': (query) => {
      checkReportAccount(db, query.account)
      return live.view(query)
    },
    'portfolio.equity': (query) => {
      checkReportAccount(db, query.account)
      return live.equity(query)
    },
    'portfolio.lots': (query) => live.lots(query),
  }
}

/** portfolio.live: the view at once, then as prices move and fills arrive (≤ 4/s, only when it changed). */
export function portfolioSources(live: LivePortfolio): Pick<StreamSources, 'portfolio.live'> {
  return {
    'portfolio.live': (emit, query) => live.subscribe(query, emit),
  }
}

import { useEffect } from 'react'
import { startPortfolioSync, usePortfolio } from './portfolioStore'
import { PortfolioToolbar } from './PortfolioToolbar'
import { TotalsStrip } from './TotalsStrip'
import { EquityPanel } from './EquityChart'
import { AllocationPanel } from './AllocationPanel'
import { AccountsPnlPanel, PositionsPanel } from './PnlTables'
import { WarningsPanel } from './WarningsPanel'
import { LedgerAccountsPanel } from './LedgerAccountsPanel'
import { ImportDialog } from './ImportDialog'
import { ImportsDialog } from './ImportsDialog'
import { SyncStartDialog } from './SyncStartDialog'
import { EntriesDialog } from './EntriesDialog'
import './portfolio.css'

/**
 * Portfolio: live P&L (totals, per asset, per account) for a period and one account or all, the equity
 * curve and allocation on the left; warnings and the ledger accounts (history sync, CSV import) on the right.
 */
export function PortfolioPage() {
  useEffect(() => startPortfolioSync(), [])
  const error = usePortfolio((s) => s.viewError)
  return (
    <div className="pf-page" data-testid="portfolio-page">
      <div className="pf-main">
        <PortfolioToolbar />
        {error ? (
          <p className="inline-error pf-error" role="alert" data-testid="portfolio-error">
            {error}
          </p>
        ) : null}
        <TotalsStrip />
        <div className="pf-charts">
          <EquityPanel />
          <AllocationPanel />
        </div>
        <div className="pf-tables">
          <PositionsPanel />
          <AccountsPnlPanel />
        </div>
      </div>
      <div className="pf-side">
        <WarningsPanel />
        <LedgerAccountsPanel />
      </div>
      <ImportDialog />
      <ImportsDialog />
      <SyncStartDialog />
      <EntriesDialog />
    </div>
  )
}

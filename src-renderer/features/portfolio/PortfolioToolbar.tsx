import { Kbd } from '../../ui/Kbd'
import { usePortfolio } from './portfolioStore'
import { accountOptions, SCOPE_ALL, SCOPE_MINE, SCOPE_TRADERS } from './portfolioModel'
import { PeriodControl } from './PeriodControl'
import { PORTFOLIO_IDS } from './portfolioIds'
import { openPortfolioSettings } from './portfolioActions'

const METHOD_LABELS = { fifo: 'FIFO', average: 'average cost' } as const

/** Period (segmented, ←/→ or keys 1–5), account filter, the currency and cost method in use, import. */
export function PortfolioToolbar() {
  return (
    <div className="toolbar pf-toolbar">
      <PortfolioPeriod />
      <AccountFilter />
      <SettingsFacts />
      <span className="toolbar-spacer" />
      <button type="button" className="btn btn-small" onClick={() => usePortfolio.getState().setImportOpen(true)} data-testid="portfolio-import-open">
        Import CSV…
      </button>
    </div>
  )
}

function PortfolioPeriod() {
  const period = usePortfolio((s) => s.period)
  const setPeriod = usePortfolio((s) => s.setPeriod)
  return <PeriodControl id={PORTFOLIO_IDS.period} period={period} onChange={setPeriod} testId="portfolio-period" numberKeys />
}

function AccountFilter() {
  const account = usePortfolio((s) => s.account)
  const ledger = usePortfolio((s) => s.accounts)
  const pnl = usePortfolio((s) => s.view?.accounts)
  const setAccount = usePortfolio((s) => s.setAccount)
  const options = accountOptions(ledger, pnl ?? [], account)
  return (
    <>
      <label htmlFor={PORTFOLIO_IDS.account} className="muted">
        Account
      </label>
      <select
        id={PORTFOLIO_IDS.account}
        className="input"
        value={account}
        onChange={(e) => setAccount(e.target.value)}
        data-testid="portfolio-account-filter"
      >
        <option value={SCOPE_MINE}>My accounts</option>
        {options.mine.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        <optgroup label="Simulated traders">
          <option value={SCOPE_TRADERS}>All simulated traders</option>
          {options.traders.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </optgroup>
        <option value={SCOPE_ALL}>Everything (mine and simulated traders)</option>
      </select>
    </>
  )
}

/** Reporting currency and cost method are settings: shown as the engine used them, with a way to change them. */
function SettingsFacts() {
  const view = usePortfolio((s) => s.view)
  return (
    <span className="pf-facts">
      <span className="muted">in</span>{' '}
      <strong data-testid="portfolio-currency">{view?.currency ?? '…'}</strong>
      <span className="muted"> · cost</span> <strong data-testid="portfolio-method">{view ? METHOD_LABELS[view.method] : '…'}</strong>
      <button type="button" className="btn btn-small pf-settings-link" onClick={openPortfolioSettings} title="Reporting currency and cost method are settings">
        Change… <Kbd combo="Mod+," />
      </button>
    </span>
  )
}

import { useRef, type KeyboardEvent } from 'react'
import { Kbd } from '../../ui/Kbd'
import { usePortfolio } from './portfolioStore'
import { accountOptions, PERIODS, SCOPE_ALL, SCOPE_MINE, SCOPE_TRADERS, stepPeriod } from './portfolioModel'
import { PORTFOLIO_IDS } from './portfolioIds'
import { openPortfolioSettings } from './portfolioActions'

const METHOD_LABELS = { fifo: 'FIFO', average: 'average cost' } as const

/** Period (segmented, ←/→ or keys 1–5), account filter, the currency and cost method in use, import. */
export function PortfolioToolbar() {
  return (
    <div className="toolbar pf-toolbar">
      <PeriodControl />
      <AccountFilter />
      <SettingsFacts />
      <span className="toolbar-spacer" />
      <button type="button" className="btn btn-small" onClick={() => usePortfolio.getState().setImportOpen(true)} data-testid="portfolio-import-open">
        Import CSV…
      </button>
    </div>
  )
}

/** A radio group: one tab stop (the chosen period); arrows, Home and End choose at once. */
function PeriodControl() {
  const period = usePortfolio((s) => s.period)
  const setPeriod = usePortfolio((s) => s.setPeriod)
  const group = useRef<HTMLDivElement>(null)
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const next = stepPeriod(period, event.key)
    if (next === null) return
    event.preventDefault()
    setPeriod(next)
    group.current?.querySelector<HTMLElement>(`[data-period="${next}"]`)?.focus()
  }
  return (
    <div
      id={PORTFOLIO_IDS.period}
      ref={group}
      className="segmented"
      role="radiogroup"
      aria-label="Period"
      onKeyDown={onKeyDown}
      data-testid="portfolio-period"
      data-period={period}
    >
      {PERIODS.map((p, i) => (
        <button
          key={p.id}
          type="button"
          role="radio"
          className="btn btn-small"
          aria-checked={p.id === period}
          tabIndex={p.id === period ? 0 : -1}
          title={`${p.title} (key ${i + 1})`}
          onClick={() => setPeriod(p.id)}
          data-period={p.id}
          data-testid={`portfolio-period-${p.id}`}
        >
          {p.label}
        </button>
      ))}
    </div>
  )
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

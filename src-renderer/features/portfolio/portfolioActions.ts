import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { useSettings } from '../settings/settingsStore'
import { usePortfolio } from './portfolioStore'
import { PERIODS } from './portfolioModel'
import { PORTFOLIO_IDS, PORTFOLIO_PAGE } from './portfolioIds'

// The Portfolio page's actions (palette and keys). Keys 1–5 pick the period while the page is shown.

const onPage = () => useRoute.getState().page === PORTFOLIO_PAGE

/** Focuses an element by id now or, when it is not drawn yet, on the next frames. */
function focusId(id: string, selector?: string): void {
  const attempt = (left: number) => {
    const el = document.getElementById(id)
    const target = el && selector ? (el.querySelector<HTMLElement>(selector) ?? el) : el
    if (target) target.focus()
    else if (left > 0) requestAnimationFrame(() => attempt(left - 1))
  }
  attempt(5)
}

function showPage(): void {
  if (!onPage()) flushSync(() => navigate(PORTFOLIO_PAGE))
}

function showAndFocus(id: string, selector?: string): void {
  showPage()
  focusId(id, selector)
}

export function openImport(): void {
  showPage()
  usePortfolio.getState().setImportOpen(true)
}

/** The Settings page, at the first portfolio setting (reporting currency, cost method) when the engine has one. */
export function openPortfolioSettings(): void {
  const key = useSettings.getState().keys.find((k) => k.startsWith('portfolio.'))
  flushSync(() => navigate('settings'))
  if (key) focusId(`setting-${key}`)
}

export function portfolioActions(): Action[] {
  return [
    ...PERIODS.map(
      (p, i): Action => ({
        id: `portfolio.period.${p.id}`,
        title: `Portfolio: period ${p.label} (${p.title.toLowerCase()})`,
        section: 'Portfolio',
        keys: [String(i + 1)],
        enabled: () => onPage() && !usePortfolio.getState().importOpen,
        run: () => usePortfolio.getState().setPeriod(p.id),
      }),
    ),
    {
      id: 'portfolio.focusPeriod',
      title: 'Portfolio: choose the period',
      section: 'Portfolio',
      run: () => showAndFocus(PORTFOLIO_IDS.period, '[aria-checked="true"]'),
    },
    { id: 'portfolio.account', title: 'Portfolio: show my accounts, one account or the simulated traders', section: 'Portfolio', run: () => showAndFocus(PORTFOLIO_IDS.account) },
    { id: 'portfolio.positions', title: 'Focus portfolio positions', section: 'Portfolio', run: () => showAndFocus(PORTFOLIO_IDS.positions) },
    { id: 'portfolio.accounts', title: 'Focus P&L per account', section: 'Portfolio', run: () => showAndFocus(PORTFOLIO_IDS.accounts) },
    { id: 'portfolio.warnings', title: 'Focus portfolio warnings', section: 'Portfolio', run: () => showAndFocus(PORTFOLIO_IDS.warnings) },
    { id: 'portfolio.ledger', title: 'Ledger accounts: sync history from the exchange', section: 'Portfolio', run: () => showAndFocus(PORTFOLIO_IDS.ledger) },
    { id: 'portfolio.import', title: 'Import trade history (CSV)…', section: 'Portfolio', run: openImport },
    {
      id: 'portfolio.settings',
      title: 'Portfolio: reporting currency and cost method (settings)',
      section: 'Portfolio',
      run: openPortfolioSettings,
    },
  ]
}

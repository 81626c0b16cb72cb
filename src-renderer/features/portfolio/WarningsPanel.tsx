import { useMemo } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { formatDecimal } from '../../ui/decimal'
import { formatDateTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { usePortfolio } from './portfolioStore'
import { sortWarnings, WARNING_LABELS } from './portfolioModel'
import { PORTFOLIO_IDS } from './portfolioIds'

/** What the engine could not value exactly: sells without cost basis, fees or assets without a price. */
export function WarningsPanel() {
  const view = usePortfolio((s) => s.view)
  const fmt = useTimeFormat()
  const warnings = useMemo(() => sortWarnings(view?.warnings ?? []), [view])
  const labels = useMemo(() => new Map(view?.accounts.map((a) => [a.account, a.label]) ?? []), [view])
  return (
    <Panel title={`Warnings${warnings.length ? ` (${warnings.length})` : ''}`} testId="panel-portfolio-warnings">
      <div id={PORTFOLIO_IDS.warnings} className="scroll pf-warnings" tabIndex={0} aria-label="Portfolio warnings">
        {warnings.length === 0 ? (
          <EmptyState>{view ? 'No warnings: every figure has its cost and price.' : 'Loading…'}</EmptyState>
        ) : (
          <ul className="pf-warning-list">
            {warnings.map((w, i) => (
              <li key={`${w.kind}|${w.account}|${w.asset}|${w.timestamp}|${i}`} className="pf-warning" data-testid="portfolio-warning" data-kind={w.kind}>
                <div className="pf-warning-head">
                  <span className="badge badge-warn">{WARNING_LABELS[w.kind]}</span>
                  <span className="asset">{w.asset}</span>
                  <span className="muted ellipsis">{labels.get(w.account) ?? w.account}</span>
                  {w.count !== undefined && w.count > 1 ? <span className="muted">×{w.count}</span> : null}
                  {w.amount !== undefined ? <span className="num">{formatDecimal(w.amount)}</span> : null}
                  <span className="toolbar-spacer" />
                  {fmt ? <span className="muted nowrap">{formatDateTime(w.timestamp, fmt)}</span> : null}
                </div>
                <p className="pf-warning-text">{w.message}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Panel>
  )
}

import { useTimeFormat } from '../../app/useTimeFormat'
import { formatDateTime } from '../../ui/format'
import { usePortfolio } from './portfolioStore'
import { periodLabel } from './portfolioModel'
import { Fact, Money, Pct, Pnl } from './Figures'

/** The totals of the view (one account or all), as the engine computed them, live. */
export function TotalsStrip() {
  const view = usePortfolio((s) => s.view)
  const fmt = useTimeFormat()
  if (!view) return <div className="pf-totals pf-totals-empty muted">Loading P&amp;L…</div>
  const t = view.totals
  const c = view.currency
  const period = periodLabel(view.period)
  return (
    <dl className="pf-totals" data-testid="portfolio-totals" data-at={view.at}>
      <Fact label={`Value (${c})`}>
        <Money value={t.value} unit={c} testId="total-value" />
      </Fact>
      <Fact label={`P&L ${period}`}>
        <Pnl value={t.pnl} unit={c} testId="total-pnl" /> <Pct value={t.pnlPct} testId="total-pnl-pct" />
      </Fact>
      <Fact label="Unrealized">
        <Pnl value={t.unrealized} unit={c} testId="total-unrealized" />
      </Fact>
      <Fact label="Realized">
        <Pnl value={t.realized} unit={c} testId="total-realized" />
      </Fact>
      <Fact label={`Realized ${period}`}>
        <Pnl value={t.realizedInPeriod} unit={c} testId="total-realized-period" />
      </Fact>
      <Fact label={`Change ${period}`}>
        <Pnl value={t.change} unit={c} testId="total-change" /> <Pct value={t.changePct} testId="total-change-pct" />
      </Fact>
      <Fact label={`Net deposits ${period}`}>
        <Pnl value={t.netDeposits} unit={c} testId="total-net-deposits" />
      </Fact>
      <Fact label="Cost basis">
        <Money value={t.costBasis} unit={c} testId="total-cost-basis" />
      </Fact>
      <div className="pf-fact pf-asof muted">
        {fmt ? `as of ${formatDateTime(view.at, fmt)}` : null}
        {view.periodStart !== null && fmt ? <div>since {formatDateTime(view.periodStart, fmt)}</div> : null}
      </div>
    </dl>
  )
}


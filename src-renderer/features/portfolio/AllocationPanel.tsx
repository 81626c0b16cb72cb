import { useMemo } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { formatDecimal } from '../../ui/decimal'
import { usePortfolio } from './portfolioStore'
import { donutArcs } from './portfolioModel'
import { Money } from './Figures'

const OUTER = 60
const INNER = 38

/** Share of the value per asset: an SVG donut and its legend (value and share are the engine's). */
export function AllocationPanel() {
  const view = usePortfolio((s) => s.view)
  const arcs = useMemo(() => donutArcs(view?.allocation ?? [], OUTER, INNER), [view])
  const c = view?.currency ?? ''
  return (
    <Panel title="Allocation" testId="panel-portfolio-allocation">
      {!view ? (
        <EmptyState>Loading…</EmptyState>
      ) : arcs.length === 0 ? (
        <EmptyState>Nothing valued in this view.</EmptyState>
      ) : (
        <div className="pf-allocation" data-testid="portfolio-allocation">
          <svg className="pf-donut" viewBox={`0 0 ${OUTER * 2} ${OUTER * 2}`} role="img" aria-label="Allocation by asset">
            <circle className="pf-donut-track" cx={OUTER} cy={OUTER} r={(OUTER + INNER) / 2} strokeWidth={OUTER - INNER} />
            {arcs.map((a) =>
              a.path ? (
                <path key={a.asset} d={a.path} className={`pf-slice pf-slot-${a.slot}`} data-asset={a.asset}>
                  <title>{`${a.asset}: ${a.share}%`}</title>
                </path>
              ) : null,
            )}
          </svg>
          <ul className="pf-legend">
            {arcs.map((a) => (
              <li key={a.asset} data-testid="allocation-row" data-asset={a.asset}>
                <span className={`pf-swatch pf-slot-${a.slot}`} aria-hidden="true" />
                <span className="asset">{a.asset}</span>
                <span className="num pf-share" title={`${a.share}%`}>
                  {formatDecimal(a.share, { minDecimals: 2 })}%
                </span>
                <span className="num muted pf-legend-value">
                  <Money value={a.value} unit={c} />
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  )
}

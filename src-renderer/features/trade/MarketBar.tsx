import { Kbd } from '../../ui/Kbd'
import { formatAtStep, formatPercent, signOf } from '../../ui/decimal'
import { useMarketInfo } from './feeds'
import { useVenueName } from '../markets/venuesStore'
import { useTicker } from './useTicker'
import { showMarketDialog } from './marketDialog'
import { useWorkspace } from '../workspace/workspaceStore'
import type { MarketRef } from '../workspace/layout'

/**
 * The focused view's market and ticker (market.ticker stream), the way to another market or another view,
 * and a word when the layout could not be saved.
 */
export function MarketBar({ market }: { market: MarketRef | null }) {
  const info = useMarketInfo(market)
  // The venue's name now (renamed elsewhere: the new one), or the name it had "(removed)".
  const venueName = useVenueName(market?.venueId ?? null, info?.venueLabel)
  const saveError = useWorkspace((s) => s.saveError)
  const ticker = useTicker(market)
  const tick = info?.tickSize ?? '0.01'
  const change = ticker?.changePct24h ?? info?.changePct24h ?? null
  const sign = signOf(change)
  const last = ticker?.last ?? info?.last ?? null
  const volume = ticker?.volume24h ?? info?.volume24h ?? null
  return (
    <div className="trade-bar toolbar" data-testid="market-bar">
      {market ? (
        <>
          <span className="trade-symbol" data-testid="trade-symbol">
            {market.symbol}
          </span>
          <span className="muted trade-venue">{venueName?.label ?? market.venueId}</span>
          <span className="trade-fact">
            <span className="muted">Last</span>{' '}
            <span className="trade-last" data-testid="trade-last">
              {last === null ? '—' : formatAtStep(last, tick)}
            </span>
          </span>
          <span className={`trade-fact ${sign > 0 ? 'pos' : sign < 0 ? 'neg' : ''}`}>
            <span className="muted">24h</span> {change === null ? '—' : formatPercent(change)}
          </span>
          <span className="trade-fact">
            <span className="muted">High</span> {ticker?.high24h ? formatAtStep(ticker.high24h, tick) : '—'}
          </span>
          <span className="trade-fact">
            <span className="muted">Low</span> {ticker?.low24h ? formatAtStep(ticker.low24h, tick) : '—'}
          </span>
          <span className="trade-fact">
            <span className="muted">Vol</span> {volume ? formatAtStep(volume, info?.stepSize ?? '1') : '—'}{' '}
            <span className="muted">{info?.base ?? ''}</span>
          </span>
        </>
      ) : (
        <span className="muted">No view open.</span>
      )}
      <span className="toolbar-spacer" />
      {saveError ? (
        <span className="inline-error ws-save-error" role="alert" title={saveError} data-testid="workspace-save-error">
          Layout not saved: {saveError}
        </span>
      ) : null}
      <button type="button" className="btn btn-small" onClick={() => showMarketDialog({ mode: 'open' })} data-testid="open-market-button">
        Open market… <Kbd combo="Mod+O" />
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => showMarketDialog({ mode: 'add', kind: null, placement: 'beside', anchorId: null })}
        title="Add a view beside the focused one (Alt+A; below it: Alt+Shift+A)"
        data-testid="add-view-button"
      >
        Add view…
      </button>
    </div>
  )
}

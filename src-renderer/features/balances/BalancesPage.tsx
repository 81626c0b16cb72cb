import { useEffect } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { useNow } from '../../ui/useNow'
import { formatAgo, formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { formatDecimal, formatValue, maxDecimals, signOf } from '../../ui/decimal'
import { startBalancesSync, useBalances, type VenueBalances } from './balancesStore'
import { openPaperReset } from './balanceActions'
import { useSimAccountLabel } from './simAccount'
import type { BalanceRow } from '../../../src-main/api/contract'
import './balances.css'

/** Balances per venue (each with its own error, if any) and the totals across them. */
export function BalancesPage() {
  useEffect(() => startBalancesSync({ poll: true }), [])
  const { view, status, error } = useBalances()
  return (
    <div className="balances-page" data-testid="balances-page">
      <div className="balances-venues" tabIndex={-1} data-focus-region aria-label="Balances per venue">
        {error ? <p className="inline-error">Balances unavailable: {error}</p> : null}
        {!view ? (
          <EmptyState>{status === 'loading' ? 'Loading balances…' : 'No balances.'}</EmptyState>
        ) : (
          view.venues.map((v) => <VenueSection key={v.venueId} venue={v} valuationAsset={view.valuationAsset} />)
        )}
      </div>
      <TotalsPanel />
    </div>
  )
}

function VenueSection({ venue: v, valuationAsset }: { venue: VenueBalances; valuationAsset: string }) {
  const now = useNow(1000)
  const timeFormat = useTimeFormat() ?? { timeZone: 'local', clock24h: true }
  // Practice money (the simulator's account and every paper account) never reads as a real exchange's.
  const paper = v.kind === 'simulated' || v.kind === 'paper'
  return (
    <section className="venue-balances" aria-label={v.label} data-testid="venue-balances" data-venue-id={v.venueId}>
      <header className="venue-balances-head">
        <h2 className="venue-balances-title">{v.label}</h2>
        <span className={`badge ${paper ? 'badge-accent' : 'badge-muted'}`}>{paper ? 'paper' : 'exchange'}</span>
        <span className="muted" data-testid="venue-updated">
          updated {formatAgo(now - v.updatedAt)}
          {/* Valued at prices kept from an earlier read (no live book open): say when they were read. */}
          {v.pricesAt !== undefined ? ` · prices as of ${formatTime(v.pricesAt, timeFormat)}` : null}
        </span>
        <span className="toolbar-spacer" />
        {v.kind === 'simulated' ? (
          <button type="button" className="btn btn-small" onClick={openPaperReset} data-testid="paper-reset-open">
            Reset {v.label} balance…
          </button>
        ) : null}
        {v.value === null ? (
          <span className="muted">no value</span>
        ) : (
          <span className="venue-balances-value" title={`${v.value} ${valuationAsset}`}>
            <span className="muted">≈ </span>
            <span className="num" data-testid="venue-value">
              {formatValue(v.value)}
            </span>{' '}
            <span className="muted">{valuationAsset}</span>
          </span>
        )}
      </header>
      {v.error ? (
        <p className="inline-error venue-error" role="alert" data-testid="venue-error">
          {v.error}
        </p>
      ) : null}
      {v.balances.length === 0 && !v.error ? <EmptyState>No balances on this venue.</EmptyState> : null}
      {v.balances.length > 0 ? <BalanceTable rows={v.balances} valuationAsset={valuationAsset} /> : null}
    </section>
  )
}

/** Asset, free, used, total (exact, aligned on the decimal point) and the approximate value. */
export function BalanceTable({
  rows,
  valuationAsset,
  compact = false,
}: {
  rows: readonly BalanceRow[]
  valuationAsset: string
  compact?: boolean
}) {
  const decimals = Math.min(10, maxDecimals(rows.flatMap((r) => [r.free, r.used, r.total])))
  const amount = (s: string) => formatDecimal(s, { minDecimals: decimals })
  return (
    <table className="grid-table balance-table" data-testid="balance-table">
      <thead>
        <tr>
          <th scope="col">Asset</th>
          {compact ? null : (
            <>
              <th scope="col" className="num">
                Free
              </th>
              <th scope="col" className="num">
                Used
              </th>
            </>
          )}
          <th scope="col" className="num">
            Total
          </th>
          <th scope="col" className="num">
            ≈ {valuationAsset}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.asset} data-testid="balance-row" data-asset={r.asset}>
            <th scope="row" className="asset">
              {r.asset}
            </th>
            {compact ? null : (
              <>
                <td className="num" data-testid="balance-free">
                  {amount(r.free)}
                </td>
                <td className={`num ${signOf(r.used) === 0 ? 'muted' : ''}`} data-testid="balance-used">
                  {amount(r.used)}
                </td>
              </>
            )}
            <td className="num" data-testid="balance-total" title={r.total}>
              {amount(r.total)}
            </td>
            <td
              className="num value"
              data-testid="balance-value"
              title={r.value ? `${r.value} ${valuationAsset}` : `No ${valuationAsset} price for ${r.asset}`}
            >
              {r.value === null ? <span className="muted">no price</span> : formatValue(r.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function TotalsPanel() {
  const view = useBalances((s) => s.view)
  const simLabel = useSimAccountLabel()
  const decimals = view ? Math.min(10, maxDecimals(view.totals.map((t) => t.total))) : 0
  return (
    <Panel
      title="Total"
      tools={
        <button type="button" className="btn btn-small" onClick={openPaperReset}>
          Reset {simLabel} balance…
        </button>
      }
      testId="panel-balance-totals"
    >
      {!view ? (
        <EmptyState>Loading…</EmptyState>
      ) : (
        <>
          <div className="total-value" title={`${view.totalValue} ${view.valuationAsset}`}>
            <span className="muted">≈</span>{' '}
            <span className="num" data-testid="total-value">
              {formatValue(view.totalValue)}
            </span>{' '}
            <span className="muted">{view.valuationAsset}</span>
          </div>
          {view.unvalued.length > 0 ? (
            <p className="unvalued" data-testid="unvalued">
              Not in the total (no {view.valuationAsset} price):{' '}
              {view.totals
                .filter((t) => signOf(t.notValued) !== 0)
                .map((t) => `${formatDecimal(t.notValued)} ${t.asset}`)
                .join(', ')}
            </p>
          ) : null}
          <table className="grid-table balance-table" data-testid="totals-table">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="num">
                  ≈ {view.valuationAsset}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.totals.map((t) => (
                <tr key={t.asset} data-testid="total-row" data-asset={t.asset}>
                  <th scope="row" className="asset">
                    {t.asset}
                  </th>
                  <td className="num" title={t.total}>
                    {formatDecimal(t.total, { minDecimals: decimals })}
                  </td>
                  <td
                    className="num"
                    title={t.value ? `${t.value} ${view.valuationAsset}${signOf(t.notValued) !== 0 ? ` (${t.notValued} ${t.asset} not valued)` : ''}` : undefined}
                  >
                    {t.value === null ? <span className="warn-text">not valued</span> : formatValue(t.value)}
                    {t.value !== null && signOf(t.notValued) !== 0 ? <span className="warn-text"> + {formatDecimal(t.notValued)} not valued</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="form-hint balances-note">
            Amounts are exact. Values are rounded to 0.01 {view.valuationAsset}; hover for the exact figure.
          </p>
        </>
      )}
    </Panel>
  )
}

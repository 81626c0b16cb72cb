import { useEffect } from 'react'
import { api } from '../../api'
import { decimalsOf } from '../../ui/decimal'
import { EmptyState } from '../../ui/Panel'
import { bookHealthShown, formatFixed } from './book'
import { useConnection } from '../connection/connection'
import { useKeyed } from './useKeyed'
import { useMarketInfo, useMarketMissing, viewClock } from './feeds'
import { ViewFrame } from './ViewFrame'
import type { AggregateFrame, WorkspaceView } from '../../../src-main/api/contract'

const LEVELS = 8
const VENUE_COLORS = 6
const EMPTY: { frame: AggregateFrame | null; error: string | null } = { frame: null, error: null }

/** One view's pair merged across venues: each level's per-venue shares, each venue's best, and the arbitrage edge. */
export function AggregatePanel({ view }: { view: WorkspaceView }) {
  const info = useMarketInfo(view)
  const marketMissing = useMarketMissing(view)
  const base = info?.base
  const quote = info?.quote
  const [{ frame, error }, set] = useKeyed(`${base}/${quote}`, EMPTY)
  // Cut off from the engine, its last frame is old: no venue in it is shown live (as the ladder does).
  const connection = useConnection()

  useEffect(() => {
    if (!base || !quote) return
    let closed = false
    // The latest frame waits for the page's drawing clock.
    const owner = {}
    let cancel = () => {}
    const off = api.subscribe(
      'market.aggregate',
      { base, quote, depth: LEVELS },
      (f) => {
        if (!closed) cancel = viewClock.schedule(owner, () => !closed && set(() => ({ frame: f, error: null })))
      },
      (err) => !closed && set((s) => ({ ...s, error: err.message })),
    )
    return () => {
      closed = true
      cancel()
      off()
    }
  }, [base, quote, set])

  const pd = info ? decimalsOf(info.tickSize) : 2
  // Sizes at the market's step, as the ladder shows them.
  const sd = info ? decimalsOf(info.stepSize) : 4
  // Bars are sized against the largest level shown, and split by venue.
  const maxSize = frame ? Math.max(0, ...frame.asks.slice(0, LEVELS).map((l) => l.size), ...frame.bids.slice(0, LEVELS).map((l) => l.size)) : 0
  const colorOf = (venue: string) => `vc-${(frame?.venues.indexOf(venue) ?? 0) % VENUE_COLORS}`
  const level = (side: 'ask' | 'bid', l: AggregateFrame['bids'][number]) => (
    <div key={`${side}${l.price}`} className={`agg-lvl agg-${side}`} data-testid={`agg-${side}`}>
      <span className="agg-price">{formatFixed(l.price, pd)}</span>
      <span className="agg-size">{formatFixed(l.size, sd)}</span>
      <span className="agg-bar" title={frame?.venues.map((v, i) => `${v}: ${formatFixed(l.shares[i] ?? 0, sd)}`).join('\n')}>
        <span className="agg-shares" style={{ width: `${maxSize > 0 ? (l.size / maxSize) * 100 : 0}%` }}>
          {l.shares.map((s, i) =>
            s > 0 ? <span key={i} className={`agg-share vc-${i % VENUE_COLORS}`} style={{ flexGrow: s }} /> : null,
          )}
        </span>
      </span>
    </div>
  )

  return (
    <ViewFrame
      view={view}
      tools={
        frame ? (
          <span className="agg-legend">
            {frame.venues.map((v) => (
              <span key={v} className="agg-legend-item">
                <span className={`agg-swatch ${colorOf(v)}`} aria-hidden="true" />
                {v}
              </span>
            ))}
          </span>
        ) : null
      }
    >
      {error ? <p className="inline-error">{error}</p> : null}
      {!frame ? (
        <EmptyState>{error ? 'No aggregate.' : info ? 'Waiting for venues…' : (marketMissing ?? 'Waiting for the market…')}</EmptyState>
      ) : (
        <div
          className="agg"
          tabIndex={0}
          data-view-focus
          data-connected={connection === 'connected'}
          aria-label={`${base}/${frame.quote} across venues`}
        >
          <div className={`agg-arb ${frame.arbitrage ? 'agg-arb-on' : ''}`} data-testid="agg-arbitrage">
            {frame.arbitrage ? (
              <>
                Arbitrage: buy {frame.arbitrage.buyVenueId} {formatFixed(frame.arbitrage.buyPrice, pd)} → sell{' '}
                {frame.arbitrage.sellVenueId} {formatFixed(frame.arbitrage.sellPrice, pd)} · edge{' '}
                {frame.arbitrage.edgeBps.toFixed(1)} bps after fees ({frame.arbitrage.grossBps.toFixed(1)} gross)
              </>
            ) : (
              <span className="muted">No arbitrage after fees</span>
            )}
          </div>
          <table className="grid-table agg-best">
            <thead>
              <tr>
                <th scope="col">Venue</th>
                <th scope="col" className="num">
                  Bid
                </th>
                <th scope="col" className="num">
                  Ask
                </th>
                <th scope="col">Book</th>
              </tr>
            </thead>
            <tbody>
              {frame.best.map((b) => {
                const { status, reason } = bookHealthShown(b, connection)
                return (
                  <tr key={b.venueId} data-status={status}>
                    <td className="nowrap">
                      <span className={`agg-swatch ${colorOf(b.venueId)}`} aria-hidden="true" /> {b.venueId}
                    </td>
                    <td className="num pos">{b.bid === null ? '—' : formatFixed(b.bid, pd)}</td>
                    <td className="num neg">{b.ask === null ? '—' : formatFixed(b.ask, pd)}</td>
                    <td className="nowrap" title={reason ?? undefined}>
                      {status}
                      {reason && status !== b.status ? ` · ${reason}` : null}
                    </td>
                  </tr>
                )
              })}
              {frame.excluded.map((x) => (
                <tr key={`x-${x.venueId}`} className="muted">
                  <td>{x.venueId}</td>
                  <td colSpan={3}>
                    {x.status}: {x.reason}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="agg-levels">
            {[...frame.asks.slice(0, LEVELS)].reverse().map((l) => level('ask', l))}
            <div className="agg-gap" />
            {frame.bids.slice(0, LEVELS).map((l) => level('bid', l))}
          </div>
        </div>
      )}
    </ViewFrame>
  )
}

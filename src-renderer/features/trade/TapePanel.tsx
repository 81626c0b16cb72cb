import { memo, useEffect, useMemo } from 'react'
import { api } from '../../api'
import { EmptyState } from '../../ui/Panel'
import { decimalsOf, formatAtStep } from '../../ui/decimal'
import { formatFixed } from './book'
import { formatTime, type TimeZoneSetting } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { addTrades, isLarge, LARGE_FACTOR, LARGE_WINDOW, largeThreshold, statusAfter } from './tape'
import { useKeyed } from './useKeyed'
import { useMarketInfo, viewClock } from './feeds'
import { ViewFrame } from './ViewFrame'
import type { TradeRow, WorkspaceView } from '../../../src-main/api/contract'

const SHOWN = 80
const EMPTY: { tape: TradeRow[]; error: string | null; note: string | null } = { tape: [], error: null, note: null }

/** One view's public trades, newest first; trades of at least 5× the median size of the last 200 stand out. */
export function TapePanel({ view }: { view: WorkspaceView }) {
  const info = useMarketInfo(view)
  const { venueId, symbol } = view
  const [{ tape, error, note }, set] = useKeyed(`${venueId}|${symbol}`, EMPTY)
  const timeFormat = useTimeFormat()

  useEffect(() => {
    if (!venueId || !symbol) return
    let closed = false
    // Batches wait for the page's drawing clock (oldest first; no more than the tape keeps).
    const owner = {}
    let queued: TradeRow[] = []
    let cancel = () => {}
    const apply = () => {
      const trades = queued
      queued = []
      if (!closed && trades.length > 0) set((s) => ({ ...s, tape: addTrades(s.tape, trades) }))
    }
    const off = api.subscribe(
      'market.trades',
      { venueId, symbol },
      (batch) => {
        if (closed) return
        if (batch.ended !== undefined || batch.note !== undefined) set((s) => ({ ...s, ...statusAfter(s, batch) }))
        queued = queued.concat(batch.trades)
        if (queued.length > LARGE_WINDOW) queued = queued.slice(queued.length - LARGE_WINDOW)
        cancel = viewClock.schedule(owner, apply)
      },
      (err) => {
        if (!closed) set((s) => ({ ...s, error: err.message }))
      },
    )
    return () => {
      closed = true
      cancel()
      off()
    }
  }, [venueId, symbol, set])

  const threshold = useMemo(() => largeThreshold(tape), [tape])
  const tick = info?.tickSize ?? '0.01'
  const step = info?.stepSize ?? '0.0001'
  return (
    <ViewFrame
      view={view}
      tools={
        <span className="muted" title={`Large: at least ${LARGE_FACTOR}× the median size of the last ${LARGE_WINDOW} trades`}>
          {threshold === null ? '' : `large ≥ ${formatFixed(threshold, decimalsOf(step))}`}
        </span>
      }
    >
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {note ? (
        <p className="muted" role="status" data-testid="tape-note">
          {note}
        </p>
      ) : null}
      {tape.length === 0 ? (
        <EmptyState>Waiting for trades…</EmptyState>
      ) : (
        <div className="scroll" tabIndex={0} data-view-focus aria-label={`${symbol} trades`}>
          <table className="grid-table tape-table" data-testid="tape">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="col-fit">
                  Side
                </th>
              </tr>
            </thead>
            <tbody>
              {tape.slice(0, SHOWN).map((t) => (
                <TapeRow
                  key={t.id}
                  trade={t}
                  large={isLarge(t, threshold)}
                  timeZone={timeFormat?.timeZone ?? null}
                  clock24h={timeFormat?.clock24h ?? false}
                  tick={tick}
                  step={step}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ViewFrame>
  )
}

interface TapeRowProps {
  trade: TradeRow
  large: boolean
  /** null until the time settings are known. */
  timeZone: TimeZoneSetting | null
  clock24h: boolean
  tick: string
  step: string
}

/**
 * One trade. Memoised on its props: a batch adds rows at the top and the others keep their trade object,
 * so only the new rows (and any whose "large" mark changed) render again.
 */
const TapeRow = memo(function TapeRow({ trade: t, large, timeZone, clock24h, tick, step }: TapeRowProps) {
  return (
    <tr data-testid="tape-row" data-side={t.side} data-large={large || undefined} className={large ? 'tape-large' : undefined}>
      <td className="nowrap muted">{timeZone ? formatTime(t.time, { timeZone, clock24h }) : ''}</td>
      <td className={`num ${t.side === 'buy' ? 'pos' : 'neg'}`}>{formatAtStep(t.price, tick)}</td>
      <td className="num">{formatAtStep(t.amount, step)}</td>
      <td className={t.side === 'buy' ? 'pos' : 'neg'}>{t.side}</td>
    </tr>
  )
})

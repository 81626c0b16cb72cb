import { useEffect, useMemo } from 'react'
import { api } from '../../api'
import { EmptyState } from '../../ui/Panel'
import { decimalsOf, formatAtStep } from '../../ui/decimal'
import { formatFixed } from './book'
import { formatTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { addTrades, isLarge, LARGE_FACTOR, LARGE_WINDOW, largeThreshold } from './tape'
import { useKeyed } from './useKeyed'
import { useMarketInfo } from './feeds'
import { ViewFrame } from './ViewFrame'
import type { TradeRow, WorkspaceView } from '../../../src-main/api/contract'

const SHOWN = 80
const EMPTY: { tape: TradeRow[]; error: string | null } = { tape: [], error: null }

/** One view's public trades, newest first; trades of at least 5× the median size of the last 200 stand out. */
export function TapePanel({ view }: { view: WorkspaceView }) {
  const info = useMarketInfo(view)
  const { venueId, symbol } = view
  const [{ tape, error }, set] = useKeyed(`${venueId}|${symbol}`, EMPTY)
  const timeFormat = useTimeFormat()

  useEffect(() => {
    if (!venueId || !symbol) return
    let closed = false
    const off = api.subscribe(
      'market.trades',
      { venueId, symbol },
      (batch) => {
        if (!closed) set((s) => ({ ...s, tape: addTrades(s.tape, batch.trades) }))
      },
      (err) => {
        if (!closed) set((s) => ({ ...s, error: err.message }))
      },
    )
    return () => {
      closed = true
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
              {tape.slice(0, SHOWN).map((t) => {
                const large = isLarge(t, threshold)
                return (
                  <tr key={t.id} data-testid="tape-row" data-side={t.side} data-large={large || undefined} className={large ? 'tape-large' : undefined}>
                    <td className="nowrap muted">{timeFormat ? formatTime(t.time, timeFormat) : ''}</td>
                    <td className={`num ${t.side === 'buy' ? 'pos' : 'neg'}`}>{formatAtStep(t.price, tick)}</td>
                    <td className="num">{formatAtStep(t.amount, step)}</td>
                    <td className={t.side === 'buy' ? 'pos' : 'neg'}>{t.side}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </ViewFrame>
  )
}

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { decimalsOf } from '../../ui/decimal'
import { formatDateTime, formatTime, type TimeFormat } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { formatFixed } from './book'
import { candleRange, mergeLive, niceTicks, TIMEFRAMES } from './candles'
import { prepare, readPalette, useBoxSize } from './canvas'
import { useTrade, type MarketRef } from './tradeStore'
import { useKeyed } from './useKeyed'
import type { CandleView, MarketTimeframe, MarketView } from '../../../src-main/api/contract'

export const CHART_ID = 'trade-chart'
const HISTORY = 300
const SPACING = 7
const AXIS_W = 64
const AXIS_H = 16
const VOLUME_SHARE = 0.2
/** Empty bars kept right of the forming candle, so it does not touch the price axis. */
const RIGHT_BARS = 3

interface Series {
  candles: CandleView[]
  error: string | null
  loading: boolean
}
const LOADING: Series = { candles: [], error: null, loading: true }

function timeLabel(ms: number, timeframe: MarketTimeframe, fmt: TimeFormat): string {
  if (timeframe === '1d') return formatDateTime(ms, fmt).slice(5, 10)
  return formatTime(ms, fmt).replace(/:\d\d(?=( [AP]M)?$)/, '')
}

/** Candles with volume: history from market.candles, the forming candle from market.candles.live. */
export function CandlePanel({ market, info }: { market: MarketRef | null; info: MarketView | null }) {
  const timeframe = useTrade((s) => s.timeframe)
  const setTimeframe = useTrade((s) => s.setTimeframe)
  const fmt = useTimeFormat()
  const venueId = market?.venueId
  const symbol = market?.symbol
  const key = `${venueId}|${symbol}|${timeframe}`
  const [series, setSeries] = useKeyed(key, LOADING)
  const [hover, setHover] = useState<number | null>(null)

  useEffect(() => {
    if (!venueId || !symbol) return
    let closed = false
    // Live candles that arrive before the history answer are kept and merged on top of it.
    let early: CandleView[] = []
    let loaded = false
    const off = api.subscribe(
      'market.candles.live',
      { venueId, symbol, timeframe },
      (live) => {
        if (closed) return
        if (!loaded) early.push(live.candle)
        else setSeries((s) => ({ ...s, candles: mergeLive(s.candles, live.candle) }))
      },
      (err) => !closed && setSeries((s) => ({ ...s, error: err.message })),
    )
    api
      .invoke('market.candles', { venueId, symbol, timeframe, limit: HISTORY })
      .then((history) => {
        if (closed) return
        loaded = true
        let candles = history.candles
        for (const c of early) candles = mergeLive(candles, c)
        early = []
        setSeries(() => ({ candles, error: null, loading: false }))
      })
      .catch((err: unknown) => {
        if (closed) return
        loaded = true
        setSeries((s) => ({ ...s, loading: false, error: err instanceof Error ? err.message : String(err) }))
      })
    return () => {
      closed = true
      off()
    }
  }, [venueId, symbol, timeframe, setSeries])

  const box = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const size = useBoxSize(box)
  const candles = series.candles
  const pd = info ? decimalsOf(info.tickSize) : 2
  const visibleCount = Math.max(1, Math.floor((size.width - AXIS_W) / SPACING) - RIGHT_BARS)
  const shown = useMemo(() => candles.slice(-visibleCount), [candles, visibleCount])

  useEffect(() => {
    const el = canvas.current
    if (!el || size.width === 0) return
    const ctx = prepare(el, size)
    const range = candleRange(shown)
    if (!ctx || !range || !fmt) return
    const pal = readPalette(el)
    const plotW = size.width - AXIS_W
    const plotH = size.height - AXIS_H
    const priceH = plotH * (1 - VOLUME_SHARE) - 4
    const y = (p: number) => ((range.hi - p) / (range.hi - range.lo)) * priceH
    const x0 = plotW - (shown.length + RIGHT_BARS) * SPACING
    ctx.font = pal.font
    ctx.textBaseline = 'middle'
    // Price grid and axis.
    ctx.lineWidth = 1
    for (const p of niceTicks(range.lo, range.hi, Math.max(2, Math.floor(priceH / 48)))) {
      const yy = Math.round(y(p)) + 0.5
      ctx.strokeStyle = pal.grid
      ctx.beginPath()
      ctx.moveTo(0, yy)
      ctx.lineTo(plotW, yy)
      ctx.stroke()
      ctx.fillStyle = pal.muted
      ctx.textAlign = 'left'
      ctx.fillText(formatFixed(p, pd), plotW + 6, yy)
    }
    // Time axis: a label about every 90 px.
    const every = Math.max(1, Math.round(90 / SPACING))
    ctx.textBaseline = 'top'
    ctx.textAlign = 'center'
    ctx.strokeStyle = pal.grid
    ctx.beginPath()
    ctx.moveTo(0, plotH + 0.5)
    ctx.lineTo(plotW, plotH + 0.5)
    ctx.moveTo(plotW + 0.5, 0)
    ctx.lineTo(plotW + 0.5, plotH)
    ctx.stroke()
    shown.forEach((c, i) => {
      if ((candles.length - shown.length + i) % every !== 0) return
      const cx = x0 + i * SPACING + SPACING / 2
      if (cx < 20 || cx > plotW - 20) return
      ctx.fillStyle = pal.muted
      ctx.fillText(timeLabel(c.time, timeframe, fmt), cx, plotH + 3)
    })
    // Volume bars.
    const volTop = plotH * (1 - VOLUME_SHARE)
    const volH = plotH - volTop
    shown.forEach((c, i) => {
      const h = range.maxVolume > 0 ? (c.volume / range.maxVolume) * volH : 0
      ctx.globalAlpha = 0.35
      ctx.fillStyle = c.close >= c.open ? pal.up : pal.down
      ctx.fillRect(x0 + i * SPACING + 1, plotH - h, SPACING - 2, h)
    })
    ctx.globalAlpha = 1
    // Candles.
    shown.forEach((c, i) => {
      const cx = Math.round(x0 + i * SPACING + SPACING / 2) + 0.5
      const color = c.close >= c.open ? pal.up : pal.down
      ctx.strokeStyle = color
      ctx.fillStyle = color
      ctx.beginPath()
      ctx.moveTo(cx, y(c.high))
      ctx.lineTo(cx, y(c.low))
      ctx.stroke()
      const top = y(Math.max(c.open, c.close))
      const h = Math.max(1, y(Math.min(c.open, c.close)) - top)
      ctx.fillRect(cx - (SPACING - 2) / 2, top, SPACING - 2, h)
    })
    // Last price line and label.
    const last = shown.at(-1)
    if (last) {
      const yy = Math.round(y(last.close)) + 0.5
      const color = last.close >= last.open ? pal.up : pal.down
      ctx.strokeStyle = color
      ctx.setLineDash([2, 3])
      ctx.beginPath()
      ctx.moveTo(0, yy)
      ctx.lineTo(plotW, yy)
      ctx.stroke()
      ctx.setLineDash([])
      ctx.fillStyle = color
      ctx.fillRect(plotW + 1, yy - 8, AXIS_W - 1, 16)
      ctx.fillStyle = '#ffffff'
      ctx.textAlign = 'left'
      ctx.textBaseline = 'middle'
      ctx.fillText(formatFixed(last.close, pd), plotW + 6, yy)
    }
  }, [shown, size, fmt, pd, timeframe, candles.length])

  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const i = Number(event.key)
    if (Number.isInteger(i) && i >= 1 && i <= TIMEFRAMES.length) {
      event.preventDefault()
      setTimeframe(TIMEFRAMES[i - 1]!)
    }
  }

  const onMove = (event: MouseEvent<HTMLDivElement>) => {
    const r = event.currentTarget.getBoundingClientRect()
    const x = event.clientX - r.left
    const i = Math.floor((x - (size.width - AXIS_W - (shown.length + RIGHT_BARS) * SPACING)) / SPACING)
    setHover(i >= 0 && i < shown.length ? i : null)
  }

  const legend = shown[hover ?? shown.length - 1]
  const sd = info ? Math.min(decimalsOf(info.stepSize), 4) : 2
  return (
    <Panel
      title="Chart"
      testId="panel-chart"
      tools={
        <div className="tf-buttons" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf, i) => (
            <button
              key={tf}
              type="button"
              className="btn btn-small tf-btn"
              aria-pressed={tf === timeframe}
              title={`${tf} (key ${i + 1} in the chart)`}
              onClick={() => setTimeframe(tf)}
              data-testid={`tf-${tf}`}
            >
              {tf}
            </button>
          ))}
        </div>
      }
    >
      <div className="chart-legend" data-testid="chart-legend">
        {legend && fmt ? (
          <>
            <span className="muted">{formatDateTime(legend.time, fmt)}</span>
            <span>
              <span className="muted">O</span> {formatFixed(legend.open, pd)}
            </span>
            <span>
              <span className="muted">H</span> {formatFixed(legend.high, pd)}
            </span>
            <span>
              <span className="muted">L</span> {formatFixed(legend.low, pd)}
            </span>
            <span className={legend.close >= legend.open ? 'pos' : 'neg'}>
              <span className="muted">C</span> {formatFixed(legend.close, pd)}
            </span>
            <span>
              <span className="muted">V</span> {formatFixed(legend.volume, sd)}
            </span>
          </>
        ) : (
          <span className="muted">{series.error ?? (series.loading ? 'Loading candles…' : 'No candles.')}</span>
        )}
        <span className="chart-keys muted">keys 1–6</span>
      </div>
      {series.error && legend ? (
        <p className="inline-error" role="alert">
          {series.error}
        </p>
      ) : null}
      <div
        id={CHART_ID}
        className="chart-box"
        ref={box}
        tabIndex={0}
        role="img"
        aria-label={`${symbol ?? ''} ${timeframe} candles`}
        onKeyDown={onKeys}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        data-testid="chart"
        data-timeframe={timeframe}
        data-candles={candles.length}
      >
        <canvas ref={canvas} className="chart-canvas" data-testid="chart-canvas" />
      </div>
    </Panel>
  )
}

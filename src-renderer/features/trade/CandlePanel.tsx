import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import {
  CandlestickSeries,
  ColorType,
  createChart,
  CrosshairMode,
  HistogramSeries,
  TickMarkType,
  type CandlestickData,
  type DeepPartial,
  type ChartOptions,
  type CandlestickSeriesPartialOptions,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { api } from '../../api'
import { chartPriceFormat, decimalsOf } from '../../ui/decimal'
import { candleTimeText, chartTimes, fromChartTime, isDaily, tickLabel, toChartTime } from './chartTime'
import { useTimeFormat } from '../../app/useTimeFormat'
import type { TimeFormat } from '../../ui/format'
import { formatFixed } from './book'
import { barsPrepended, TIMEFRAMES } from './candles'
import { LOADING_SERIES, watchCandleSeries, type CandleWatch } from './candleSeries'
import { readPalette, type Palette } from './canvas'
import { useKeyed } from './useKeyed'
import { useOrderLines } from './useOrderLines'
import { useLineDrag } from './useLineDrag'
import { usePositionLine } from './usePositionLine'
import { useOffRangeLines } from './useOffRangeLines'
import type { OrderLine } from './orderLines'
import { useFillMarkers } from './useFillMarkers'
import { useMarketInfo, useMarketMissing, viewClock } from './feeds'
import { ViewFrame } from './ViewFrame'
import { onReconnect } from '../connection/connection'
import { setViewOptions } from '../workspace/layout'
import { changeWorkspace } from '../workspace/workspaceStore'
import type { CandleView, MarketTimeframe, WorkspaceView } from '../../../src-main/api/contract'

// The candle chart is TradingView's lightweight-charts (v5): candles and a volume histogram overlaid at
// the bottom, crosshair, zoom and scroll as the library gives them, coloured from the theme's variables;
// the user's resting orders and armed triggers on the market as price lines (useOrderLines), which can be
// dragged to a new price (useLineDrag), the position at its average cost (usePositionLine), and its fills
// as arrows (useFillMarkers). Scrolled back near its first candle, it loads older ones in front.

const HISTORY = 300
/** Candles asked for each time the user scrolls back near the first one. */
const OLDER_BATCH = 500
/** At most this many bars in the chart (history scrolled back to included). */
const MAX_BARS = 5000
/** Older candles are asked for when the view's left edge comes this close (in bars) to the first one. */
const OLDER_WITHIN = 20
/** Share of the chart's height the volume histogram takes, at the bottom. */
const VOLUME_SHARE = 0.2
/** Empty bars kept right of the forming candle, so it does not touch the price axis. */
const RIGHT_BARS = 3
const VOLUME_ALPHA = 0.35

interface ChartParts {
  api: IChartApi
  candle: ISeriesApi<'Candlestick'>
  volume: ISeriesApi<'Histogram'>
  /**
   * What the series hold: the market/timeframe key, the palette, the time format, the history version, the
   * candle count and first open time.
   */
  applied: {
    key: string
    palette: Palette
    fmt: TimeFormat
    version: number
    count: number
    first: number | undefined
  } | null
}

// Chart times are UTC seconds shifted to read as the user's wall time (chartTime.ts); candle times are UTC ms.
const toBar = (c: CandleView, time: UTCTimestamp): CandlestickData<Time> => ({
  time,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
})

const toVolume = (c: CandleView, time: UTCTimestamp, pal: Palette): HistogramData<Time> => ({
  time,
  value: c.volume,
  color: withAlpha(c.close >= c.open ? pal.up : pal.down, VOLUME_ALPHA),
})

/** `#rgb`, `#rrggbb` and `rgb()` colours with an alpha; anything else as it is. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim()
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c)
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c)
  const hex = long ? [long[1]!, long[2]!, long[3]!] : short ? [short[1]! + short[1]!, short[2]! + short[2]!, short[3]! + short[3]!] : null
  if (hex) return `rgba(${hex.map((h) => parseInt(h, 16)).join(', ')}, ${alpha})`
  const rgb = /^rgb\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*\)$/i.exec(c)
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`
  return c
}

function themeOptions(pal: Palette): DeepPartial<ChartOptions> {
  return {
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: pal.text,
      fontSize: 11,
      fontFamily: pal.family,
      // Its logo injects a <style> element, which the strict CSP refuses; the legend links instead.
      attributionLogo: false,
    },
    grid: { vertLines: { color: pal.grid }, horzLines: { color: pal.grid } },
    rightPriceScale: { borderColor: pal.grid, scaleMargins: { top: 0.08, bottom: VOLUME_SHARE + 0.04 } },
    crosshair: {
      vertLine: { color: pal.muted, labelBackgroundColor: pal.grid },
      horzLine: { color: pal.muted, labelBackgroundColor: pal.grid },
    },
  }
}

function candleColours(pal: Palette): CandlestickSeriesPartialOptions {
  return {
    upColor: pal.up,
    downColor: pal.down,
    borderUpColor: pal.up,
    borderDownColor: pal.down,
    wickUpColor: pal.up,
    wickDownColor: pal.down,
  }
}

/** The same palette object when nothing changed (so no re-render and no re-set of the data). */
function samePalette(old: Palette | null, next: Palette): Palette {
  if (old && (Object.keys(next) as (keyof Palette)[]).every((k) => old[k] === next[k])) return old
  return next
}

/** One view's candles with volume: history from market.candles, the forming candle from market.candles.live. */
export function CandlePanel({ view }: { view: WorkspaceView }) {
  const info = useMarketInfo(view)
  // Why its tick is not known yet: "No such market on Binance", "Markets of Binance could not be loaded: …".
  const marketMissing = useMarketMissing(view)
  const timeframe: MarketTimeframe = view.timeframe ?? '1m'
  const setTimeframe = (tf: MarketTimeframe) => changeWorkspace((l) => setViewOptions(l, view.id, { timeframe: tf }))
  const fmt = useTimeFormat()
  const { venueId, symbol } = view
  const key = `${venueId}|${symbol}|${timeframe}`
  const [series, setSeries] = useKeyed(key, LOADING_SERIES)
  /** The running watch of this market and timeframe (its `older` asks for candles before the first). */
  const watch = useRef<CandleWatch | null>(null)

  useEffect(() => {
    const owner = {}
    const w = watchCandleSeries(
      {
        live: (onCandle, onError) =>
          api.subscribe('market.candles.live', { venueId, symbol, timeframe }, (live) => onCandle(live.candle), (err) => onError(err.message)),
        history: () => api.invoke('market.candles', { venueId, symbol, timeframe, limit: HISTORY }).then((h) => h.candles),
        older: (until, limit) => api.invoke('market.candles', { venueId, symbol, timeframe, limit, until }).then((h) => h.candles),
        onReconnect,
        schedule: (apply) => viewClock.schedule(owner, apply),
      },
      setSeries,
      MAX_BARS,
      OLDER_BATCH,
    )
    watch.current = w
    return () => {
      watch.current = null
      w.stop()
    }
  }, [venueId, symbol, timeframe, setSeries])

  const host = useRef<HTMLDivElement>(null)
  const chart = useRef<ChartParts | null>(null)
  const [palette, setPalette] = useState<Palette | null>(null)
  const [hover, setHover] = useState<number | null>(null)
  const candles = series.candles
  const version = series.version
  const tick = info?.tickSize ?? null
  // Until the market's tick is known the chart waits (2 decimals would draw a sub-cent coin as 0.00).
  const pd = info ? decimalsOf(info.tickSize) : null
  // The chart's candles, for the scroll handler (it is subscribed once, with the chart).
  const drawn = useRef<readonly CandleView[]>(candles)
  useEffect(() => {
    drawn.current = candles
  }, [candles])
  // Chart time back to a candle's open time, for the crosshair handler (subscribed once, with the chart).
  const unshift = useRef<(t: Time) => number | null>(() => null)
  useEffect(() => {
    unshift.current = (t) => (fmt ? fromChartTime(t, timeframe, fmt) : null)
  }, [fmt, timeframe])

  // The chart itself: created once, coloured from the CSS variables (re-read whenever <html>'s theme changes).
  useEffect(() => {
    const el = host.current
    if (!el) return
    const pal = readPalette(el)
    const lc = createChart(el, {
      ...themeOptions(pal),
      autoSize: true,
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: RIGHT_BARS, borderColor: pal.grid },
    })
    const candle = lc.addSeries(CandlestickSeries, candleColours(pal))
    const volume = lc.addSeries(HistogramSeries, {
      priceScaleId: '',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    })
    volume.priceScale().applyOptions({ scaleMargins: { top: 1 - VOLUME_SHARE, bottom: 0 } })
    chart.current = { api: lc, candle, volume, applied: null }
    setPalette(pal)
    const onCrosshair = (param: MouseEventParams<Time>) => setHover(param.time === undefined ? null : unshift.current(param.time))
    lc.subscribeCrosshairMove(onCrosshair)
    // Scrolled back near the first candle: older ones are asked for (the watch allows one request at a time).
    const onRange = (range: LogicalRange | null) => {
      const first = drawn.current[0]
      if (range && first && range.from < OLDER_WITHIN) watch.current?.older(first.time, drawn.current.length)
    }
    lc.timeScale().subscribeVisibleLogicalRangeChange(onRange)
    const themeWatch = new MutationObserver(() => setPalette((old) => samePalette(old, readPalette(el))))
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'style'] })
    return () => {
      themeWatch.disconnect()
      lc.timeScale().unsubscribeVisibleLogicalRangeChange(onRange)
      lc.unsubscribeCrosshairMove(onCrosshair)
      lc.remove()
      chart.current = null
    }
  }, [])

  // Theme colours.
  useEffect(() => {
    const c = chart.current
    if (!c || !palette) return
    c.api.applyOptions({ ...themeOptions(palette), timeScale: { borderColor: palette.grid } })
    c.candle.applyOptions(candleColours(palette))
  }, [palette])

  // Times follow the ui.timeZone / ui.clock24h settings: the bars are shifted to the zone's wall time (the
  // library's tick marks fall on its whole hours), and the labels name each chart time's own instant.
  useEffect(() => {
    const c = chart.current
    if (!c || !fmt) return
    c.api.applyOptions({
      localization: { timeFormatter: (t: Time) => candleTimeText(fromChartTime(t, timeframe, fmt), timeframe, fmt) },
      timeScale: { tickMarkFormatter: (t: Time, type: TickMarkType) => tickLabel(fromChartTime(t, timeframe, fmt), type, fmt, timeframe) },
    })
  }, [fmt, timeframe])

  // Prices in the market's tick.
  useEffect(() => {
    const c = chart.current
    if (!c || pd === null) return
    const minMove = tick === null ? 0 : Number(tick)
    c.candle.applyOptions({ priceFormat: chartPriceFormat(pd, minMove > 0 ? minMove : 10 ** -pd) })
  }, [pd, tick])

  const priced = pd !== null
  // Data: the whole series when history arrives (at first or again after a reconnect, or the market, timeframe or theme changes); only the
  // forming candle (series.update) when a live candle replaces the last one or opens the next.
  useEffect(() => {
    const c = chart.current
    if (!c || !palette || !priced || !fmt) return
    const last = candles.at(-1)
    const prev = c.applied
    const incremental =
      prev !== null &&
      last !== undefined &&
      prev.key === key &&
      prev.palette === palette &&
      prev.fmt === fmt &&
      prev.version === version &&
      prev.count > 0 &&
      prev.first === candles[0]?.time &&
      (candles.length === prev.count || candles.length === prev.count + 1)
    if (incremental) {
      // The forming candle, or the next one (chart times rise with open times, also when clocks go back).
      const at = toChartTime(last.time, timeframe, fmt)
      c.candle.update(toBar(last, at))
      c.volume.update(toVolume(last, at, palette))
    } else {
      const times = chartTimes(candles.map((k) => k.time), timeframe, fmt)
      // Older candles put in front: the view stays on the bars the user is looking at.
      const shift = prev?.key === key ? barsPrepended(candles, prev.first) : 0
      const range = shift > 0 ? c.api.timeScale().getVisibleLogicalRange() : null
      c.candle.setData(candles.map((k, i) => toBar(k, times[i]!)))
      c.volume.setData(candles.map((k, i) => toVolume(k, times[i]!, palette)))
      // A new market or timeframe opens on the latest candles at the default bar spacing.
      if (candles.length > 0 && (prev?.key !== key || prev.count === 0)) c.api.timeScale().resetTimeScale()
      else if (range) c.api.timeScale().setVisibleLogicalRange({ from: range.from + shift, to: range.to + shift })
    }
    c.applied = { key, palette, fmt, version, count: candles.length, first: candles[0]?.time }
  }, [candles, key, palette, fmt, timeframe, version, priced])

  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const i = Number(event.key)
    if (Number.isInteger(i) && i >= 1 && i <= TIMEFRAMES.length) {
      event.preventDefault()
      setTimeframe(TIMEFRAMES[i - 1]!)
    }
  }

  // The user's orders and triggers on this market, as price lines.
  const lines = useOrderLines(chart, venueId, symbol, palette)
  // …which can be dragged to a new price; those the price range leaves out are named at its edge.
  useLineDrag(host, chart, lines, tick, palette, candles)
  const offRange = useOffRangeLines(chart, lines)
  // The position held on it, at its average cost.
  const positionAt = usePositionLine(chart, venueId, symbol, info?.quote ?? null, palette)
  // …and its fills, as arrows at their prices.
  const fillMarkerCount = useFillMarkers(chart, venueId, symbol, candles, palette, timeframe, fmt)

  const legend = (hover === null ? undefined : candles.findLast((k) => k.time === hover)) ?? candles.at(-1)
  // Volume at the market's step, as the ladder shows sizes.
  const sd = info ? decimalsOf(info.stepSize) : 2
  return (
    <ViewFrame
      view={view}
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
        {legend && fmt && pd !== null ? (
          <>
            <span className="muted" title={isDaily(timeframe) ? 'Daily candles are UTC days, as the exchanges count them' : undefined}>
              {candleTimeText(legend.time, timeframe, fmt)}
            </span>
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
          <span className="muted">
            {series.error ?? (series.loading ? 'Loading candles…' : pd === null ? (marketMissing ?? 'Waiting for the market…') : 'No candles.')}
          </span>
        )}
        <span className="chart-keys muted">keys 1–6</span>
      </div>
      {series.error && legend ? (
        <p className="inline-error" role="alert">
          {series.error}
        </p>
      ) : null}
      <div
        id={`chart-${view.id}`}
        className="chart-box"
        tabIndex={0}
        role="img"
        aria-label={`${symbol} ${timeframe} candles`}
        onKeyDown={onKeys}
        onMouseLeave={() => setHover(null)}
        data-testid="chart"
        data-timeframe={timeframe}
        data-candles={candles.length}
        data-order-lines={lines.length}
        data-position-line={positionAt ?? ''}
        data-fill-markers={fillMarkerCount}
        data-view-focus
      >
        <div ref={host} className="chart-canvas" data-testid="chart-canvas" />
        {pd !== null ? (
          <>
            <OffRangeBadge edge="above" lines={offRange.above} pd={pd} />
            <OffRangeBadge edge="below" lines={offRange.below} pd={pd} />
          </>
        ) : null}
        {/* lightweight-charts' licence asks for a link to TradingView; its own logo injects a <style> (CSP). */}
        <a className="chart-attribution" href="https://www.tradingview.com/" target="_blank" rel="noreferrer" tabIndex={-1}>
          Charting by TradingView
        </a>
      </div>
    </ViewFrame>
  )
}

/**
 * At the chart's top or bottom edge: the nearest line out of range there, and how many more (all of them in
 * its label). It takes no pointer: a line being dragged may pass under it.
 */
function OffRangeBadge({ edge, lines, pd }: { edge: 'above' | 'below'; lines: readonly OrderLine[]; pd: number }) {
  const nearest = lines[0]
  if (!nearest) return null
  const arrow = edge === 'above' ? '▲' : '▼'
  const all = lines.map((l) => `${l.title} at ${formatFixed(l.price, pd)}`).join('\n')
  return (
    <div className={`chart-offrange chart-offrange-${edge} chart-offrange-${nearest.style === 'alert' ? 'alert' : nearest.side}`} role="note" aria-label={all} data-testid={`chart-offrange-${edge}`} data-count={lines.length} data-ids={lines.map((l) => l.id).join(',')}>
      {arrow} {nearest.title} at {formatFixed(nearest.price, pd)}
      {lines.length > 1 ? <span className="muted"> +{lines.length - 1} more</span> : null}
    </div>
  )
}

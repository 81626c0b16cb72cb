import { useEffect, useMemo, useRef, useState } from 'react'
import {
  AreaSeries,
  ColorType,
  createChart,
  LineSeries,
  LineStyle,
  TickMarkType,
  type DeepPartial,
  type ChartOptions,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { Panel } from '../../ui/Panel'
import { formatDateTime, formatTime, type TimeFormat } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { readPalette, type Palette } from '../trade/canvas'
import { withAlpha } from '../trade/CandlePanel'
import { usePortfolio } from './portfolioStore'
import { choiceOf, equitySeries, periodLabel } from './portfolioModel'
import { PORTFOLIO_IDS } from './portfolioIds'
import { chartPriceFormat } from '../../ui/decimal'

// The equity curve (lightweight-charts v5): the engine's points for the period (daily, or hourly / 5-min
// when the period is intraday), ending at the live total; net deposits as a dashed line, so gains stand
// apart from money moved in. Its attribution logo is off (it injects a <style>, which the CSP refuses).

interface ChartParts {
  api: IChartApi
  value: ISeriesApi<'Area'>
  deposits: ISeriesApi<'Line'>
  /** The period/account/resolution the series show, to refit the time scale when that changes. */
  fitted: string | null
}

const msOf = (t: Time) => (typeof t === 'number' ? t * 1000 : typeof t === 'string' ? Date.parse(t) : Date.UTC(t.year, t.month - 1, t.day))

function themeOptions(pal: Palette): DeepPartial<ChartOptions> {
  return {
    layout: {
      background: { type: ColorType.Solid, color: 'transparent' },
      textColor: pal.text,
      fontSize: 11,
      fontFamily: pal.family,
      attributionLogo: false,
    },
    grid: { vertLines: { color: pal.grid }, horzLines: { color: pal.grid } },
    rightPriceScale: { borderColor: pal.grid },
    timeScale: { borderColor: pal.grid },
  }
}

function tickLabel(ms: number, type: TickMarkType, fmt: TimeFormat): string {
  const dt = formatDateTime(ms, fmt)
  if (type === TickMarkType.Year) return dt.slice(0, 4)
  if (type === TickMarkType.Month || type === TickMarkType.DayOfMonth) return dt.slice(5, 10)
  return formatTime(ms, fmt).replace(/:\d\d(?=( [AP]M)?$)/, '')
}

export function EquityPanel() {
  const equity = usePortfolio((s) => s.equity)
  const error = usePortfolio((s) => s.equityError)
  const loading = usePortfolio((s) => s.equityLoading)
  const period = usePortfolio((s) => s.period)
  const view = usePortfolio((s) => s.view)
  const fmt = useTimeFormat()

  // The live total extends the curve only when it is for the same account, period and currency.
  const sameView = view !== null && equity !== null && view.period === equity.period && view.account === equity.account && view.currency === equity.currency
  const liveAt = sameView ? view.at : null
  const liveValue = sameView ? view.totals.value : null
  const series = useMemo(
    () => equitySeries(equity?.points ?? [], liveAt !== null && liveValue !== null ? { at: liveAt, value: liveValue } : null),
    [equity, liveAt, liveValue],
  )

  const host = useRef<HTMLDivElement>(null)
  const chart = useRef<ChartParts | null>(null)
  const [palette, setPalette] = useState<Palette | null>(null)

  useEffect(() => {
    const el = host.current
    if (!el) return
    const pal = readPalette(el)
    const lc = createChart(el, { ...themeOptions(pal), autoSize: true, timeScale: { timeVisible: true, secondsVisible: false } })
    const money = chartPriceFormat(2, 0.01)
    const value = lc.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false, priceFormat: money })
    const deposits = lc.addSeries(LineSeries, { lineWidth: 1, lineStyle: LineStyle.Dashed, priceLineVisible: false, lastValueVisible: false, priceFormat: money })
    chart.current = { api: lc, value, deposits, fitted: null }
    setPalette(pal)
    const themeWatch = new MutationObserver(() => setPalette(readPalette(el)))
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'style'] })
    return () => {
      themeWatch.disconnect()
      lc.remove()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const c = chart.current
    if (!c || !palette) return
    c.api.applyOptions(themeOptions(palette))
    c.value.applyOptions({ lineColor: palette.accent, topColor: withAlpha(palette.accent, 0.3), bottomColor: withAlpha(palette.accent, 0.02) })
    c.deposits.applyOptions({ color: palette.muted })
  }, [palette])

  useEffect(() => {
    const c = chart.current
    if (!c || !fmt) return
    c.api.applyOptions({
      localization: { timeFormatter: (t: Time) => formatDateTime(msOf(t), fmt) },
      timeScale: { tickMarkFormatter: (t: Time, type: TickMarkType) => tickLabel(msOf(t), type, fmt) },
    })
  }, [fmt])

  const fitKey = equity ? `${choiceOf(equity)}|${equity.period}|${equity.resolution}` : null
  useEffect(() => {
    const c = chart.current
    if (!c) return
    c.value.setData(series.value.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })))
    c.deposits.setData(series.deposits.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })))
    // A new period or account shows its whole span; later refreshes keep the user's zoom.
    if (fitKey !== c.fitted && series.value.length > 0) {
      c.api.timeScale().fitContent()
      c.fitted = fitKey
    }
  }, [series, fitKey])

  const stale = equity !== null && equity.period !== period
  const status = error ?? (series.value.length === 0 ? (loading || !equity ? 'Loading equity…' : 'No history in this period yet.') : null)
  return (
    <Panel
      title={`Equity ${periodLabel(period)}`}
      tools={
        <span className="muted">
          {equity ? `${equity.currency} · ${equity.resolution === 'day' ? 'daily' : equity.resolution === 'hour' ? 'hourly' : '5-min'} points` : null}
          {stale || loading ? ' · updating…' : null}
        </span>
      }
      testId="panel-portfolio-equity"
    >
      <div
        id={PORTFOLIO_IDS.chart}
        className="pf-chart"
        role="img"
        tabIndex={-1}
        aria-label={`Equity curve, ${periodLabel(period)}`}
        data-testid="portfolio-equity-chart"
        data-points={series.value.length}
        data-period={equity?.period ?? ''}
        data-resolution={equity?.resolution ?? ''}
      >
        <div ref={host} className="chart-canvas pf-chart-canvas" />
        {status ? (
          <p className={error ? 'inline-error pf-chart-status' : 'muted pf-chart-status'} role={error ? 'alert' : undefined}>
            {status}
          </p>
        ) : null}
        <a className="chart-attribution" href="https://www.tradingview.com/" target="_blank" rel="noreferrer" tabIndex={-1}>
          Charting by TradingView
        </a>
      </div>
    </Panel>
  )
}

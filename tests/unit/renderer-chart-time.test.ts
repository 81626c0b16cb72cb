import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { TickMarkType } from 'lightweight-charts'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { MarketView, WorkspaceView } from '../../src-main/api/contract'

// Exchanges' daily candles are UTC days. In New York (UTC−5) the day opening at 00:00 UTC on 24 Nov must
// not read "2026-11-23 19:00": a daily bar is named by its UTC date. Intraday bars keep the user's zone.

const DAY = Date.UTC(2026, 10, 24) // 2026-11-24 00:00 UTC
const local = { timeZone: 'local' as const, clock24h: true }
const NY = 'America/New_York'
const info = { venueId: 'sim', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' } as MarketView
const series = { candles: [{ time: DAY, open: 100, high: 101, low: 99, close: 100.5, volume: 1 }], error: null, loading: false, version: 1 }

interface ChartTime {
  tickLabel: (ms: number, type: TickMarkType, fmt: typeof local, timeframe: string, zone?: string) => string
  candleTimeText: (ms: number, timeframe: string, fmt: typeof local, zone?: string) => string
  toChartTime: (ms: number, timeframe: string, fmt: { timeZone: 'local' | 'utc'; clock24h: boolean }, zone?: string) => number
  fromChartTime: (t: number, timeframe: string, fmt: typeof local, zone?: string) => number
  chartTimes: (times: readonly number[], timeframe: string, fmt: typeof local, zone?: string) => (number | null)[]
}
let CandlePanel: (p: { view: WorkspaceView }) => unknown
let chartTime: ChartTime
const zone = process.env.TZ
const useSyncExternalStore = React.useSyncExternalStore
beforeAll(async () => {
  process.env.TZ = NY // the legend formats in the runtime's zone
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  vi.doMock('../../src-renderer/features/trade/feeds', async (importOriginal) => ({ ...(await importOriginal<object>()), useMarketInfo: () => info }))
  vi.doMock('../../src-renderer/app/useTimeFormat', () => ({ useTimeFormat: () => local }))
  // The candles as the feed would have delivered them (a server render runs no effects).
  vi.doMock('../../src-renderer/features/trade/useKeyed', () => ({ useKeyed: () => [series, () => {}] }))
  ;({ CandlePanel } = await loadRenderer<{ CandlePanel: typeof CandlePanel }>('features/trade/CandlePanel.tsx'))
  chartTime = await loadRenderer<ChartTime>('features/trade/chartTime.ts')
})
afterAll(() => {
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
  React.useSyncExternalStore = useSyncExternalStore
  for (const m of ['features/trade/feeds', 'app/useTimeFormat', 'features/trade/useKeyed']) vi.doUnmock(`../../src-renderer/${m}`)
  vi.unstubAllGlobals()
})

const legendTime = (timeframe: string) => {
  const html = renderToStaticMarkup(createElement(CandlePanel as never, { view: { id: 'v1', kind: 'candles', venueId: 'sim', symbol: 'BTC/USDT', timeframe } } as never))
  return /data-testid="chart-legend"><span class="muted"[^>]*>([^<]*)</.exec(html)?.[1]
}

describe('candle chart times', () => {
  it('a daily candle is named by its UTC date, whatever the zone', () => {
    expect(legendTime('1d')).toBe('2026-11-24 UTC')
    expect(chartTime.tickLabel(DAY, TickMarkType.DayOfMonth, local, '1d', NY)).toBe('11-24')
    expect(chartTime.tickLabel(DAY, TickMarkType.Time, local, '1d', NY)).toBe('11-24')
  })

  it('an intraday candle is named in the user’s zone', () => {
    expect(legendTime('1h')).toBe('2026-11-23 19:00:00')
    expect(chartTime.tickLabel(DAY, TickMarkType.Time, local, '1h', NY)).toBe('19:00')
  })
})

// lightweight-charts places tick marks on the UTC wall time of its times. Bars go in shifted by the zone's
// offset, so its hour marks are whole local hours, also in a zone half an hour off UTC.
describe('chart times in the user’s zone', () => {
  const KOLKATA = 'Asia/Kolkata'
  const H = 3_600_000
  const every = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step }, (_, i) => from + i * step)

  it('puts hour marks on whole local hours in Asia/Kolkata (UTC+5:30), labelled so', () => {
    const bars = every(Date.UTC(2026, 10, 23, 17), Date.UTC(2026, 10, 23, 22), 5 * 60_000)
    const times = chartTime.chartTimes(bars, '5m', local, KOLKATA)
    const hourMarks = bars.filter((_, i) => (times[i] as number) % 3600 === 0)
    // 18:30 UTC is midnight in Kolkata; the chart's hour marks are the bars at 23:00, 00:00, … 03:00 there.
    expect(hourMarks.map((ms) => new Date(ms).toISOString().slice(11, 16))).toEqual(['17:30', '18:30', '19:30', '20:30', '21:30'])
    const labels = times.filter((t) => (t as number) % 3600 === 0).map((t) => chartTime.tickLabel(chartTime.fromChartTime(t as number, '5m', local, KOLKATA), TickMarkType.Time, local, '5m', KOLKATA))
    expect(labels).toEqual(['23:00', '00:00', '01:00', '02:00', '03:00'])
  })

  it('leaves out the hour repeated when New York’s clocks go back, keeping times strictly increasing', () => {
    // 2026-11-01: 02:00 EDT (06:00 UTC) becomes 01:00 EST.
    const bars = every(Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 8), 15 * 60_000)
    const times = chartTime.chartTimes(bars, '15m', local, NY)
    const kept = times.filter((t): t is number => t !== null)
    kept.forEach((t, i) => i > 0 && expect(t).toBeGreaterThan(kept[i - 1]!))
    const left = bars.filter((_, i) => times[i] === null).map((ms) => new Date(ms).toISOString().slice(11, 16))
    expect(left).toEqual(['06:00', '06:15', '06:30', '06:45'])
    const shown = (t: number) => chartTime.candleTimeText(chartTime.fromChartTime(t, '15m', local, NY), '15m', local, NY).slice(11, 16)
    expect(kept.map(shown)).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45'])
    // Hourly: the 01:00 EST bar would land on the 01:00 EDT one.
    expect(chartTime.chartTimes([Date.UTC(2026, 10, 1, 5), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 10, 1, 7)], '1h', local, NY)).toEqual([
      Date.UTC(2026, 10, 1, 1) / 1000,
      null,
      Date.UTC(2026, 10, 1, 2) / 1000,
    ])
  })

  it('gives back each bar’s own time (shift then unshift), across DST changes; daily bars and UTC are not shifted', () => {
    for (const zoneName of [NY, KOLKATA, 'Australia/Lord_Howe', 'Europe/London']) {
      for (const [from, to] of [
        [Date.UTC(2026, 2, 6), Date.UTC(2026, 3, 7)],
        [Date.UTC(2026, 9, 3), Date.UTC(2026, 10, 3)],
      ] as const) {
        const bars = every(from, to, 15 * 60_000)
        const times = chartTime.chartTimes(bars, '15m', local, zoneName)
        bars.forEach((ms, i) => {
          const t = times[i]
          if (t !== null && t !== undefined) expect(chartTime.fromChartTime(t, '15m', local, zoneName)).toBe(ms)
        })
        // Only a repeated hour (half an hour on Lord Howe) is ever left out.
        expect(times.filter((t) => t === null).length).toBeLessThanOrEqual(4)
      }
    }
    expect(chartTime.toChartTime(DAY, '1d', local, NY)).toBe(DAY / 1000)
    expect(chartTime.fromChartTime(DAY / 1000, '1d', local, NY)).toBe(DAY)
    expect(chartTime.toChartTime(DAY + 19 * H, '1h', { ...local, timeZone: 'utc' }, KOLKATA)).toBe((DAY + 19 * H) / 1000)
    expect(chartTime.toChartTime(DAY, '1h', local, KOLKATA)).toBe((DAY + 5.5 * H) / 1000)
  })
})

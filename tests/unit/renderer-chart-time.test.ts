import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { TickMarkType } from 'lightweight-charts'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { MarketView, WorkspaceView } from '../../src-main/api/contract'
import { fillMarkers } from '../../src-renderer/features/trade/fillMarkers'
import { fill } from '../support/order-views'

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

  // When clocks go back a local hour comes twice. Every bar is drawn, in order, named by its own local time.
  const BERLIN = 'Europe/Berlin'
  const M = 60_000
  const hhmm = (ms: number, zoneName: string) => chartTime.tickLabel(ms, TickMarkType.Time, local, '1m', zoneName)
  /** Each chart time read back as the axis names it. */
  const axis = (times: readonly (number | null)[], tf: string, zoneName: string) => times.map((t) => hhmm(chartTime.fromChartTime(t as number, tf, local, zoneName), zoneName))
  const rising = (times: readonly (number | null)[]) => times.every((t, i) => t !== null && (i === 0 || t > (times[i - 1] as number)))
  /** Local "HH:MM" from `from` to `to` (exclusive) every `step` minutes, as strings. */
  const clock = (fromH: number, fromM: number, minutes: number, step: number) =>
    Array.from({ length: minutes / step }, (_, i) => {
      const m = fromH * 60 + fromM + i * step
      return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    })

  it('draws every bar of the hour repeated when Berlin’s clocks go back (1-minute bars), named by its own local time', () => {
    // 2026-10-25: 03:00 CEST (01:00 UTC) becomes 02:00 CET; 02:00–02:59 comes twice.
    const bars = every(Date.UTC(2026, 9, 24, 23), Date.UTC(2026, 9, 25, 3), M)
    const times = chartTime.chartTimes(bars, '1m', local, BERLIN)
    expect(rising(times)).toBe(true)
    bars.forEach((ms, i) => expect(chartTime.fromChartTime(times[i] as number, '1m', local, BERLIN)).toBe(ms))
    expect(axis(times, '1m', BERLIN)).toEqual([...clock(1, 0, 60, 1), ...clock(2, 0, 60, 1), ...clock(2, 0, 60, 1), ...clock(3, 0, 60, 1)])
    // Hour marks fall on whole local hours: 01:00, the first 02:00 (CEST) and 03:00 (CET).
    const marks = bars.filter((_, i) => (times[i] as number) % 3600 === 0)
    expect(marks.map((ms) => new Date(ms).toISOString().slice(11, 16))).toEqual(['23:00', '00:00', '02:00'])
    // The legend and crosshair tell the two passes apart by the zone.
    const text = (ms: number) => chartTime.candleTimeText(chartTime.fromChartTime(chartTime.toChartTime(ms, '1m', local, BERLIN), '1m', local, BERLIN), '1m', local, BERLIN)
    expect(text(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25 02:30:00 GMT+2')
    expect(text(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25 02:30:00 GMT+1')
    expect(text(Date.UTC(2026, 9, 25, 2, 30))).toBe('2026-10-25 03:30:00')
  })

  it('draws every bar of the hour repeated when New York’s clocks go back (5-minute and hourly bars)', () => {
    // 2026-11-01: 02:00 EDT (06:00 UTC) becomes 01:00 EST; 01:00–01:59 comes twice.
    const bars = every(Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 8), 5 * M)
    const times = chartTime.chartTimes(bars, '5m', local, NY)
    expect(rising(times)).toBe(true)
    bars.forEach((ms, i) => expect(chartTime.fromChartTime(times[i] as number, '5m', local, NY)).toBe(ms))
    expect(axis(times, '5m', NY)).toEqual([...clock(0, 0, 60, 5), ...clock(1, 0, 60, 5), ...clock(1, 0, 60, 5), ...clock(2, 0, 60, 5)])
    const marks = bars.filter((_, i) => (times[i] as number) % 3600 === 0).map((ms) => hhmm(ms, NY))
    expect(marks).toEqual(['00:00', '01:00', '02:00'])
    expect(chartTime.candleTimeText(Date.UTC(2026, 10, 1, 5, 5), '5m', local, NY)).toBe('2026-11-01 01:05:00 EDT')
    expect(chartTime.candleTimeText(Date.UTC(2026, 10, 1, 6, 5), '5m', local, NY)).toBe('2026-11-01 01:05:00 EST')
    // Hourly: the 01:00 EST bar comes after the 01:00 EDT one, not on it.
    const hourly = [Date.UTC(2026, 10, 1, 5), Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 10, 1, 7)]
    const h = chartTime.chartTimes(hourly, '1h', local, NY)
    expect(rising(h)).toBe(true)
    expect(axis(h, '1h', NY)).toEqual(['01:00', '01:00', '02:00'])
    expect(h[2]).toBe(Date.UTC(2026, 10, 1, 2) / 1000)
  })

  it('a fill in the repeated hour keeps its arrow on its own bar', () => {
    const bars = every(Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 8), 5 * M)
    // 01:22 EDT and 01:22 EST: the bars opening 01:20 in each pass.
    const markers = fillMarkers([fill('edt', Date.UTC(2026, 10, 1, 5, 22), 'sim'), fill('est', Date.UTC(2026, 10, 1, 6, 22), 'sim')], 'sim', 'BTC/USDT', bars)
    // As useFillMarkers places them: each at its candle's chart time.
    const times = chartTime.chartTimes(bars, '5m', local, NY)
    const at = new Map(bars.map((ms, i) => [ms, times[i]]))
    const placed = markers.map((m) => at.get(m.candleTime))
    expect(placed.every((t) => typeof t === 'number')).toBe(true)
    expect(placed[1]).toBeGreaterThan(placed[0] as number)
    expect(placed.map((t) => chartTime.candleTimeText(chartTime.fromChartTime(t as number, '5m', local, NY), '5m', local, NY))).toEqual([
      '2026-11-01 01:20:00 EDT',
      '2026-11-01 01:20:00 EST',
    ])
  })

  it('older candles put in front across the change keep the chart times of the bars already drawn', () => {
    // Drawn: from 01:30 CET (second pass) on; then the 1-minute bars before it come in front.
    const drawn = every(Date.UTC(2026, 9, 25, 1, 30), Date.UTC(2026, 9, 25, 4), M)
    const older = every(Date.UTC(2026, 9, 24, 17), Date.UTC(2026, 9, 25, 1, 30), M)
    const before = chartTime.chartTimes(drawn, '1m', local, BERLIN)
    const after = chartTime.chartTimes([...older, ...drawn], '1m', local, BERLIN)
    expect(rising(after)).toBe(true)
    expect(after.slice(older.length)).toEqual(before)
    expect(after.length).toBe(older.length + drawn.length)
  })

  it('the hour skipped when clocks go forward: no bar is misplaced, hour marks on whole local hours', () => {
    for (const [zoneName, at, name] of [
      [BERLIN, Date.UTC(2026, 2, 29, 1), ['01:55', '03:00']],
      [NY, Date.UTC(2026, 2, 8, 7), ['01:55', '03:00']],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30), ['01:55', '02:30']],
    ] as const) {
      const bars = every(at - 3 * H, at + 3 * H, 5 * M)
      const times = chartTime.chartTimes(bars, '5m', local, zoneName)
      expect(rising(times)).toBe(true)
      bars.forEach((ms, i) => expect(chartTime.fromChartTime(times[i] as number, '5m', local, zoneName)).toBe(ms))
      const i = bars.indexOf(at)
      expect(axis(times.slice(i - 1, i + 1), '5m', zoneName)).toEqual(name)
      bars.forEach((ms, j) => expect((times[j] as number) % 3600 === 0).toBe(hhmm(ms, zoneName).endsWith(':00')))
    }
  })

  it('Lord Howe’s repeated half hour (UTC+11 to +10:30): every bar drawn, labels its own time', () => {
    // 2026-04-05 02:00 (+11, 15:00 UTC) becomes 01:30 (+10:30); 01:30–01:59 comes twice.
    const bars = every(Date.UTC(2026, 3, 4, 14), Date.UTC(2026, 3, 4, 16), M)
    const times = chartTime.chartTimes(bars, '1m', local, 'Australia/Lord_Howe')
    expect(rising(times)).toBe(true)
    bars.forEach((ms, i) => expect(chartTime.fromChartTime(times[i] as number, '1m', local, 'Australia/Lord_Howe')).toBe(ms))
    expect(axis(times, '1m', 'Australia/Lord_Howe')).toEqual([...clock(1, 0, 60, 1), ...clock(1, 30, 30, 1), ...clock(2, 0, 30, 1)])
    const marks = bars.filter((_, i) => (times[i] as number) % 3600 === 0).map((ms) => hhmm(ms, 'Australia/Lord_Howe'))
    expect(marks).toEqual(['01:00', '02:00'])
  })

  /** The instants in 2026 a zone's offset changes (to the quarter hour), from Intl's own 'GMT-05:00' names. */
  const changesIn2026 = (zoneName: string) => {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zoneName, timeZoneName: 'longOffset' })
    const name = (ms: number) => f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')!.value
    const found: number[] = []
    for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 24 * H) {
      if (name(day) === name(day + 24 * H)) continue
      let q = day
      while (name(q) === name(day)) q += 15 * 60_000
      found.push(q)
    }
    return found
  }

  it('gives back each bar’s own time (shift then unshift), across DST changes; daily bars and UTC are not shifted', () => {
    // Every change of 2026 (30 hours either side, further than the mapping looks for one) and two ordinary days.
    const ordinary = [Date.UTC(2026, 0, 14), Date.UTC(2026, 6, 14)]
    const zones = { [NY]: 2, [KOLKATA]: 0, 'Australia/Lord_Howe': 2, 'Europe/London': 2, 'Asia/Kathmandu': 0, 'Australia/Adelaide': 2, 'Pacific/Chatham': 2 }
    for (const [zoneName, count] of Object.entries(zones)) {
      const changes = changesIn2026(zoneName)
      expect(changes, zoneName).toHaveLength(count)
      const spans: [number, number][] = [...changes.map((at): [number, number] => [at - 30 * H, at + 30 * H]), ...ordinary.map((d): [number, number] => [d, d + 24 * H])]
      for (const [from, to] of spans) {
        const bars = every(from, to, 15 * 60_000)
        const times = chartTime.chartTimes(bars, '15m', local, zoneName)
        const at = (i: number) => `${zoneName} ${new Date(bars[i]!).toISOString()}`
        // Every bar drawn, in order, and read back as its own instant (also at :30 and :45 offsets).
        expect(times.flatMap((t, i) => (i > 0 && t! <= times[i - 1]! ? [at(i)] : []))).toEqual([])
        expect(bars.flatMap((ms, i) => (chartTime.fromChartTime(times[i]!, '15m', local, zoneName) === ms ? [] : [at(i)]))).toEqual([])
        // Away from a change, hour marks are whole local hours.
        const offHour = bars.flatMap((ms, i) => {
          const o = new Set([-1, 0, 1].map((d) => chartTime.toChartTime(ms + d * 3 * H, '15m', local, zoneName) * 1000 - ms - d * 3 * H))
          const mark = times[i]! % 3600 === 0
          return o.size === 1 && mark !== chartTime.tickLabel(ms, TickMarkType.Time, local, '15m', zoneName).endsWith(':00') ? [at(i)] : []
        })
        expect(offHour).toEqual([])
      }
    }
    expect(chartTime.toChartTime(DAY, '1d', local, NY)).toBe(DAY / 1000)
    expect(chartTime.fromChartTime(DAY / 1000, '1d', local, NY)).toBe(DAY)
    expect(chartTime.toChartTime(DAY + 19 * H, '1h', { ...local, timeZone: 'utc' }, KOLKATA)).toBe((DAY + 19 * H) / 1000)
    expect(chartTime.toChartTime(DAY, '1h', local, KOLKATA)).toBe((DAY + 5.5 * H) / 1000)
  })
})

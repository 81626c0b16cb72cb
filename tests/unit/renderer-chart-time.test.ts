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

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer } from './renderer-keys-harness'
import { serverRenderSetup, simAggregate } from './renderer-server-render'
import type { MarketView, WorkspaceView } from '../../src-main/api/contract'

// Sizes are shown at the market's step, as the ladder shows them: on a step of 0.00001 a level of 0.44626
// reads 0.44626 (not 0.4463) and a candle's volume of 0.01603 reads 0.01603 (not 0.0160).

const info = { venueId: 'sim', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' } as MarketView
const aggregate = simAggregate(0.44626, 1.00001)
const series = { candles: [{ time: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 0.01603 }], error: null, loading: false, version: 1 }

interface Panels {
  AggregatePanel: (p: { view: WorkspaceView }) => unknown
  CandlePanel: (p: { view: WorkspaceView }) => unknown
}
let panels: Panels
let undoSetup: () => void
beforeAll(async () => {
  undoSetup = serverRenderSetup()
  vi.doMock('../../src-renderer/features/trade/feeds', async (importOriginal) => ({
    ...(await importOriginal<object>()),
    useMarketInfo: () => info,
  }))
  vi.doMock('../../src-renderer/app/useTimeFormat', () => ({ useTimeFormat: () => ({ timeZone: 'utc', clock24h: true }) }))
  // Each view's data as its feed would have delivered it (a server render runs no effects).
  vi.doMock('../../src-renderer/features/trade/useKeyed', () => ({
    useKeyed: (key: string) => [key.includes('|') ? series : { frame: aggregate, error: null }, () => {}],
  }))
  panels = {
    ...(await loadRenderer<Pick<Panels, 'AggregatePanel'>>('features/trade/AggregatePanel.tsx')),
    ...(await loadRenderer<Pick<Panels, 'CandlePanel'>>('features/trade/CandlePanel.tsx')),
  }
})
afterAll(() => {
  undoSetup()
  for (const m of ['trade/feeds', 'trade/useKeyed']) vi.doUnmock(`../../src-renderer/features/${m}`)
  vi.doUnmock('../../src-renderer/app/useTimeFormat')
})

const render = (C: (p: { view: WorkspaceView }) => unknown, kind: string) =>
  renderToStaticMarkup(createElement(C as never, { view: { id: 'v1', kind, venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m' } } as never))

describe('sizes at the market’s step', () => {
  it('the aggregated book’s levels', () => {
    const html = render(panels.AggregatePanel, 'aggregate')
    expect(html).toContain('<span class="agg-size">0.44626</span>')
    expect(html).toContain('<span class="agg-size">1.00001</span>')
    expect(html).toContain('sim: 0.44626')
  })

  it('the candle chart’s volume', () => {
    const html = render(panels.CandlePanel, 'candles')
    expect(html).toMatch(/>V<\/span> 0\.01603</)
  })
})

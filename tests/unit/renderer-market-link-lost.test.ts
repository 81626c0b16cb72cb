import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer } from './renderer-keys-harness'
import { serverRenderSetup, simAggregate } from './renderer-server-render'
import type { BookFrameView, MarketView, WorkspaceView } from '../../src-main/api/contract'

// With the link to the engine lost, the aggregated book and the depth chart do not say "live": their last
// prices are old, as the ladder already says ("stale · no connection to the engine").

let connection = 'connected'
const info = { venueId: 'sim', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' } as MarketView
const aggregate = simAggregate(1, 1)
const book = {
  venueId: 'sim',
  symbol: 'BTC/USDT',
  status: 'live',
  reason: null,
  lastUpdateAt: 0,
  bids: [[100, 1]],
  asks: [[101, 1]],
  truncated: false,
  spread: 1,
  mid: 100.5,
  tick: '0.01',
  group: null,
  seq: 1,
} as unknown as BookFrameView

interface Panels {
  AggregatePanel: (p: { view: WorkspaceView }) => unknown
  DepthPanel: (p: { view: WorkspaceView }) => unknown
}
let panels: Panels
let undoSetup: () => void
beforeAll(async () => {
  undoSetup = serverRenderSetup(() => connection)
  // The views' data as their feeds would have delivered it (a server render runs no effects).
  vi.doMock('../../src-renderer/features/trade/feeds', async (importOriginal) => ({
    ...(await importOriginal<object>()),
    useMarketInfo: () => info,
    useBookFeed: () => ({ frame: book, error: null, changed: { bids: new Map(), asks: new Map() }, at: 0 }),
  }))
  vi.doMock('../../src-renderer/features/trade/useKeyed', () => ({ useKeyed: () => [{ frame: aggregate, error: null }, () => {}] }))
  panels = {
    ...(await loadRenderer<Pick<Panels, 'AggregatePanel'>>('features/trade/AggregatePanel.tsx')),
    ...(await loadRenderer<Pick<Panels, 'DepthPanel'>>('features/trade/DepthChart.tsx')),
  }
})
afterAll(() => {
  undoSetup()
  vi.doUnmock('../../src-renderer/features/trade/feeds')
  vi.doUnmock('../../src-renderer/features/trade/useKeyed')
})

const view = (kind: 'aggregate' | 'depth') => ({ id: 'v1', kind, venueId: 'sim', symbol: 'BTC/USDT' }) as WorkspaceView
const render = (C: (p: { view: WorkspaceView }) => unknown, kind: 'aggregate' | 'depth') =>
  renderToStaticMarkup(createElement(C as never, { view: view(kind) } as never))
const venueRow = (html: string) => /<tr data-status="([^"]+)">.*?<\/tr>/.exec(html)

describe('market views with the engine link lost', () => {
  it('the aggregated book’s venue row says live while connected', () => {
    connection = 'connected'
    const row = venueRow(render(panels.AggregatePanel, 'aggregate'))
    expect(row?.[1]).toBe('live')
    expect(row?.[0]).toContain('>live<')
  })

  it('the aggregated book’s venue row reads stale, saying why, once the link is down', () => {
    for (const c of ['reconnecting', 'disconnected']) {
      connection = c
      const html = render(panels.AggregatePanel, 'aggregate')
      const row = venueRow(html)
      expect(row?.[1]).toBe('stale')
      expect(row?.[0]).not.toContain('>live<')
      expect(row?.[0]).toContain('no connection to the engine')
    }
  })

  it('the depth chart is live while connected and stale, with a badge saying why, once the link is down', () => {
    connection = 'connected'
    let html = render(panels.DepthPanel, 'depth')
    expect(html).toContain('data-status="live"')
    expect(html).not.toContain('data-testid="depth-status"')
    connection = 'disconnected'
    html = render(panels.DepthPanel, 'depth')
    expect(html).toMatch(/class="chart-box" [^>]*data-status="stale"/)
    expect(html).toMatch(/data-testid="depth-status"[^>]*>stale · no connection to the engine</)
  })
})

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { AggregateFrame, BookFrameView, MarketView, WorkspaceView } from '../../src-main/api/contract'

// With the link to the engine lost, the aggregated book and the depth chart do not say "live": their last
// prices are old, as the ladder already says ("stale · no connection to the engine").

let connection = 'connected'
const info = { venueId: 'sim', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' } as MarketView
const aggregate: AggregateFrame = {
  base: 'BTC',
  quote: 'USD',
  venues: ['sim'],
  bids: [{ price: 100, size: 1, shares: [1] }],
  asks: [{ price: 101, size: 1, shares: [1] }],
  best: [{ venueId: 'sim', symbol: 'BTC/USDT', bid: 100, bidSize: 1, ask: 101, askSize: 1, status: 'live', reason: null }],
  arbitrage: null,
  excluded: [],
  at: 0,
}
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
const useSyncExternalStore = React.useSyncExternalStore
beforeAll(async () => {
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  vi.doMock('../../src-renderer/features/connection/connection', async (importOriginal) => ({
    ...(await importOriginal<object>()),
    useConnection: () => connection,
  }))
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
  React.useSyncExternalStore = useSyncExternalStore
  vi.doUnmock('../../src-renderer/features/connection/connection')
  vi.doUnmock('../../src-renderer/features/trade/feeds')
  vi.doUnmock('../../src-renderer/features/trade/useKeyed')
  vi.unstubAllGlobals()
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

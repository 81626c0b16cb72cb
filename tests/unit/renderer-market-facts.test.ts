import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import { marketRow } from './renderer-market-rows'
import type { MarketView, VenueView } from '../../src-main/api/contract'

// The Trade page's market list holds the first 500 markets. A market past them (Binance has thousands) still
// gets its tick and step, asked of the engine for that market alone, so a sub-cent coin's chart does not
// read 0.00; and the "All" watchlist says it shows 500 of how many, not silently fewer.

const market = (venueId: string, symbol: string, tickSize: string) => marketRow(symbol, { venueId, venueLabel: venueId, tickSize })
const first500 = Array.from({ length: 500 }, (_, i) => market('binance-1', `C${String(i).padStart(4, '0')}/USDT`, '0.0001'))
const all = [...first500, ...Array.from({ length: 1000 }, (_, i) => market('binance-1', `D${String(i).padStart(4, '0')}/USDT`, '0.0001')), market('binance-1', 'PEPE/USDT', '0.00000001')]
const venue = { id: 'binance-1', exchange: 'binance', label: 'Binance', kind: 'exchange', accountId: 'a', connection: 'live', reason: null, marketCount: all.length } as VenueView

interface Store<S> {
  setState(s: Partial<S>): void
  getState(): S
}
interface Feeds {
  useMarketList: Store<{ rows: MarketView[]; loaded: boolean }>
  useMarketInfo: (m: { venueId: string; symbol: string } | null) => MarketView | null
  ensureMarketFacts: (m: { venueId: string; symbol: string }) => Promise<void>
}
let feeds: Feeds
let watchlist: { WatchlistPanel: () => unknown }
let venues: Store<{ status: string; venues: VenueView[]; former: Record<string, string> }>
const asked: unknown[] = []

const useSyncExternalStore = React.useSyncExternalStore
beforeAll(async () => {
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  // markets.search as the engine answers it: matches in the venue's order, at most `limit`.
  api.invoke = async (command: string, input: { query: string; venueId?: string; limit: number }) => {
    if (command !== 'markets.search') return new Promise(() => undefined)
    asked.push(input)
    const q = input.query.toUpperCase()
    return all.filter((m) => (input.venueId === undefined || m.venueId === input.venueId) && m.symbol.includes(q)).slice(0, input.limit)
  }
  api.subscribe = () => () => undefined
  feeds = await loadRenderer('features/trade/feeds.ts')
  watchlist = await loadRenderer('features/trade/WatchlistPanel.tsx')
  venues = (await loadRenderer<{ useVenues: typeof venues }>('features/markets/venuesStore.ts')).useVenues
})
afterAll(() => {
  React.useSyncExternalStore = useSyncExternalStore
  vi.unstubAllGlobals()
})

/** What useMarketInfo returns in a render (a server render reads the stores as they are). */
function infoOf(m: { venueId: string; symbol: string }): MarketView | null {
  let out: MarketView | null = null
  const Probe = () => ((out = feeds.useMarketInfo(m)), null)
  renderToStaticMarkup(createElement(Probe))
  return out
}

describe('market facts past the first 500 markets', () => {
  it('a market past the list is asked for alone and gets its own tick', async () => {
    feeds.useMarketList.setState({ rows: first500, loaded: true })
    const pepe = { venueId: 'binance-1', symbol: 'PEPE/USDT' }
    expect(infoOf({ venueId: 'binance-1', symbol: 'C0001/USDT' })?.tickSize).toBe('0.0001')
    await feeds.ensureMarketFacts(pepe)
    expect(infoOf(pepe)?.tickSize).toBe('0.00000001')
    expect(asked).toContainEqual(expect.objectContaining({ venueId: 'binance-1', query: 'PEPE/USDT' }))
  })

  it('the "All" watchlist says it shows 500 of all the markets', () => {
    feeds.useMarketList.setState({ rows: first500, loaded: true })
    venues.setState({ status: 'ready', venues: [venue], former: {} })
    const html = renderToStaticMarkup(createElement(watchlist.WatchlistPanel as never))
    expect(html).toContain('data-mode="all"')
    expect(html).toMatch(/data-testid="watch-capped"[^>]*>[^<]*500 of 1,501/)
  })

  it('says nothing of the kind when every market is shown', () => {
    feeds.useMarketList.setState({ rows: first500.slice(0, 20), loaded: true })
    venues.setState({ status: 'ready', venues: [{ ...venue, marketCount: 20 }], former: {} })
    const html = renderToStaticMarkup(createElement(watchlist.WatchlistPanel as never))
    expect(html).not.toContain('watch-capped')
  })
})

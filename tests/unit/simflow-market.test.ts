import { beforeAll, describe, expect, it } from 'vitest'
import type { SimEvent } from '../../src-main/venues/sim/engine-api'
import { createSimMarket } from '../../src-main/venues/sim/flow'

const START = Date.UTC(2026, 0, 5, 12, 0, 0)

type Side = Map<string, string>

describe('synthetic market: a simulated minute at the default intensity', () => {
  const runtime = createSimMarket({ seed: 42, startTime: START })
  const symbols = runtime.engine.markets().map((m) => m.symbol)
  const bookEvents = new Map(symbols.map((s) => [s, 0]))
  const crossed: string[] = []
  const gaps: string[] = []
  const lastSeq = new Map<string, number>()
  const local = new Map<string, { bids: Side; asks: Side }>(symbols.map((s) => [s, { bids: new Map(), asks: new Map() }]))

  runtime.engine.on((event: SimEvent) => {
    if (event.type !== 'book') return
    const symbol = event.symbol
    bookEvents.set(symbol, (bookEvents.get(symbol) ?? 0) + 1)
    const prev = lastSeq.get(symbol) ?? 0
    if (event.firstSeq !== prev + 1) gaps.push(`${symbol}: ${prev} → ${event.firstSeq}`)
    lastSeq.set(symbol, event.seq)
    const book = local.get(symbol) as { bids: Side; asks: Side }
    const apply = (side: Side, levels: [string, string][]) => {
      for (const [price, amount] of levels) {
        if (amount === '0') side.delete(price)
        else side.set(price, amount)
      }
    }
    apply(book.bids, event.bids)
    apply(book.asks, event.asks)
    // Between calls the book must never be crossed or locked.
    const top = runtime.engine.book(symbol, 1)
    const bid = top.bids[0]
    const ask = top.asks[0]
    if (bid && ask && !(Number(bid[0]) < Number(ask[0]))) crossed.push(`${symbol} ${bid[0]} >= ${ask[0]} at ${event.timestamp}`)
  })

  let stats: ReturnType<typeof runtime.stats>
  beforeAll(() => {
    runtime.advance(60_000)
    stats = runtime.stats()
  }, 120_000)

  it('makes at least 20 book updates per second in every market', () => {
    for (const symbol of symbols) {
      expect(bookEvents.get(symbol) ?? 0, symbol).toBeGreaterThanOrEqual(20 * 60)
      const s = stats.markets.find((m) => m.symbol === symbol)
      expect(s?.bookUpdatesPerSec ?? 0, symbol).toBeGreaterThanOrEqual(20)
      expect(s?.trades ?? 0, symbol).toBeGreaterThan(30)
    }
    expect(stats.errors).toBe(0)
  })

  it('never crosses the book and always keeps a positive spread', () => {
    expect(crossed).toEqual([])
    for (const symbol of symbols) {
      const top = runtime.engine.book(symbol, 1)
      expect(top.bids.length, symbol).toBe(1)
      expect(top.asks.length, symbol).toBe(1)
      expect(Number(top.asks[0]?.[0]) - Number(top.bids[0]?.[0]), symbol).toBeGreaterThan(0)
    }
  })

  it('publishes gapless book updates that rebuild the exact book', () => {
    expect(gaps).toEqual([])
    for (const symbol of symbols) {
      const snap = runtime.engine.book(symbol)
      const book = local.get(symbol) as { bids: Side; asks: Side }
      const sorted = (side: Side, desc: boolean) =>
        [...side.entries()].sort((a, b) => (desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
      expect(sorted(book.bids, true), symbol).toEqual(snap.bids)
      expect(sorted(book.asks, false), symbol).toEqual(snap.asks)
    }
  })

  it('has realistic depth: many levels, sizes growing away from the top, prices near the fair price', () => {
    for (const symbol of symbols) {
      const book = runtime.engine.book(symbol)
      expect(book.bids.length, symbol).toBeGreaterThanOrEqual(20)
      expect(book.asks.length, symbol).toBeGreaterThanOrEqual(20)
      for (const side of [book.bids, book.asks]) {
        const value = side.map(([p, a]) => Number(p) * Number(a))
        const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
        expect(avg(value.slice(12, 20)), symbol).toBeGreaterThan(avg(value.slice(0, 4)))
      }
      const mid = (Number(book.bids[0]?.[0]) + Number(book.asks[0]?.[0])) / 2
      expect(Math.abs(mid / runtime.fairPrice(symbol) - 1), symbol).toBeLessThan(0.003)
    }
  })

  it('keeps the cross rate coherent with its legs', () => {
    const mid = (symbol: string) => {
      const top = runtime.engine.book(symbol, 1)
      return (Number(top.bids[0]?.[0]) + Number(top.asks[0]?.[0])) / 2
    }
    const implied = mid('ETH/USDT') / mid('BTC/USDT')
    expect(Math.abs(mid('ETH/BTC') / implied - 1)).toBeLessThan(0.005)
  })

  it('reports stats per market', () => {
    expect(stats.elapsedMs).toBe(60_000)
    expect(stats.markets.map((m) => m.symbol)).toEqual(symbols)
    for (const m of stats.markets) {
      expect(m.eventsPerSec).toBeGreaterThan(m.bookUpdatesPerSec)
      expect(m.recentBookUpdatesPerSec).toBeGreaterThan(0)
      expect(m.fairPrice).toBeGreaterThan(0)
    }
  })
})

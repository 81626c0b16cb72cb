import { describe, expect, it } from 'vitest'
import { AggregatedBook, MergedLevels } from '../../src-main/market/aggregated-book'
import { OrderBook } from '../../src-main/market/order-book'
import { TopBuffers } from '../../src-main/market/book-side'

function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

type Lv = [number, number]

function liveBook(venue: string, symbol: string, bids: Lv[], asks: Lv[], now = () => 0): OrderBook {
  const book = new OrderBook({ venue, symbol, keepText: false, now })
  book.applySnapshot({ lastUpdateId: 1, bids, asks })
  expect(book.status).toBe('live')
  return book
}

/** Naive merge: sum sizes per price over venues, sort, take n; per-venue map of sizes. */
function naive(sides: Lv[][], kind: 'bids' | 'asks', n: number): { price: number; size: number; per: number[] }[] {
  const m = new Map<number, number[]>()
  sides.forEach((levels, v) => {
    for (const [p, s] of levels) {
      const per = m.get(p) ?? new Array<number>(sides.length).fill(0)
      per[v] = s
      m.set(p, per)
    }
  })
  return [...m.entries()]
    .sort((a, b) => (kind === 'bids' ? b[0] - a[0] : a[0] - b[0]))
    .slice(0, n)
    .map(([price, per]) => ({ price, per, size: per.reduce((x, y) => x + y, 0) }))
}

describe('AggregatedBook', () => {
  it('merged top N equals a naive merge model; shares sum to the level size (seeded, random books)', () => {
    const rnd = lcg(99)
    for (let round = 0; round < 30; round++) {
      const venues = 2 + Math.floor(rnd() * 4)
      const agg = new AggregatedBook({ symbol: 'ETH/USD' })
      const bidSides: Lv[][] = []
      const askSides: Lv[][] = []
      for (let v = 0; v < venues; v++) {
        const bids = new Map<number, number>()
        const asks = new Map<number, number>()
        const count = Math.floor(rnd() * 40)
        for (let i = 0; i < count; i++) bids.set((2000 - Math.floor(rnd() * 60)) / 10, Math.round(rnd() * 1000) / 100 + 0.01)
        for (let i = 0; i < count; i++) asks.set((2001 + Math.floor(rnd() * 60)) / 10, Math.round(rnd() * 1000) / 100 + 0.01)
        bidSides.push([...bids.entries()])
        askSides.push([...asks.entries()])
        agg.addVenue(liveBook(`v${v}`, v % 2 ? 'ETH/USDT' : 'ETH/USDC', [...bids.entries()], [...asks.entries()]), 0.001)
      }
      const depth = 1 + Math.floor(rnd() * 30)
      const out = new MergedLevels(depth, venues)
      agg.readMerged(out)
      for (const kind of ['bids', 'asks'] as const) {
        const want = naive(kind === 'bids' ? bidSides : askSides, kind, depth)
        const count = kind === 'bids' ? out.bidCount : out.askCount
        const prices = kind === 'bids' ? out.bidPrices : out.askPrices
        const sizes = kind === 'bids' ? out.bidSizes : out.askSizes
        const shares = kind === 'bids' ? out.bidShares : out.askShares
        expect(count).toBe(want.length)
        want.forEach((lvl, i) => {
          expect(prices[i]).toBe(lvl.price)
          expect(sizes[i]).toBeCloseTo(lvl.size, 9)
          let sum = 0
          for (let v = 0; v < venues; v++) {
            expect(shares[i * venues + v]).toBe(lvl.per[v])
            sum += shares[i * venues + v] as number
          }
          expect(sum).toBe(sizes[i])
        })
      }
      // readTop gives the same merged levels without shares.
      const top = new TopBuffers(depth)
      agg.readTop(top)
      expect(top.bidCount).toBe(out.bidCount)
      expect([...top.askPrices.subarray(0, top.askCount)]).toEqual([...out.askPrices.subarray(0, out.askCount)])
    }
  })

  it('best bid/ask per venue; stale and resyncing books are excluded and flagged', () => {
    let t = 0
    const now = () => t
    const a = liveBook('a', 'BTC/USDT', [[100, 1]], [[101, 1]], now)
    const b = liveBook('b', 'BTC/USDC', [[100, 2], [99, 1]], [[102, 1]], now)
    const c = liveBook('c', 'BTC/USD', [[100.5, 3]], [[100.8, 1]], now)
    const agg = new AggregatedBook({ symbol: 'BTC/USD' })
    agg.addVenue(a, 0)
    agg.addVenue(b, 0)
    agg.addVenue(c, 0)
    const top = new TopBuffers(5)
    agg.readTop(top)
    expect([...top.bidPrices.subarray(0, top.bidCount)]).toEqual([100.5, 100, 99])
    expect(top.bidSizes[1]).toBe(3)
    b.socketClosed()
    t = 10_000
    a.applyDiff({ firstUpdateId: 2, lastUpdateId: 2, bids: [], asks: [] }) // a keeps talking
    expect(agg.check(t, 5_000)).toBe(1) // c went silent → stale
    expect(agg.excluded()).toEqual([
      { venue: 'b', status: 'resyncing', reason: 'socket closed' },
      { venue: 'c', status: 'stale', reason: 'no message since 00:00:00 UTC' }, // its last message came at time 0
    ])
    const best = agg.bestPerVenue()
    expect(best[0]).toMatchObject({ venue: 'a', bid: 100, ask: 101, excluded: false })
    expect(best[2]).toMatchObject({ venue: 'c', excluded: true, status: 'stale' })
    expect(best[2]?.bid).toBeNaN()
    agg.readTop(top)
    expect([...top.bidPrices.subarray(0, top.bidCount)]).toEqual([100])
    expect(top.bidSizes[0]).toBe(1)
  })

  it('arbitrage: detected after fees with the edge in bps; a cross that fees eat is not reported', () => {
    // Sell on A at 100.30, buy on B at 100.00: 30 bps gross.
    const a = liveBook('A', 'BTC/USDT', [[100.3, 1]], [[100.6, 1]])
    const b = liveBook('B', 'BTC/USDC', [[99.7, 1]], [[100.0, 1]])
    const cheap = new AggregatedBook({ symbol: 'BTC/USD' })
    cheap.addVenue(a, 0.0005) // 5 bps
    cheap.addVenue(b, 0.0005)
    const arb = cheap.refresh()
    expect(arb).not.toBeNull()
    expect(arb).toMatchObject({ buyVenue: 'B', sellVenue: 'A', buyPrice: 100, sellPrice: 100.3 })
    expect(arb?.grossBps).toBeCloseTo(30, 9)
    const expected = ((100.3 * 0.9995 - 100 * 1.0005) / (100 * 1.0005)) * 10_000
    expect(arb?.edgeBps).toBeCloseTo(expected, 9)
    expect(cheap.lastArbitrage).toBe(arb)
    // Same books, 20 bps taker fees each: 30 bps gross is an arbitrage before fees, not after.
    const dear = new AggregatedBook({ symbol: 'BTC/USD' })
    dear.addVenue(a, 0.002)
    dear.addVenue(b, 0.002)
    expect(dear.arbitrage()).toBeNull()
    // A stale venue never drives the indicator.
    b.socketClosed()
    expect(cheap.arbitrage()).toBeNull()
  })

  it('quote equivalence is configurable; other pairs and duplicates are refused', () => {
    const agg = new AggregatedBook({ symbol: 'BTC/USD' })
    expect(() => agg.addVenue(liveBook('x', 'BTC/EUR', [[1, 1]], [[2, 1]]), 0)).toThrow(/not BTC\/USD/)
    expect(() => agg.addVenue(liveBook('y', 'ETH/USDT', [[1, 1]], [[2, 1]]), 0)).toThrow()
    agg.addVenue(liveBook('z', 'BTC/USDT:USDT', [[1, 1]], [[2, 1]]), 0)
    expect(() => agg.addVenue(liveBook('z', 'BTC/USDT', [[1, 1]], [[2, 1]]), 0)).toThrow(/already/)
    const eur = new AggregatedBook({ symbol: 'BTC/EUR', quoteEquivalents: { EUR: 'EUR', EURC: 'EUR' } })
    eur.addVenue(liveBook('e', 'BTC/EURC', [[1, 1]], [[2, 1]]), 0)
    expect(() => eur.addVenue(liveBook('u', 'BTC/USDT', [[1, 1]], [[2, 1]]), 0)).toThrow()
    expect(eur.venues).toEqual(['e'])
    eur.removeVenue('e')
    expect(eur.venues).toEqual([])
  })
})

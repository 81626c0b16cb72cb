import { describe, expect, it } from 'vitest'
import { BookSide, SetOutcome, TopBuffers } from '../../src-main/market/book-side'

function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

/** The naive model: a Map price → [size, priceText, sizeText], sorted on read. */
function sorted(model: Map<number, [number, string, string]>, kind: 'bids' | 'asks'): [number, number, string, string][] {
  return [...model.entries()]
    .map(([p, [s, pt, st]]): [number, number, string, string] => [p, s, pt, st])
    .sort((a, b) => (kind === 'bids' ? b[0] - a[0] : a[0] - b[0]))
}

describe('BookSide', () => {
  for (const kind of ['bids', 'asks'] as const) {
    it(`${kind}: random set/delete equals a sorted-Map model (seeded)`, () => {
      const rnd = lcg(kind === 'bids' ? 7 : 11)
      const side = new BookSide(kind, { capacity: 16, keepText: true }) // small: exercises growth
      const model = new Map<number, [number, string, string]>()
      for (let op = 0; op < 20_000; op++) {
        // Prices over 400 ticks, biased towards the top so inserts/deletes hit both ends.
        const tick = Math.floor(rnd() * rnd() * 400)
        const price = (kind === 'bids' ? 10_000 - tick : 10_000 + tick) / 100
        const del = rnd() < 0.35
        const size = del ? 0 : Math.round(rnd() * 1e6) / 1e4 + 0.0001
        const pt = price.toFixed(2)
        const st = size.toFixed(4)
        const had = model.has(price)
        const out = side.set(price, size, pt, st)
        if (size === 0) {
          expect(out).toBe(had ? SetOutcome.Deleted : SetOutcome.None)
          model.delete(price)
        } else {
          expect(out).toBe(had ? SetOutcome.Updated : SetOutcome.Inserted)
          model.set(price, [size, model.get(price)?.[1] ?? pt, st])
        }
        if (op % 997 === 0 || op === 19_999) {
          const want = sorted(model, kind)
          expect(side.length).toBe(want.length)
          for (let r = 0; r < want.length; r++) {
            const [p, s, ptext, stext] = want[r] as [number, number, string, string]
            expect(side.priceAt(r)).toBe(p)
            expect(side.sizeAt(r)).toBe(s)
            expect(side.priceTextAt(r)).toBe(ptext)
            expect(side.sizeTextAt(r)).toBe(stext)
            expect(side.rankOf(p)).toBe(r)
            expect(side.sizeOf(p)).toBe(s)
          }
          expect(side.best()).toBe(want[0]?.[0] ?? NaN)
        }
      }
      expect(side.sizeOf(1)).toBe(0)
      expect(side.rankOf(1)).toBe(-1)
    })
  }

  it('top(n) fills caller buffers best first and reports the count', () => {
    const side = new BookSide('asks')
    for (const p of [105, 101, 103, 102, 104]) side.set(p, p / 100)
    const prices = new Float64Array(3)
    const sizes = new Float64Array(3)
    expect(side.top(3, prices, sizes)).toBe(3)
    expect([...prices]).toEqual([101, 102, 103])
    expect([...sizes]).toEqual([1.01, 1.02, 1.03])
    const big = new Float64Array(10)
    expect(side.top(10, big, new Float64Array(10))).toBe(5)
    expect(side.depth(2)).toBeCloseTo(2.03, 12)
    const bids = new BookSide('bids')
    for (const p of [1, 3, 2]) bids.set(p, 1)
    expect(bids.top(2, prices, sizes)).toBe(2)
    expect([prices[0], prices[1]]).toEqual([3, 2])
  })

  it('fromLevels replaces the side and clear empties it', () => {
    const side = new BookSide('bids', { keepText: true })
    side.set(50, 1, '50', '1')
    side.fromLevels([10, 12, 11, 9], [1, 2, 0, 4], ['10.0', '12.0', '11.0', '9.0'], ['1', '2', '0', '4'])
    expect(side.length).toBe(3)
    expect([side.priceAt(0), side.priceAt(1), side.priceAt(2)]).toEqual([12, 10, 9])
    expect(side.priceTextAt(0)).toBe('12.0')
    expect(side.sizeOf(50)).toBe(0)
    side.clear()
    expect(side.length).toBe(0)
    expect(side.best()).toBeNaN()
    expect(side.priceAt(0)).toBeNaN()
  })

  it('fromLevels resolves a price sent twice to the last of them', () => {
    const side = new BookSide('bids', { keepText: true })
    side.fromLevels([100, 100, 99], [1, 2, 3], ['100', '100.0', '99'], ['1', '2', '3'])
    expect([side.length, side.sizeOf(100), side.sizeTextAt(0)]).toEqual([2, 2, '2'])
    side.fromLevels([100, 100, 99], [1, 0, 3])
    expect([side.length, side.sizeOf(100), side.best()]).toEqual([1, 0, 99])
  })

  it('TopBuffers compares and copies', () => {
    const a = new TopBuffers(2)
    const b = new TopBuffers(2)
    expect(a.equals(b)).toBe(true)
    a.bidCount = 1
    a.bidPrices[0] = 5
    expect(a.equals(b)).toBe(false)
    b.copyFrom(a)
    expect(b.equals(a)).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { OrderBook } from '../../src-main/market/order-book'
import { makeWorkload } from '../bench/orderbook-workload'
import { ourReplayer } from '../bench/orderbook'

// The order-book bench replays the same diffs again and again; a replay the book silently drops would
// time nothing (the headline once counted dropped diffs as applied).
const newBook = () => new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: false, capacity: 1024 })

function top(book: OrderBook, n: number): number[][] {
  const out: number[][] = []
  for (let i = 0; i < Math.min(n, book.bids.length); i++) out.push([book.bids.priceAt(i), book.bids.sizeAt(i)])
  for (let i = 0; i < Math.min(n, book.asks.length); i++) out.push([book.asks.priceAt(i), -book.asks.sizeAt(i)])
  return out
}

describe('order-book bench replayer', () => {
  it('applies every diff again after a reset, as a fresh book would', () => {
    const w = makeWorkload({ seed: 7, levels: 200, batches: 40 })
    const book = newBook()
    const r = ourReplayer([book], [w])
    r.apply(r.remaining())
    r.reset()
    r.apply(10)

    const fresh = newBook()
    fresh.applySnapshot(w.snapshot)
    for (const d of w.diffs.slice(0, 10)) expect(fresh.applyDiff(d)).toBe('applied')
    expect(top(book, 50)).toEqual(top(fresh, 50))
    expect(book.health.dropped).toBe(0)
  })

  it('throws when the book does not apply a diff instead of counting its deltas', () => {
    const w = makeWorkload({ seed: 7, levels: 200, batches: 4 })
    const replayed = { snapshot: w.snapshot, diffs: [w.diffs[0]!, w.diffs[0]!, w.diffs[1]!] }
    const r = ourReplayer([newBook()], [replayed])
    expect(() => r.apply(3)).toThrow(/diff 1 .*dropped/)
  })
})

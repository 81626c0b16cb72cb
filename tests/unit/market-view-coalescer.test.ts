import { FakeClock } from '../support/fake-clock'
import { describe, expect, it } from 'vitest'
import { ViewCoalescer, type BookFrame, type TopSource } from '../../src-main/market/view-coalescer'
import { OrderBook } from '../../src-main/market/order-book'

function bookWithLevels(levels: number): OrderBook {
  const book = new OrderBook({ venue: 'sim', symbol: 'BTC/USDT', keepText: false })
  const bids: [number, number][] = []
  const asks: [number, number][] = []
  for (let i = 0; i < levels; i++) {
    bids.push([100 - i, 1])
    asks.push([101 + i, 1])
  }
  book.applySnapshot({ lastUpdateId: 0, bids, asks })
  return book
}

describe('ViewCoalescer', () => {
  it('never exceeds 60 frames/s under 1,000 updates/s and carries only the top N', () => {
    const clock = new FakeClock()
    const book = bookWithLevels(100)
    const coalescer = new ViewCoalescer({ source: () => book, clock })
    const frames: BookFrame[] = []
    coalescer.subscribe('sim:BTC/USDT', 10, (f) => frames.push(f))
    let id = 0
    for (let ms = 1; ms <= 5_000; ms++) {
      clock.advance(ms)
      // Every update changes the best bid's size, so every frame has something new to carry.
      id++
      book.applyDiff({ firstUpdateId: id, lastUpdateId: id, bids: [[100, 1 + (id % 7)]], asks: [] })
      coalescer.notify('sim:BTC/USDT')
    }
    clock.advance(6_000)
    expect(frames.length).toBeGreaterThan(250)
    // In every 1-second window [t, t + 1000) at most 60 frames.
    const times = frames.map((f) => f.at)
    for (let i = 0; i < times.length; i++) {
      let j = i
      while (j < times.length && (times[j] as number) < (times[i] as number) + 1000) j++
      expect(j - i).toBeLessThanOrEqual(60)
    }
    for (const f of frames) {
      expect(f.bids).toHaveLength(10)
      expect(f.asks).toHaveLength(10)
    }
    // The last frame shows the latest state.
    expect(frames.at(-1)?.bids[0]).toEqual([100, 1 + (id % 7)])
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
  })

  it('sends nothing when the top N did not change', () => {
    const clock = new FakeClock()
    const book = bookWithLevels(50)
    const coalescer = new ViewCoalescer({ source: () => book, clock, maxPerSecond: 60 })
    const frames: BookFrame[] = []
    coalescer.subscribe('m', 5, (f) => frames.push(f))
    expect(frames).toHaveLength(1) // the current book at once
    for (let i = 1; i <= 500; i++) {
      clock.advance(i * 10)
      // Level 30 changes: below what the view shows.
      book.applyDiff({ firstUpdateId: i, lastUpdateId: i, bids: [[70, i]], asks: [] })
      coalescer.notify('m')
    }
    clock.advance(10_000)
    expect(frames).toHaveLength(1)
    // A change in the top 5 goes out.
    book.applyDiff({ firstUpdateId: 501, lastUpdateId: 501, bids: [], asks: [[103, 9]] })
    coalescer.notify('m')
    clock.advance(10_100)
    expect(frames).toHaveLength(2)
    expect(frames[1]?.asks[2]).toEqual([103, 9])
  })

  it('a health change is sent even when the levels did not change', () => {
    const clock = new FakeClock()
    const source: TopSource & { health: { status: 'live' | 'stale'; reason: null | 'no message since 14:03:21 UTC' } } = {
      health: { status: 'live', reason: null },
      readTop(out) {
        out.bidCount = 1
        out.bidPrices[0] = 1
        out.bidSizes[0] = 1
        out.askCount = 0
      },
    }
    const coalescer = new ViewCoalescer({ source: () => source, clock })
    const frames: BookFrame[] = []
    coalescer.subscribe('m', 3, (f) => frames.push(f))
    source.health = { status: 'stale', reason: 'no message since 14:03:21 UTC' }
    clock.advance(100)
    coalescer.notify('m')
    expect(frames.map((f) => f.status)).toEqual(['live', 'stale'])
    expect(frames[1]?.reason).toBe('no message since 14:03:21 UTC')
  })

  it('calls start on the first view and stop on the last one; closed views get nothing', () => {
    const clock = new FakeClock()
    const book = bookWithLevels(5)
    const started: string[] = []
    const stopped: string[] = []
    const coalescer = new ViewCoalescer({ source: () => book, clock, onStart: (m) => started.push(m), onStop: (m) => stopped.push(m) })
    const a: BookFrame[] = []
    const closeA = coalescer.subscribe('m', 2, (f) => a.push(f))
    const closeB = coalescer.subscribe('m', 2, () => {})
    expect(started).toEqual(['m'])
    expect(coalescer.viewCount('m')).toBe(2)
    // A pending timer for A…
    book.applyDiff({ firstUpdateId: 1, lastUpdateId: 1, bids: [[100, 5]], asks: [] })
    coalescer.notify('m')
    expect(clock.pending).toBeGreaterThan(0)
    closeA()
    clock.advance(1_000)
    expect(a).toHaveLength(1) // …is cancelled with the view
    expect(stopped).toEqual([])
    closeB()
    closeB() // idempotent
    expect(stopped).toEqual(['m'])
    expect(coalescer.viewCount('m')).toBe(0)
    expect(clock.pending).toBe(0)
  })

  it('a throwing view does not break the others', () => {
    const clock = new FakeClock()
    const book = bookWithLevels(3)
    const errors: string[] = []
    const coalescer = new ViewCoalescer({
      source: () => book,
      clock,
      log: { info() {}, warn() {}, error: (m) => void errors.push(m) },
    })
    coalescer.subscribe('m', 2, () => {
      throw new Error('boom')
    })
    const ok: BookFrame[] = []
    coalescer.subscribe('m', 2, (f) => ok.push(f))
    expect(ok).toHaveLength(1)
    expect(errors).toEqual(['book view send failed'])
  })
})

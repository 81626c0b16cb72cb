import { describe, expect, it, vi } from 'vitest'
import { OrderBook, depthSnapshotOf, type BookReason, type DepthDiff } from '../../src-main/market/order-book'
import { TopBuffers } from '../../src-main/market/book-side'
import type { Logger } from '../../src-main/log'

function setup() {
  let t = 1_000
  const resyncs: BookReason[] = []
  const warnings: string[] = []
  const log: Logger = { info() {}, warn: (m) => void warnings.push(m), error() {} }
  const book = new OrderBook({
    venue: 'binance',
    symbol: 'BTC/USDT',
    now: () => t,
    log,
    onResync: (_b, reason) => void resyncs.push(reason),
  })
  return { book, resyncs, warnings, tick: (ms: number) => (t += ms), at: () => t }
}

const snapshot = (id: number) => ({
  lastUpdateId: id,
  bids: [
    ['100.00', '1.0'],
    ['99.50', '2.0'],
  ] as [string, string][],
  asks: [
    ['100.50', '1.5'],
    ['101.00', '3.0'],
  ] as [string, string][],
})

const diff = (U: number, u: number, bids: [string, string][] = [], asks: [string, string][] = []): DepthDiff => ({
  firstUpdateId: U,
  lastUpdateId: u,
  bids,
  asks,
})

describe('OrderBook sequence handling (Binance rules)', () => {
  it('buffers diffs before the snapshot, drops the stale ones, applies the bridging one', () => {
    const { book, resyncs } = setup()
    expect(book.status).toBe('resyncing')
    expect(book.health.reason).toBe('awaiting snapshot')
    expect(book.applyDiff(diff(90, 95, [['99.00', '1']]))).toBe('buffered') // entirely before the snapshot
    expect(book.applyDiff(diff(96, 103, [['100.00', '5']]))).toBe('buffered') // bridges 100 → 101
    expect(book.applyDiff(diff(104, 106, [], [['100.50', '0']]))).toBe('buffered')
    expect(book.buffered).toBe(3)
    expect(book.applySnapshot(snapshot(100))).toBe('applied')
    expect(book.status).toBe('live')
    expect(book.health.lastUpdateId).toBe(106)
    expect(book.health.dropped).toBe(1)
    expect(book.bids.sizeOf(100)).toBe(5)
    expect(book.bids.sizeOf(99)).toBe(0) // the dropped diff never applied
    expect(book.asks.best()).toBe(101)
    expect(resyncs).toEqual([])
    // Live: stale diffs are dropped, contiguous ones applied.
    expect(book.applyDiff(diff(100, 106, [['1.00', '1']]))).toBe('dropped')
    expect(book.applyDiff(diff(107, 107, [['99.75', '4']]))).toBe('applied')
    expect(book.bids.priceAt(1)).toBe(99.75)
  })

  it('a first diff that does not reach the snapshot is a gap', () => {
    const { book, resyncs } = setup()
    book.applySnapshot(snapshot(100))
    expect(book.applyDiff(diff(102, 110))).toBe('buffered') // U > lastUpdateId + 1
    expect(book.status).toBe('resyncing')
    expect(book.health.reason).toBe('sequence gap')
    expect(resyncs).toEqual(['sequence gap'])
  })

  it('a live book is not rolled back by a snapshot older than its state', () => {
    const { book, resyncs } = setup()
    book.applySnapshot(snapshot(10))
    expect(book.applyDiff(diff(11, 20, [['100.00', '9']]))).toBe('applied')
    const older = { lastUpdateId: 15, bids: [['100.00', '4']] as [string, string][], asks: [['100.50', '1.5']] as [string, string][] }
    expect(book.applySnapshot(older)).toBe('dropped')
    expect(book.bids.sizeOf(100)).toBe(9)
    expect(book.health.lastUpdateId).toBe(20)
    expect(book.status).toBe('live')
    expect(resyncs).toEqual([])
    // A newer one replaces it; while resyncing any snapshot is taken (that is what it waits for).
    expect(book.applySnapshot({ ...older, lastUpdateId: 21 })).toBe('applied')
    book.resync('sequence gap')
    expect(book.applySnapshot(snapshot(5))).toBe('applied')
    expect(book.status).toBe('live')
  })

  it('a gap between diffs → resyncing, resync requested once, recovers on a new snapshot', () => {
    const { book, resyncs, warnings } = setup()
    book.applySnapshot(snapshot(100))
    expect(book.applyDiff(diff(95, 101))).toBe('applied')
    expect(book.applyDiff(diff(102, 105))).toBe('applied')
    expect(book.applyDiff(diff(107, 108, [['99.90', '1']]))).toBe('buffered') // 106 missing
    expect(book.status).toBe('resyncing')
    expect(book.health.gaps).toBe(1)
    expect(book.applyDiff(diff(109, 110, [['99.80', '1']]))).toBe('buffered')
    expect(resyncs).toEqual(['sequence gap'])
    expect(warnings).toContain('book sequence gap')
    // The new snapshot covers up to 108; the buffered 109..110 follows it.
    book.applySnapshot(snapshot(108))
    expect(book.status).toBe('live')
    expect(book.health.lastUpdateId).toBe(110)
    expect(book.bids.sizeOf(99.8)).toBe(1)
    expect(book.bids.sizeOf(99.9)).toBe(0) // covered by the snapshot, not replayed
    expect(book.health.resyncs).toBe(1)
  })

  it('a gap while replaying the buffer keeps the rest for the next snapshot', () => {
    const { book, resyncs } = setup()
    book.applyDiff(diff(101, 101))
    book.applyDiff(diff(103, 104)) // 102 missing
    book.applyDiff(diff(105, 105))
    book.applySnapshot(snapshot(100))
    expect(book.status).toBe('resyncing')
    expect(resyncs).toEqual(['sequence gap'])
    expect(book.buffered).toBe(2)
    book.applySnapshot(snapshot(103))
    expect(book.status).toBe('live')
    expect(book.health.lastUpdateId).toBe(105)
  })
})

describe('OrderBook bad input', () => {
  const cases: [string, DepthDiff, RegExp][] = [
    ['non-numeric price', diff(101, 101, [['abc', '1']]), /^invalid data: bid price "abc"/],
    ['empty price', diff(101, 101, [], [['', '1']]), /^invalid data: ask price ""/],
    ['NaN price', diff(101, 101, [[Number.NaN as unknown as string, '1']]), /^invalid data: bid price/],
    ['negative size', diff(101, 101, [['99.00', '-1']]), /^invalid data: bid size "-1"/],
    ['non-numeric size', diff(101, 101, [], [['102.00', 'x']]), /^invalid data: ask size "x"/],
    ['crossed book', diff(101, 101, [['100.60', '1']]), /^invalid data: crossed book$/],
    ['not a pair', diff(101, 101, [null as unknown as [string, string]]), /^invalid data: bid level 0/],
    ['bad update ids', diff(Number.NaN, 101), /^invalid data: update ids NaN\.\.101$/],
    ['reversed update ids', diff(103, 101), /^invalid data: update ids 103\.\.101$/],
  ]
  for (const [name, bad, reason] of cases) {
    it(`${name}: counted, flagged, resync requested, nothing reaches the book, no throw`, () => {
      const { book, resyncs, warnings } = setup()
      book.applySnapshot(snapshot(100))
      expect(() => book.applyDiff(bad)).not.toThrow()
      expect(book.health.invalid).toBe(1)
      expect(book.status).toBe('resyncing')
      expect(book.health.reason).toMatch(reason)
      expect(resyncs).toHaveLength(1)
      expect(warnings).toContain('book invalid data')
      // Nothing of the untrusted book can be read any more.
      const out = new TopBuffers(5)
      book.readTop(out)
      expect(out.bidCount + out.askCount).toBe(0)
      // The next snapshot brings it back.
      book.applySnapshot(snapshot(101))
      expect(book.status).toBe('live')
    })
  }

  it('a batch with one bad level is rejected whole (no partial apply)', () => {
    const { book } = setup()
    book.applySnapshot(snapshot(100))
    const spy = vi.spyOn(book.bids, 'set')
    book.applyDiff(diff(101, 101, [['99.00', '7']], [['nope', '1']]))
    expect(spy).not.toHaveBeenCalled()
  })

  it('an invalid snapshot is counted and asks for another one', () => {
    const { book, resyncs } = setup()
    expect(book.applySnapshot({ lastUpdateId: 5, bids: [['101', '1']], asks: [['100', '1']] })).toBe('rejected')
    expect(book.health.reason).toBe('invalid data: crossed book')
    expect(book.applySnapshot({ lastUpdateId: 5, bids: [['x', '1']], asks: [] })).toBe('rejected')
    expect(book.health.invalid).toBe(2)
    expect(resyncs).toHaveLength(2)
  })
})

describe('OrderBook health', () => {
  it('goes stale after a silence and back to live on the next contiguous diff', () => {
    const { book, resyncs, tick, at } = setup()
    book.applySnapshot(snapshot(100))
    tick(4_000)
    expect(book.check(at(), 5_000)).toBe('live')
    tick(3_000)
    expect(book.check(at(), 5_000)).toBe('stale')
    // The time of the last message (4 + 3 s before now), which stays true as the silence goes on.
    const lastMessage = new Date(at() - 7_000).toISOString().slice(11, 19)
    expect(book.health.reason).toBe(`no message since ${lastMessage} UTC`)
    expect(book.health.silentSince).toBe(at() - 7_000)
    expect(resyncs).toEqual([`no message since ${lastMessage} UTC`])
    expect(book.health.staleEvents).toBe(1)
    book.applyDiff(diff(101, 101))
    expect(book.status).toBe('live')
    expect(book.health.reason).toBeNull()
    expect(book.health.silentSince).toBeNull()
    expect(book.health.lastUpdateAt).toBe(at())
  })

  it('socket closed and checksum failure resync', () => {
    const { book, resyncs } = setup()
    book.applySnapshot(snapshot(100))
    book.socketClosed()
    expect(book.health.reason).toBe('socket closed')
    book.applySnapshot(snapshot(200))
    book.checksumFailed()
    expect(book.status).toBe('resyncing')
    expect(book.health.reason).toBe('checksum failure')
    expect(book.health.checksumFailures).toBe(1)
    expect(book.bids.length).toBe(0)
    expect(resyncs).toEqual(['socket closed', 'checksum failure'])
  })

  it("takes the port's BookSnapshot; one without a sequence is refused", () => {
    const { book } = setup()
    const port = { symbol: 'BTC/USDT', bids: [['1.5', '2']] as [string, string][], asks: [['1.6', '1']] as [string, string][], timestamp: 0 }
    expect(book.applySnapshot(depthSnapshotOf(port))).toBe('rejected')
    expect(book.health.reason).toBe('invalid data: snapshot without a numeric update id')
    expect(book.applySnapshot(depthSnapshotOf({ ...port, sequence: 7 }))).toBe('applied')
    expect(book.health.lastUpdateId).toBe(7)
  })

  it("keeps the venue's decimal strings per level", () => {
    const { book } = setup()
    book.applySnapshot(snapshot(100))
    book.applyDiff(diff(101, 101, [['100.00', '1.2300'], ['99.9000', '0.5']]))
    expect(book.bids.priceTextAt(0)).toBe('100.00')
    expect(book.bids.sizeTextAt(0)).toBe('1.2300')
    expect(book.bids.priceTextAt(1)).toBe('99.9000')
    expect(book.asks.sizeTextAt(1)).toBe('3.0')
  })
})

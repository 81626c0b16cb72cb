import { describe, expect, it } from 'vitest'
import { BookFeed } from '../../src-main/market/book-feed'

// A half-open socket carries many books (Binance puts every stream of a connection on one socket): they
// all go silent, and each schedules its own silence restart, which drops the connection under it. The
// first drop is right; ccxt then subscribes every book on a new socket, and a restart still pending must
// not drop that fresh, healthy socket again (each drop interrupts every book, tape and ticker on it).

type Timer = { at: number; fn: () => void; id: number }

function world() {
  let now = 0
  let ids = 0
  const timers: Timer[] = []
  const clock = {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn, id: ++ids }
      timers.push(t)
      return t.id
    },
    clearTimeout: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h)
      if (i >= 0) timers.splice(i, 1)
    },
  }
  const advance = async (ms: number) => {
    const end = now + ms
    for (;;) {
      await new Promise((r) => setImmediate(r))
      timers.sort((a, b) => a.at - b.at || a.id - b.id)
      const t = timers[0]
      if (!t || t.at > end) break
      timers.shift()
      now = t.at
      t.fn()
    }
    now = end
  }
  const socket = { state: 'open' as 'open' | 'half-open' | 'connecting', drops: 0 }
  const watches = new Map<string, { onBook: (s: unknown) => void; onError: (e: Error) => void }>()
  let seq = 0
  const venue = {
    exchange: 'binance',
    capabilities: {},
    watchOrderBook(symbol: string, onBook: (s: unknown) => void, onError: (e: Error) => void) {
      watches.set(symbol, { onBook, onError })
      return () => watches.delete(symbol)
    },
    fetchOrderBook: async (symbol: string) => ({ symbol, bids: [['99', '1']], asks: [['102', '1']], timestamp: now }),
    reconnectBook() {
      if (socket.state === 'connecting') return
      socket.drops++
      socket.state = 'connecting'
      for (const w of [...watches.values()]) w.onError(Object.assign(new Error('connection dropped'), { name: 'NetworkError' }))
      clock.setTimeout(() => (socket.state = 'open'), 300) // ccxt dials again; every watch subscribes there
    },
  }
  const tick = () => {
    if (socket.state === 'open') for (const [symbol, w] of watches) w.onBook({ symbol, bids: [['100', '1']], asks: [['101', '1']], timestamp: now, sequence: ++seq })
    clock.setTimeout(tick, 200)
  }
  return { clock, advance, socket, venue, tick }
}

describe('silence restarts of books sharing one socket', () => {
  it('drop the dead socket once; the new one is left alone and every book is live again', async () => {
    const w = world()
    const log = { warn() {}, info() {}, error() {}, debug() {} }
    // Restart jitter spread over the books (a fixed sequence, so the run is the same every time).
    let r = 0.05
    const random = () => (r = (r + 0.37) % 1)
    const feeds = Array.from(
      { length: 8 },
      (_, i) =>
        new BookFeed('binance', `C${i}/USDT`, async () => w.venue as never, {
          clock: w.clock,
          log: log as never,
          staleAfterMs: 10_000,
          checkEveryMs: 1000,
          backoffMs: [1000, 1000, 2000, 5000, 10_000],
          random,
        } as never),
    )
    for (const f of feeds) f.acquire()
    w.tick()
    await w.advance(3000)
    expect(feeds.map((f) => f.health.status)).toEqual(Array(8).fill('live'))
    w.socket.state = 'half-open'
    await w.advance(30_000)
    expect(w.socket.drops).toBe(1)
    expect(feeds.map((f) => f.health.status)).toEqual(Array(8).fill('live'))
  })
})

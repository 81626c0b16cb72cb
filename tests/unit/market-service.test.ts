import { FakeClock } from '../support/fake-clock'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { createStreamHub, type StreamSources } from '../../src-main/api/streams'
import { marketHandlers, marketSources } from '../../src-main/api/handlers/market'
import { streams, commands } from '../../src-main/api/contract'
import type { AggregateFrame, BookFrameView, LiveCandle, TickerFrame, TradesBatch } from '../../src-main/api/schemas/market'
import { MarketDataService } from '../../src-main/market/service'
import { silentLogger } from '../../src-main/log'
import { VenueError, type BookDiff, type BookSnapshot, type Venue } from '../../src-main/venues/port'
import type { SimMarketSpec, SimEvent } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine, type SimMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { BTC_SPEC as BTC, settle } from '../support/sim-market'

// The market module on the simulated exchange, on manual time: the engine's clock and the service's
// timers both run on FakeClock; promises (the venue's replies) settle with `settle()`.

const T0 = 1_700_000_000_000

/** Counts the engine's listeners (SimVenue's watches subscribe through engine.on). */
function countListeners(engine: SimMatchingEngine): { readonly count: number } {
  const on = engine.on.bind(engine)
  const counter = { count: 0 }
  engine.on = (listener: (e: SimEvent) => void) => {
    counter.count++
    const off = on(listener)
    let done = false
    return () => {
      if (!done) counter.count--
      done = true
      off()
    }
  }
  return counter
}

function setup(options: { staleAfterMs?: number; venue?: (sim: SimVenue) => Venue; specs?: SimMarketSpec[]; backoffMs?: number[] } = {}) {
  const clock = new FakeClock(T0)
  const engine = createMatchingEngine(options.specs ?? [BTC], { now: () => clock.now() })
  const listeners = countListeners(engine)
  engine.deposit('mm', 'USDT', '100000000')
  engine.deposit('mm', 'BTC', '100000')
  engine.deposit('taker', 'USDT', '100000000')
  engine.deposit('taker', 'BTC', '100000')
  const sim = new SimVenue(engine, 'paper')
  const venue = options.venue ? options.venue(sim) : sim
  const service = new MarketDataService({
    venues: { list: () => [{ id: 'sim' }], open: async (id) => (id === 'sim' ? venue : Promise.reject(new AppError('NOT_FOUND', `No venue "${id}"`))) },
    log: silentLogger,
    clock,
    staleAfterMs: options.staleAfterMs ?? 10_000,
    checkEveryMs: 100,
    backoffMs: options.backoffMs ?? [50, 100, 200],
    random: () => 0.5,
    // The in-process venue is exempt from the silence check by default; these tests exercise it.
    watchSilence: () => true,
  })
  let n = 0
  const place = (account: string, side: 'buy' | 'sell', price: string, amount = '1', symbol = 'BTC/USDT') =>
    engine.placeOrder({ accountId: account, clientOrderId: `${account}-${++n}`, symbol, side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  const ladder = (levels = 30, symbol = 'BTC/USDT', mid = 100) => {
    for (let i = 0; i < levels; i++) {
      place('mm', 'buy', (mid - 0.05 - i * 0.1).toFixed(2), '1', symbol)
      place('mm', 'sell', (mid + 0.05 + i * 0.1).toFixed(2), '1', symbol)
    }
  }
  return { clock, engine, listeners, sim, service, place, ladder }
}

/** A sim venue whose markets load only when `release()` is called (a REST markets call slower than the book). */
function slowMarkets() {
  let release: () => void = () => {}
  const marketsKnown = new Promise<void>((resolve) => (release = resolve))
  const slow = (sim: SimVenue): Venue =>
    new Proxy(sim, {
      get(target, key) {
        if (key === 'loadMarkets') return async () => marketsKnown.then(() => target.loadMarkets())
        const v = Reflect.get(target, key) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
  return { slow, release: () => release() }
}

/** 'HH:MM:SS' in UTC, as a stale book's reason names the time of its last message. */
const utcClock = (at: number) => new Date(at).toISOString().slice(11, 19)

const levelsOf = (levels: [string, string][]) => levels.map(([p, a]) => [Number(p), Number(a)])

describe('MarketDataService: books', () => {
  it('sends ≤ 60 frames/s per view under a burst and its top N equals the engine book', async () => {
    const { clock, engine, service, ladder, place } = setup()
    ladder(40)
    await service.preload('sim')
    const frames: BookFrameView[] = []
    const sentAt: number[] = []
    const close = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 10 }, (f) => {
      frames.push(f)
      sentAt.push(clock.t)
    })
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)?.status).toBe('live')
    expect(frames.at(-1)?.bids).toHaveLength(10)
    // 2,000 book changes over 2 s: one every millisecond, each moving the top.
    for (let i = 0; i < 2000; i++) {
      clock.advance(clock.t + 1)
      place('mm', i % 2 ? 'buy' : 'sell', i % 2 ? (99.95 - (i % 7) * 0.01).toFixed(2) : (100.05 + (i % 7) * 0.01).toFixed(2), '0.01')
    }
    clock.advance(clock.t + 100)
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1))
    // No 1-second window holds more than 60 frames, and the burst did produce frames at that rate.
    for (let i = 60; i < sentAt.length; i++) expect((sentAt[i] as number) - (sentAt[i - 60] as number)).toBeGreaterThanOrEqual(1000)
    expect(frames.length).toBeGreaterThan(100)
    const last = frames.at(-1) as BookFrameView
    const snap = engine.book('BTC/USDT', 10)
    expect(last.bids).toEqual(levelsOf(snap.bids))
    expect(last.asks).toEqual(levelsOf(snap.asks))
    expect(last.spread).toBeCloseTo(Number(snap.asks[0]?.[0]) - Number(snap.bids[0]?.[0]), 8)
    expect(last.tick).toBe('0.01')
    expect(last.lastUpdateAt).toBe(clock.t - 100)
    for (const f of frames) expect(streams['market.book'].payload.safeParse(f).success).toBe(true)
    close()
  })

  it('never sends two frames less than 17 ms apart', async () => {
    const { clock, service, ladder, place } = setup()
    ladder(10)
    await service.preload('sim')
    const sentAt: number[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5 }, () => sentAt.push(clock.t))
    await settle()
    for (let i = 0; i < 1000; i++) {
      clock.advance(clock.t + 1)
      place('mm', 'buy', '99.95', '0.01')
    }
    clock.advance(clock.t + 50)
    for (let i = 2; i < sentAt.length; i++) expect((sentAt[i] as number) - (sentAt[i - 1] as number)).toBeGreaterThanOrEqual(17)
    for (let i = 60; i < sentAt.length; i++) expect((sentAt[i] as number) - (sentAt[i - 60] as number)).toBeGreaterThanOrEqual(1000)
  })

  it('shares one watch loop between views and stops it when the last view closes', async () => {
    const { clock, listeners, service, ladder } = setup()
    ladder(5)
    await service.preload('sim')
    const baseline = listeners.count
    const a: BookFrameView[] = []
    const b: BookFrameView[] = []
    const closeA = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 3 }, (f) => a.push(f))
    const closeB = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5, group: '1' }, (f) => b.push(f))
    await settle()
    clock.advance(clock.t + 20)
    expect(listeners.count).toBe(baseline + 1)
    expect(service.health()).toHaveLength(1)
    expect(service.health()[0]?.views).toBe(2)
    closeA()
    expect(listeners.count).toBe(baseline + 1)
    closeB()
    closeB() // twice is harmless
    expect(listeners.count).toBe(baseline)
    expect(service.health()).toEqual([])
    expect(service.activeLoops).toBe(0)
    clock.advance(clock.t + 60_000)
    expect(clock.pending).toBe(0) // no timer left running
    expect(a.at(-1)?.bids).toHaveLength(3)
  })

  it('groups levels into buckets of the step (bids down, asks up)', async () => {
    const { clock, engine, service, place } = setup()
    for (const p of ['99.99', '99.50', '99.00', '98.99', '97.10']) place('mm', 'buy', p, '1')
    for (const p of ['100.01', '100.99', '101.00', '101.01', '103.50']) place('mm', 'sell', p, '2')
    await service.preload('sim')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 3, group: '1' }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    const last = frames.at(-1) as BookFrameView
    expect(last.group).toBe('1')
    expect(last.bids).toEqual([
      [99, 3],
      [98, 1],
      [97, 1],
    ])
    expect(last.asks).toEqual([
      [101, 6],
      [102, 2],
      [104, 2],
    ])
    expect(engine.book('BTC/USDT').bids).toHaveLength(5)
    // A step below or at the tick means no grouping; a step that is not a multiple is refused.
    const plain: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 2, group: '0.01' }, (f) => plain.push(f))
    clock.advance(clock.t + 20)
    expect(plain.at(-1)?.group).toBeNull()
    expect(plain.at(-1)?.bids).toEqual([
      [99.99, 1],
      [99.5, 1],
    ])
    expect(() => service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 2, group: '0.015' }, () => {})).toThrow(/multiple of the tick/)
  })

  it('groups with a fractional step without float drift', async () => {
    const { clock, service, place } = setup()
    for (const p of ['99.99', '99.95', '99.94', '99.90', '99.89']) place('mm', 'buy', p, '0.5')
    await service.preload('sim')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5, group: '0.05' }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)?.bids).toEqual([
      [99.95, 1],
      [99.9, 1],
      [99.85, 0.5],
    ])
  })

  it('gives a grouped view the market\'s own spread and mid, not the buckets\'', async () => {
    const { clock, engine, service, place } = setup()
    place('mm', 'buy', '100.03', '0.1')
    place('mm', 'buy', '100.02', '0.2')
    place('mm', 'sell', '100.04', '1')
    await service.preload('sim')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5, group: '1' }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ bids: [[100, expect.closeTo(0.3, 9)]], asks: [[101, 1]], spread: 0.01, mid: 100.035 })
    // The best bid moves inside its bucket (100.03 → 100.02) and the bucket's total stays the same: the
    // spread shown follows the market all the same.
    clock.advance(clock.t + 5)
    const first = engine.book('BTC/USDT').bids[0]
    expect(first?.[0]).toBe('100.03')
    place('mm', 'buy', '100.01', '0.1')
    engine.cancelOrder('mm', 'BTC/USDT', { clientOrderId: 'mm-1' })
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ bids: [[100, expect.closeTo(0.3, 9)]], spread: 0.02, mid: 100.03 })
  })

  it('never groups off the tick when the view opens before the markets are known', async () => {
    const { slow, release } = slowMarkets()
    const { clock, service, place } = setup({ venue: slow })
    place('mm', 'buy', '100.04', '1')
    place('mm', 'sell', '100.05', '1')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5, group: '0.015' }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 50)
    // Not a multiple of the 0.01 tick: nothing grouped is shown before the tick is known...
    for (const f of frames) expect(f.group).not.toBe('0.015')
    release()
    await settle()
    clock.advance(clock.t + 50)
    // ...and then the step in effect is the next multiple of the tick, every bucket on it.
    expect(frames.at(-1)).toMatchObject({ status: 'live', tick: '0.01', group: '0.02', bids: [[100.04, 1]], asks: [[100.06, 1]] })
    for (const f of frames) for (const [p] of [...f.bids, ...f.asks]) expect(Math.round(p * 100) / 100).toBe(p)
  })

  it('sends the tick as soon as the markets load, without waiting for the book to change', async () => {
    const { slow, release } = slowMarkets()
    const { clock, service, place } = setup({ venue: slow })
    place('mm', 'buy', '100.03', '1')
    place('mm', 'sell', '100.04', '1')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 50)
    // Not known yet: said so (null), never a '0' tick that would mean whole units.
    expect(frames.at(-1)).toMatchObject({ status: 'live', tick: null, bids: [[100.03, 1]], spread: 0.01 })
    release()
    await settle()
    clock.advance(clock.t + 50)
    expect(frames.at(-1)).toMatchObject({ status: 'live', tick: '0.01', bids: [[100.03, 1]], spread: 0.01 })
  })

  it('refuses an unknown venue or symbol at subscribe time with NOT_FOUND', async () => {
    const { service } = setup()
    await service.preload('sim')
    const hub = createStreamHub(marketSources(service) as StreamSources)
    const a = hub.open('market.book', { venueId: 'nope', symbol: 'BTC/USDT' }, () => {})
    expect(a).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No venue "nope"' } })
    const b = hub.open('market.trades', { venueId: 'sim', symbol: 'DOGE/USDT' }, () => {})
    expect(b).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No market DOGE/USDT on sim' } })
    const c = hub.open('market.book', { venueId: 'sim', symbol: 'BTC/USDT', depth: 500 }, () => {})
    expect(c.ok).toBe(false)
    if (!c.ok) expect(c.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/depth must be at most 200/) })
    const d = hub.open('market.book', { venueId: 'sim', symbol: 'BTCUSDT' }, () => {})
    if (!d.ok) expect(d.error.message).toMatch(/BASE\/QUOTE/)
    expect(d.ok).toBe(false)
    const e = hub.open('market.book', { venueId: 'sim', symbol: 'BTC/USDT', group: 'abc' }, () => {})
    expect(e.ok).toBe(false)
    // A step of 401 digits is a multiple of the tick, but as a number it is Infinity: every price NaN.
    const huge = hub.open('market.book', { venueId: 'sim', symbol: 'BTC/USDT', group: `1${'0'.repeat(400)}` }, () => {})
    expect(huge).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('at most 120 characters') } })
    const f = hub.open('market.book', { venueId: 'sim', symbol: 'BTC/USDT' }, () => {})
    expect(f.ok).toBe(true)
    if (f.ok) f.value()
  })
})

/** A SimVenue whose diff stream can be tampered with. */
function tamperable(sim: SimVenue, tamper: { next: ((d: BookDiff) => BookDiff | null) | null; silent: boolean }): Venue {
  return new Proxy(sim, {
    get(target, prop, receiver) {
      if (prop === 'watchOrderBookDiffs') {
        return (symbol: string, onDiff: (d: BookDiff) => void, onError: (e: Error) => void) =>
          target.watchOrderBookDiffs(
            symbol,
            (d) => {
              if (tamper.silent) return
              const f = tamper.next
              if (f === null) return onDiff(d)
              tamper.next = null
              const out = f(d)
              if (out !== null) onDiff(out)
            },
            onError,
          )
      }
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

/** A SimVenue seen the ccxt way: whole books pushed on each change (no diff stream), which can be silenced. */
function snapshotsOnly(sim: SimVenue, tamper: { silent: boolean; restRequests: number }): Venue {
  return new Proxy(sim, {
    get(target, prop, receiver) {
      if (prop === 'watchOrderBookDiffs') return undefined
      if (prop === 'watchOrderBook') {
        return (symbol: string, onBook: (b: BookSnapshot) => void, onError: (e: Error) => void) =>
          target.watchOrderBook(symbol, (b) => tamper.silent || onBook(b), onError)
      }
      if (prop === 'fetchOrderBook') {
        return (symbol: string, depth?: number) => {
          tamper.restRequests++
          return target.fetchOrderBook(symbol, depth)
        }
      }
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

describe('MarketDataService: a quiet market is not a dead stream', () => {
  it('a book that has not changed stays live (the exchange\'s REST book agrees); one the stream stopped telling goes stale', async () => {
    const tamper = { silent: false, restRequests: 0 }
    const { clock, service, ladder, place } = setup({ venue: (s) => snapshotsOnly(s, tamper), staleAfterMs: 2000 })
    ladder(5)
    await service.preload('sim')
    const frames: BookFrameView[] = []
    const close = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    await settle()
    expect(frames.at(-1)).toMatchObject({ status: 'live' })
    const fromLive = frames.length - 1
    // Ten quiet seconds: nobody trades, the stream says nothing, and the book is still right.
    for (let i = 0; i < 100; i++) {
      clock.advance(clock.t + 100)
      await settle()
    }
    expect(frames.slice(fromLive).every((f) => f.status === 'live')).toBe(true)
    expect(service.health()[0]?.counters).toMatchObject({ staleEvents: 0, restarts: 0 })
    expect(tamper.restRequests).toBeGreaterThanOrEqual(3) // one small look per silent stretch
    expect(tamper.restRequests).toBeLessThanOrEqual(6)
    // Now the market moves but the stream says nothing: the REST book differs, so it is stale.
    tamper.silent = true
    place('mm', 'buy', '99.99')
    for (let i = 0; i < 50 && frames.at(-1)?.status === 'live'; i++) {
      clock.advance(clock.t + 100)
      await settle()
    }
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: expect.stringMatching(/^no message since \d\d:\d\d:\d\d UTC$/) })
    close()
  })
})

describe('MarketDataService: honest books', () => {
  it('resyncs on a sequence gap and ends equal to the engine book', async () => {
    const tamper = { next: null as ((d: BookDiff) => BookDiff | null) | null, silent: false }
    const { clock, engine, service, ladder, place } = setup({ venue: (s) => tamperable(s, tamper) })
    ladder(10)
    await service.preload('sim')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 10 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    tamper.next = () => null // lose one diff
    place('mm', 'buy', '99.97')
    place('mm', 'buy', '99.96')
    const feed = service.bookFeed('sim', 'BTC/USDT')
    expect(feed?.book.health).toMatchObject({ status: 'resyncing', reason: 'sequence gap', gaps: 1 })
    clock.advance(clock.t + 20)
    expect(frames.some((f) => f.status === 'resyncing' && f.reason === 'sequence gap')).toBe(true)
    await settle()
    clock.advance(clock.t + 20)
    const last = frames.at(-1) as BookFrameView
    expect(last.status).toBe('live')
    expect(last.bids).toEqual(levelsOf(engine.book('BTC/USDT', 10).bids))
  })

  it('counts bad data, resyncs, and never lets it reach a stream', async () => {
    const tamper = { next: null as ((d: BookDiff) => BookDiff | null) | null, silent: false }
    const { clock, engine, service, ladder, place } = setup({ venue: (s) => tamperable(s, tamper) })
    ladder(10)
    await service.preload('sim')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 10 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    const cases: ((d: BookDiff) => BookDiff)[] = [
      (d) => ({ ...d, bids: [['abc', '1']] }),
      (d) => ({ ...d, bids: [['99.99', '-1']] }),
      (d) => ({ ...d, bids: [['150.00', '1']] }), // crosses the book
    ]
    for (const [i, bad] of cases.entries()) {
      tamper.next = bad
      place('mm', 'buy', (99.9 - i * 0.01).toFixed(2), '0.5')
      clock.advance(clock.t + 20)
      await settle()
      clock.advance(clock.t + 20)
      expect(service.bookFeed('sim', 'BTC/USDT')?.book.status).toBe('live')
    }
    const health = service.health()[0]
    expect(health?.counters.invalid).toBe(3)
    expect(frames.some((f) => f.status === 'resyncing' && /^invalid data/.test(f.reason ?? ''))).toBe(true)
    for (const f of frames) {
      for (const [p, s] of [...f.bids, ...f.asks]) {
        expect(Number.isFinite(p) && p > 0 && s > 0).toBe(true)
        expect(p).not.toBe(150)
      }
    }
    expect(frames.at(-1)?.bids).toEqual(levelsOf(engine.book('BTC/USDT', 10).bids))
    expect(commands['market.health'].output.safeParse(service.health()).success).toBe(true)
  })

  it('marks a silent book stale with the reason, restarts the watch and goes live when data flows', async () => {
    const tamper = { next: null as ((d: BookDiff) => BookDiff | null) | null, silent: false }
    const { clock, engine, listeners, service, ladder, place } = setup({ venue: (s) => tamperable(s, tamper), staleAfterMs: 2000 })
    ladder(5)
    await service.preload('sim')
    const baseline = listeners.count
    const frames: BookFrameView[] = []
    const close = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    tamper.silent = true
    clock.advance(clock.t + 2500)
    const silentSince = service.health()[0]?.lastMessageAt as number
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: `no message since ${utcClock(silentSince)} UTC`, silentSince })
    expect(clock.t - silentSince).toBeGreaterThan(2000)
    expect(frames.at(-1)?.bids.length).toBe(5) // the last known levels, shown as stale
    clock.advance(clock.t + 200)
    await settle()
    expect(service.health()[0]?.counters.restarts).toBeGreaterThanOrEqual(1)
    expect(listeners.count).toBe(baseline + 1) // the old watch was stopped, not leaked
    tamper.silent = false
    place('mm', 'buy', '99.99')
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', reason: null })
    expect(frames.at(-1)?.bids).toEqual(levelsOf(engine.book('BTC/USDT', 5).bids))
    close()
    expect(listeners.count).toBe(baseline)
  })
})

describe('MarketDataService: a stale book says since when', () => {
  it("a minute into a silence its reason still names the last message's time, not the 2 s seen when it went stale", async () => {
    const tamper = { next: null as ((d: BookDiff) => BookDiff | null) | null, silent: false }
    // The watch is restarted only after two minutes: the minute below is one unbroken silence.
    const { clock, service, ladder } = setup({ venue: (s) => tamperable(s, tamper), staleAfterMs: 2000, backoffMs: [120_000] })
    ladder(5)
    await service.preload('sim')
    const frames: BookFrameView[] = []
    const close = service.openBook({ venueId: 'sim', symbol: 'BTC/USDT', depth: 5 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', silentSince: null })
    const lastMessageAt = service.health()[0]?.lastMessageAt as number
    tamper.silent = true
    for (let i = 0; i < 600; i++) {
      clock.advance(clock.t + 100)
      await settle()
    }
    // A minute of silence: what the screen holds is still true.
    expect(frames.at(-1)?.status).toBe('stale')
    const stale = frames.filter((f) => f.status === 'stale')
    expect(stale.length).toBeGreaterThan(0)
    for (const f of stale) {
      expect(f.silentSince).toBe(lastMessageAt)
      expect(f.reason).toBe(`no message since ${utcClock(lastMessageAt)} UTC`)
    }
    // One frame per change, not one per second of silence.
    expect(new Set(stale.map((f) => f.reason)).size).toBe(1)
    close()
  })
})

describe('MarketDataService: trades, tickers, candles', () => {
  it('batches trades at ≤ 30 per second and delivers every trade in order', async () => {
    const { clock, service, ladder, place } = setup()
    ladder(20)
    await service.preload('sim')
    const batches: { at: number; batch: TradesBatch }[] = []
    const close = service.openTrades({ venueId: 'sim', symbol: 'BTC/USDT' }, (batch) => batches.push({ at: clock.t, batch }))
    await settle()
    for (let i = 0; i < 500; i++) {
      clock.advance(clock.t + 2)
      place('taker', i % 2 ? 'buy' : 'sell', i % 2 ? '101.00' : '99.00', '0.001')
      place('mm', i % 2 ? 'sell' : 'buy', i % 2 ? '100.05' : '99.95', '0.001')
    }
    clock.advance(clock.t + 100)
    const trades = batches.flatMap((b) => b.batch.trades)
    expect(trades).toHaveLength(500)
    expect(new Set(trades.map((t) => t.id)).size).toBe(500)
    for (let i = 1; i < batches.length; i++) expect((batches[i]?.at as number) - (batches[i - 1]?.at as number)).toBeGreaterThanOrEqual(34)
    expect(batches.length).toBeLessThanOrEqual(31)
    for (const b of batches) expect(streams['market.trades'].payload.safeParse(b.batch).success).toBe(true)
    close()
    expect(service.activeLoops).toBe(0)
  })

  it('streams the ticker when it changes', async () => {
    const { clock, service, ladder, place } = setup()
    ladder(3)
    await service.preload('sim')
    const tickers: TickerFrame[] = []
    const close = service.openTicker({ venueId: 'sim', symbol: 'BTC/USDT' }, (t) => tickers.push(t))
    await settle()
    place('taker', 'buy', '101.00', '0.5')
    clock.advance(clock.t + 200)
    expect(tickers.at(-1)).toMatchObject({ venueId: 'sim', symbol: 'BTC/USDT', last: '100.05' })
    for (const t of tickers) expect(streams['market.ticker'].payload.safeParse(t).success).toBe(true)
    close()
    expect(service.activeLoops).toBe(0)
  })

  it('returns candle history from the venue and keeps the forming candle live', async () => {
    const { clock, engine, service, ladder, place } = setup()
    ladder(10)
    await service.preload('sim')
    place('taker', 'buy', '101.00', '0.5')
    clock.advance(clock.t + 60_000)
    place('taker', 'sell', '99.00', '0.25')
    const history = await marketHandlers(service)['market.candles']({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 10 }, { door: 'test' })
    const expected = engine.candles('BTC/USDT', '1m', { limit: 10 })
    expect(history.candles.map((c) => c.time)).toEqual(expected.map((c) => c.time))
    expect(history.candles.at(-1)).toEqual({
      time: expected.at(-1)?.time,
      open: Number(expected.at(-1)?.open),
      high: Number(expected.at(-1)?.high),
      low: Number(expected.at(-1)?.low),
      close: Number(expected.at(-1)?.close),
      volume: Number(expected.at(-1)?.volume),
    })
    expect(commands['market.candles'].output.safeParse(history).success).toBe(true)
    await expect(service.candles({ venueId: 'sim', symbol: 'DOGE/USDT', timeframe: '1m', limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(service.candles({ venueId: 'x', symbol: 'BTC/USDT', timeframe: '1m', limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(commands['market.candles'].input.safeParse({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '2m' }).success).toBe(false)
    expect(commands['market.candles'].input.safeParse({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 1001 }).success).toBe(false)

    const live: LiveCandle[] = []
    const close = service.openLiveCandle({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m' }, (c) => live.push(c))
    await settle()
    clock.advance(clock.t + 300)
    place('taker', 'buy', '101.00', '0.75')
    clock.advance(clock.t + 300)
    const forming = engine.candles('BTC/USDT', '1m', { limit: 1 })[0]
    expect(live.at(-1)?.candle).toEqual({
      time: forming?.time,
      open: Number(forming?.open),
      high: Number(forming?.high),
      low: Number(forming?.low),
      close: Number(forming?.close),
      volume: Number(forming?.volume),
    })
    // Into the next minute: a new candle opens at the trade's price.
    clock.advance(Math.ceil((clock.t + 1) / 60_000) * 60_000 + 5)
    place('taker', 'sell', '99.00', '0.1')
    clock.advance(clock.t + 300)
    const next = engine.candles('BTC/USDT', '1m', { limit: 1 })[0]
    expect(live.at(-1)?.candle.time).toBe(next?.time)
    expect(live.at(-1)?.candle.close).toBe(Number(next?.close))
    close()
    expect(service.activeLoops).toBe(0)
  })

  it('returns the candles before `until` (older history for a chart scrolled back) and refuses a bad until', async () => {
    // Venues are asked as ccxt's fetchOHLCV is: from a start time, at most `limit`. This one records the asks.
    const asked: (number | undefined)[] = []
    const { clock, engine, service, ladder, place } = setup({
      venue: (sim) =>
        new Proxy(sim, {
          get(target, key) {
            if (key === 'fetchCandles')
              return (symbol: string, tf: '1m', since?: number, limit?: number) => {
                asked.push(since)
                return target.fetchCandles(symbol, tf, since, limit)
              }
            const v = Reflect.get(target, key) as unknown
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
          },
        }),
    })
    ladder(10)
    await service.preload('sim')
    // 30 minutes with a trade in each.
    for (let i = 0; i < 30; i++) {
      clock.advance(clock.t + 60_000)
      place('taker', i % 2 ? 'buy' : 'sell', i % 2 ? '101.00' : '99.00', '0.01')
    }
    const all = engine.candles('BTC/USDT', '1m', { limit: 1000 }).map((c) => c.time)
    expect(all.length).toBeGreaterThanOrEqual(30)
    const until = all[20] as number
    const before = await service.candles({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 5, until })
    expect(before.candles.map((c) => c.time)).toEqual(all.slice(15, 20))
    expect(asked.at(-1)).toBe(until - 5 * 60_000)
    // Fewer than `limit` before it: those there are, none at or after `until`, oldest first.
    const early = await service.candles({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 10, until: all[2] as number })
    expect(early.candles.map((c) => c.time)).toEqual(all.slice(0, 2))
    // Before the oldest kept candle: none (the chart stops asking).
    const none = await service.candles({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 10, until: all[0] as number })
    expect(none.candles).toEqual([])
    // Through the command's schema, with the same answer.
    const input = commands['market.candles'].input.parse({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', limit: 5, until })
    expect((await marketHandlers(service)['market.candles'](input, { door: 'test' })).candles).toEqual(before.candles)

    const refused = (extra: Record<string, unknown>) => {
      const r = commands['market.candles'].input.safeParse({ venueId: 'sim', symbol: 'BTC/USDT', timeframe: '1m', ...extra })
      return r.success ? null : r.error.issues.map((i) => i.message)
    }
    expect(refused({ until: 1.5 })).toEqual(['until must be a whole number of milliseconds'])
    expect(refused({ until: -60_000 })).toEqual(['until must be a time after 1970-01-01'])
    expect(refused({ until: '2024-01-01' })).toEqual(['until must be a time in milliseconds'])
    expect(refused({ since: until, until })).toEqual(['until must be after since'])
    expect(refused({ since: until - 60_000, until })).toBeNull()
  })
})

describe('MarketDataService: aggregate', () => {
  it('merges two venues with shares, flags arbitrage after fees and lists excluded venues', async () => {
    const clock = new FakeClock(T0)
    const mk = () => createMatchingEngine([BTC], { now: () => clock.now() })
    const e1 = mk()
    const e2 = mk()
    for (const e of [e1, e2]) {
      e.deposit('mm', 'USDT', '1000000')
      e.deposit('mm', 'BTC', '1000')
    }
    let n = 0
    const put = (e: SimMatchingEngine, side: 'buy' | 'sell', price: string, amount: string) =>
      e.placeOrder({ accountId: 'mm', clientOrderId: `c${++n}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
    put(e1, 'buy', '99.00', '1')
    put(e1, 'sell', '100.00', '1')
    put(e2, 'buy', '99.00', '2')
    put(e2, 'sell', '101.00', '2')
    const v1 = new SimVenue(e1, 'x', { id: 'a' })
    const v2 = new SimVenue(e2, 'x', { id: 'b' })
    const byId: Record<string, Venue> = { a: v1, b: v2 }
    const service = new MarketDataService({
      venues: { list: () => [{ id: 'a' }, { id: 'b' }, { id: 'c' }], open: async (id) => byId[id] ?? Promise.reject(new Error(`cannot reach ${id}`)) },
      log: silentLogger,
      clock,
    })
    const frames: AggregateFrame[] = []
    const close = service.openAggregate({ base: 'BTC', quote: 'USD', depth: 5 }, (f) => frames.push(f))
    await settle()
    clock.advance(clock.t + 200)
    await settle()
    clock.advance(clock.t + 200)
    let last = frames.at(-1) as AggregateFrame
    expect(last.quote).toBe('USD')
    expect(last.venues).toEqual(expect.arrayContaining(['a', 'b']))
    const ia = last.venues.indexOf('a')
    const ib = last.venues.indexOf('b')
    expect(last.bids[0]?.price).toBe(99)
    expect(last.bids[0]?.size).toBe(3)
    expect(last.bids[0]?.shares[ia]).toBe(1)
    expect(last.bids[0]?.shares[ib]).toBe(2)
    expect(last.asks.map((l) => l.price)).toEqual([100, 101])
    expect(last.arbitrage).toBeNull()
    expect(last.excluded).toEqual([{ venueId: 'c', status: 'unavailable', reason: 'cannot reach c' }])
    expect(last.best.find((b) => b.venueId === 'b')).toMatchObject({ bid: 99, ask: 101, status: 'live' })
    // Venue b's bid jumps above a's ask by more than both taker fees (a bid at 100.50, away from b's own
    // ask at 101: a buy at 101 would meet it and self-trade prevention would expire that ask).
    put(e2, 'buy', '100.50', '0.5')
    clock.advance(clock.t + 200)
    last = frames.at(-1) as AggregateFrame
    expect(last.arbitrage).toMatchObject({ buyVenueId: 'a', buyPrice: 100, sellVenueId: 'b', sellPrice: 100.5 })
    expect(last.arbitrage?.edgeBps).toBeGreaterThan(0)
    for (const f of frames) expect(streams['market.aggregate'].payload.safeParse(f).success).toBe(true)
    expect(service.health()).toHaveLength(2)
    close()
    expect(service.health()).toEqual([])
    expect(service.activeLoops).toBe(0)
  })
})

describe('MarketDataService: venues fed by full books (ccxt)', () => {
  /** A venue like the ccxt adapter: watchOrderBook pushes whole books; errors come through onError. */
  function fakeExchange(exchange = 'binance', bookChecksum = false) {
    const watches: { onBook: (b: BookSnapshot) => void; onError: (e: Error) => void; depth: number | undefined; stopped: boolean }[] = []
    const venue = {
      id: 'x',
      exchange,
      capabilities: { nativeStops: false, sandbox: false, watchOrderBook: true, watchMyFills: true, bookChecksum },
      loadMarkets: async () => [{ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minAmount: '0.001', minNotional: '1', makerFee: '0.001', takerFee: '0.001', active: true }],
      watchOrderBook(_symbol: string, onBook: (b: BookSnapshot) => void, onError: (e: Error) => void, depth?: number) {
        const w = { onBook, onError, depth, stopped: false }
        watches.push(w)
        return () => {
          w.stopped = true
        }
      },
    } as unknown as Venue
    const book = (bid: string, ask: string, sequence?: number): BookSnapshot => ({
      symbol: 'BTC/USDT',
      bids: [[bid, '1']],
      asks: [[ask, '2']],
      timestamp: T0,
      ...(sequence === undefined ? {} : { sequence }),
    })
    return { venue, watches, book, live: () => watches.filter((w) => !w.stopped) }
  }

  function named(name: string, message: string): Error {
    const e = new Error(message)
    e.name = name
    return e
  }

  it('a checksum failure is one only on a venue whose exchange sends a checksum', async () => {
    const clock = new FakeClock(T0)
    const ex = fakeExchange('kraken', true)
    const service = new MarketDataService({ venues: { list: () => [{ id: 'x' }], open: async () => ex.venue }, log: silentLogger, clock, staleAfterMs: 1000, checkEveryMs: 100, backoffMs: [50], random: () => 0.5 })
    await service.preload('x')
    const frames: BookFrameView[] = []
    const close = service.openBook({ venueId: 'x', symbol: 'BTC/USDT', depth: 25 }, (f) => frames.push(f))
    await settle()
    const w = ex.live()[0] as (typeof ex.watches)[number]
    w.onBook(ex.book('100.00', '100.10', 7))
    clock.advance(clock.t + 20)
    w.onError(new VenueError('unknown', 'crc', named('ChecksumError', 'checksum')))
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ status: 'resyncing', reason: 'checksum failure' })
    expect(service.health()[0]?.counters).toMatchObject({ gaps: 0, checksumFailures: 1 })
    close()
  })

  it('maps gaps, checksum failures, socket errors and bad data to the book status, and restarts on bad data', async () => {
    const clock = new FakeClock(T0)
    const ex = fakeExchange()
    const service = new MarketDataService({ venues: { list: () => [{ id: 'x' }], open: async () => ex.venue }, log: silentLogger, clock, staleAfterMs: 1000, checkEveryMs: 100, backoffMs: [50], random: () => 0.5 })
    await service.preload('x')
    const frames: BookFrameView[] = []
    const close = service.openBook({ venueId: 'x', symbol: 'BTC/USDT', depth: 25 }, (f) => frames.push(f))
    await settle()
    expect(ex.live()).toHaveLength(1)
    expect(ex.live()[0]?.depth).toBe(100)
    const w = () => ex.live()[0] as (typeof ex.watches)[number]
    const step = () => clock.advance(clock.t + 20)
    w().onBook(ex.book('100.00', '100.10', 7))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100, 1]], asks: [[100.1, 2]], spread: 0.1, mid: 100.05 })

    w().onError(new VenueError('unknown', 'gap', named('InvalidNonce', 'nonce')))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'resyncing', reason: 'sequence gap' })
    w().onBook(ex.book('100.01', '100.10', 9))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100.01, 1]] })

    // Binance sends no checksum: ccxt raises ChecksumError there for an update-id gap.
    w().onError(new VenueError('unknown', 'crc', named('ChecksumError', 'checksum')))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'resyncing', reason: 'sequence gap' })
    w().onBook(ex.book('100.02', '100.10'))
    step()
    expect(frames.at(-1)?.status).toBe('live')

    w().onError(new VenueError('unreachable', 'closed', named('NetworkError', 'connection closed')))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: 'socket closed', bids: [[100.02, 1]] })
    w().onBook(ex.book('100.03', '100.10'))
    step()
    expect(frames.at(-1)?.status).toBe('live')

    // A crossed book: rejected, counted, never shown; the watch is restarted for a fresh snapshot.
    const first = w()
    first.onBook(ex.book('101.00', '100.10'))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'resyncing', reason: 'invalid data: crossed book', bids: [], asks: [] })
    clock.advance(clock.t + 100)
    expect(first.stopped).toBe(true)
    expect(ex.live()).toHaveLength(1)
    w().onBook(ex.book('100.03', '100.10'))
    step()
    expect(frames.at(-1)?.status).toBe('live')
    // The adapter's own parse errors count as bad data too.
    w().onError(new VenueError('bad-reply', 'Binance sent a bad order book', new TypeError('x')))
    clock.advance(clock.t + 100)
    w().onBook(ex.book('100.04', '100.10'))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100.04, 1]] })
    for (const f of frames) for (const [p] of f.bids) expect(p).not.toBe(101)
    const h = service.health()[0]
    expect(h?.counters).toMatchObject({ invalid: 2, gaps: 2, checksumFailures: 0 })
    expect(h?.counters.restarts).toBeGreaterThanOrEqual(2)

    // A silent feed: stale with the reason after the threshold, then restarted.
    const before = w()
    clock.advance(clock.t + 1200)
    const silentSince = service.health()[0]?.lastMessageAt as number
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: `no message since ${utcClock(silentSince)} UTC`, silentSince })
    clock.advance(clock.t + 100)
    expect(before.stopped).toBe(true)
    w().onBook(ex.book('100.05', '100.10'))
    step()
    expect(frames.at(-1)?.status).toBe('live')

    // A grouped view needs a deeper book: the watch is restarted with a bigger depth.
    const grouped = service.openBook({ venueId: 'x', symbol: 'BTC/USDT', depth: 10, group: '1' }, () => {})
    expect(ex.live()[0]?.depth).toBe(1000)
    grouped()
    close()
    expect(ex.live()).toHaveLength(0)
    expect(service.activeLoops).toBe(0)
  })

  it('passes over a book older than the one shown, unless the ids started over', async () => {
    const clock = new FakeClock(T0)
    const ex = fakeExchange()
    const service = new MarketDataService({ venues: { list: () => [{ id: 'x' }], open: async () => ex.venue }, log: silentLogger, clock, staleAfterMs: 60_000, checkEveryMs: 100, backoffMs: [50], random: () => 0.5 })
    await service.preload('x')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'x', symbol: 'BTC/USDT', depth: 5 }, (f) => frames.push(f))
    await settle()
    const w = ex.live()[0] as (typeof ex.watches)[number]
    const step = () => clock.advance(clock.t + 20)
    w.onBook(ex.book('100.00', '100.10', 20))
    step()
    w.onBook(ex.book('99.00', '100.10', 15))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100, 1]] })
    expect(w.stopped).toBe(false)
    // Three in a row: the venue's ids started over; the book follows it again.
    w.onBook(ex.book('99.00', '100.10', 16))
    w.onBook(ex.book('99.00', '100.10', 17))
    w.onBook(ex.book('99.01', '100.10', 18))
    step()
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[99.01, 1]] })
  })

  it('leaves out the bucket a cut-off book ends in and says the grouped book is short', async () => {
    // A dense book deeper than the venue sends: 1,000 levels a side (the tier asked for), 0.01 apart.
    const clock = new FakeClock(T0)
    const ex = fakeExchange()
    const service = new MarketDataService({ venues: { list: () => [{ id: 'x' }], open: async () => ex.venue }, log: silentLogger, clock, staleAfterMs: 60_000, checkEveryMs: 100, backoffMs: [50], random: () => 0.5 })
    await service.preload('x')
    const frames: BookFrameView[] = []
    service.openBook({ venueId: 'x', symbol: 'BTC/USDT', depth: 25, group: '1' }, (f) => frames.push(f))
    await settle()
    const w = ex.live()[0] as (typeof ex.watches)[number]
    expect(w.depth).toBe(1000)
    const side = (from: number, dir: number): [string, string][] =>
      Array.from({ length: 1000 }, (_, i) => [((from + dir * i) / 100).toFixed(2), '0.01'])
    // Bids 3399.50 down to 3389.51 (the 3389 bucket holds only 49 of its 100 ticks); asks 3400.01 up to
    // 3410.00 (the book ends on a bucket's edge: every bucket is whole).
    w.onBook({ symbol: 'BTC/USDT', bids: side(339950, -1), asks: side(340001, 1), timestamp: T0, sequence: 1 })
    clock.advance(clock.t + 20)
    const f = frames.at(-1) as BookFrameView
    expect(f.status).toBe('live')
    expect(f.bids).toHaveLength(10)
    expect(f.bids[0]).toEqual([3399, expect.closeTo(0.51, 9)])
    expect(f.bids.at(-1)).toEqual([3390, expect.closeTo(1, 9)])
    expect(f.bids.some(([p]) => p === 3389)).toBe(false)
    expect(f.asks).toHaveLength(10)
    expect(f.asks.at(-1)).toEqual([3410, expect.closeTo(1, 9)])
    expect(f.truncated).toBe(true)

    // A book that ends within the buckets asked for is whole: nothing is left out, nothing flagged.
    w.onBook({ symbol: 'BTC/USDT', bids: [['3399.50', '1'], ['3389.51', '2']], asks: [['3400.01', '1']], timestamp: T0, sequence: 2 })
    clock.advance(clock.t + 20)
    expect(frames.at(-1)).toMatchObject({ bids: [[3399, 1], [3389, 2]], asks: [[3401, 1]], truncated: false })
  })
})

import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { streams } from '../../src-main/api/contract'
import type { LiveCandle, TradesBatch } from '../../src-main/api/schemas/market'
import type { Logger } from '../../src-main/log'
import { MarketDataService } from '../../src-main/market/service'
import { VenueError, type PublicTrade, type Venue } from '../../src-main/venues/port'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { BTC_SPEC as SPEC, settle } from '../support/sim-market'

// The trades tape's first batch: the market's recent trades (fetchTrades) before the live ones, merged by
// trade id, in time order; later views get them too; a failed fetch never stops the live trades.
// Simulated exchange on manual time (FakeClock); promises settle with `settle()`.

const T0 = 1_700_000_000_000
const BTC = 'BTC/USDT'

/** fetchTrades replaced (the rest of the simulated venue as is). */
function withFetchTrades(sim: SimVenue, fetchTrades: (symbol: string, limit?: number) => Promise<PublicTrade[]>): Venue {
  return new Proxy(sim, {
    get(target, prop, receiver) {
      if (prop === 'fetchTrades') return fetchTrades
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

function recordingLogger(): Logger & { warnings: { message: string; detail: unknown }[] } {
  const warnings: { message: string; detail: unknown }[] = []
  return { info() {}, error() {}, warn: (message, detail) => warnings.push({ message, detail }), warnings }
}

function setup(options: { venue?: (sim: SimVenue) => Venue; log?: Logger } = {}) {
  const clock = new FakeClock(T0)
  const engine = createMatchingEngine([SPEC], { now: () => clock.now() })
  for (const account of ['mm', 'taker']) {
    engine.deposit(account, 'USDT', '100000000')
    engine.deposit(account, 'BTC', '100000')
  }
  const sim = new SimVenue(engine, 'paper')
  const venue = options.venue ? options.venue(sim) : sim
  const service = new MarketDataService({
    venues: { list: () => [{ id: 'sim' }], open: async () => venue },
    log: options.log ?? recordingLogger(),
    clock,
  })
  let n = 0
  for (let i = 0; i < 20; i++) {
    engine.placeOrder({ accountId: 'mm', clientOrderId: `bid-${i}`, symbol: BTC, side: 'buy', type: 'limit', amount: '1000', price: (99.95 - i * 0.1).toFixed(2), timeInForce: 'GTC', postOnly: false })
    engine.placeOrder({ accountId: 'mm', clientOrderId: `ask-${i}`, symbol: BTC, side: 'sell', type: 'limit', amount: '1000', price: (100.05 + i * 0.1).toFixed(2), timeInForce: 'GTC', postOnly: false })
  }
  /** `count` taker trades, `stepMs` apart, alternating sides, sizes 0.001, 0.002, … (each a distinct trade). */
  const trade = (count: number, stepMs = 3) => {
    for (let i = 0; i < count; i++) {
      clock.advance(clock.t + stepMs)
      const side = ++n % 2 ? 'buy' : 'sell'
      engine.placeOrder({ accountId: 'taker', clientOrderId: `t-${n}`, symbol: BTC, side, type: 'market', amount: ((n % 7) + 1) / 1000 + '', timeInForce: 'IOC', postOnly: false })
    }
  }
  const open = () => {
    const batches: TradesBatch[] = []
    const close = service.openTrades({ venueId: 'sim', symbol: BTC }, (b) => batches.push(structuredClone(b)))
    return { batches, close, ids: () => batches.flatMap((b) => b.trades.map((t) => t.id)) }
  }
  return { clock, engine, sim, service, trade, open }
}

/** The engine's trades as the contract's rows. */
const rows = (trades: PublicTrade[]) => trades.map((t) => ({ id: t.id, time: t.timestamp, price: t.price, amount: t.amount, side: t.side }))

const inTimeOrder = (b: TradesBatch) => b.trades.every((t, i) => i === 0 || (b.trades[i - 1]?.time ?? 0) <= t.time)

describe('SimVenue.fetchTrades', () => {
  it("returns the engine's last trades, oldest first, as copies; an unknown market is a VenueError", async () => {
    const { engine, sim, trade } = setup()
    trade(30)
    const got = await sim.fetchTrades(BTC, 10)
    expect(got).toEqual(engine.trades(BTC, 10))
    expect(got).toHaveLength(10)
    expect(got.map((t) => t.timestamp)).toEqual([...got.map((t) => t.timestamp)].sort((a, b) => a - b))
    expect(got.at(-1)?.id).toBe(engine.trades(BTC).at(-1)?.id)
    got[0]!.price = '1'
    expect(engine.trades(BTC, 10)[0]?.price).not.toBe('1')
    expect(await sim.fetchTrades(BTC)).toHaveLength(30)
    await expect(sim.fetchTrades('DOGE/USDT')).rejects.toBeInstanceOf(VenueError)
  })
})

describe('CcxtVenue.fetchTrades (ccxt okx, its HTTP answered here)', () => {
  /** ccxt's okx inside the venue, with one market and canned replies for /api/v5/market/trades. */
  function okxVenue(reply: () => unknown): { venue: CcxtVenue; paths: string[] } {
    const venue = new CcxtVenue({ accountId: 'okx-1', exchange: 'okx', sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k', secret: 's', password: 'p' } })
    const ex = (venue as unknown as { ex: { setMarkets(m: unknown[]): void; fetch: (url: string) => Promise<unknown> } }).ex
    ex.setMarkets([
      { id: 'MEME-USDT', symbol: 'MEME/USDT', base: 'MEME', quote: 'USDT', baseId: 'MEME', quoteId: 'USDT', spot: true, type: 'spot', active: true, precision: { price: 0.00000001, amount: 0.00000001 }, limits: {} },
    ])
    const paths: string[] = []
    ex.fetch = async (url: string) => {
      const u = new URL(url)
      paths.push(`${u.pathname}?${u.searchParams.toString()}`)
      return reply()
    }
    return { venue, paths }
  }
  const row = (tradeId: string, ts: number, px: string, sz: string, side: string) => ({ instId: 'MEME-USDT', tradeId, px, sz, side, ts: String(ts), source: '0' })

  it("keeps OKX's decimals exactly and orders oldest first, same-millisecond trades by numeric id", async () => {
    // OKX answers newest first. ccxt sorts by time, then by id as text ("10" before "9").
    const { venue, paths } = okxVenue(() => ({
      code: '0',
      msg: '',
      data: [
        row('10', T0 + 5, '0.00000124', '98765432109.87654321', 'buy'),
        row('9', T0 + 5, '0.00000123', '1234567890.12345678', 'sell'),
        row('8', T0, '0.00000122', '0.00000001', 'buy'),
      ],
    }))
    expect(await venue.fetchTrades('MEME/USDT', 3)).toEqual([
      { id: '8', symbol: 'MEME/USDT', price: '0.00000122', amount: '0.00000001', side: 'buy', timestamp: T0 },
      { id: '9', symbol: 'MEME/USDT', price: '0.00000123', amount: '1234567890.12345678', side: 'sell', timestamp: T0 + 5 },
      { id: '10', symbol: 'MEME/USDT', price: '0.00000124', amount: '98765432109.87654321', side: 'buy', timestamp: T0 + 5 },
    ])
    expect(paths).toEqual(['/api/v5/market/trades?instId=MEME-USDT&limit=3'])
  })

  it('a reply that is not a list of trades → bad-reply', async () => {
    const bad: unknown[] = [
      { code: '0', msg: '', data: [row('1', T0, 'abc', '1', 'buy')] },
      { code: '0', msg: '', data: [row('1', T0, '1', '1', 'up')] },
      { code: '0', msg: '', data: [{ instId: 'MEME-USDT', tradeId: '1', px: '1', sz: '1', side: 'buy' }] }, // no time
      { code: '0', msg: '', data: [null] },
    ]
    for (const body of bad) {
      const { venue } = okxVenue(() => body)
      const err = await venue.fetchTrades('MEME/USDT').then(
        () => null,
        (e: unknown) => e,
      )
      expect(err, JSON.stringify(body)).toBeInstanceOf(VenueError)
      expect((err as VenueError).kind, JSON.stringify(body)).toBe('bad-reply')
    }
  })
})

describe('CcxtVenue.close after a tape view closed', () => {
  it('lets the unsubscribe in flight finish before closing the sockets (ccxt would send it on a closed socket)', async () => {
    const venue = new CcxtVenue({ accountId: 'okx-1', exchange: 'okx', sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k', secret: 's', password: 'p' } })
    const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
    const order: string[] = []
    let unsubscribed: () => void = () => {}
    ex.watchTrades = () => new Promise(() => {})
    ex.unWatchTrades = () =>
      new Promise<void>((resolve) => {
        unsubscribed = () => {
          order.push('unsubscribed')
          resolve()
        }
      })
    ex.close = async () => {
      order.push('closed')
    }
    const stop = venue.watchTrades('MEME/USDT', () => {}, () => {})
    await settle()
    stop()
    const closing = venue.close()
    await settle()
    expect(order).toEqual([])
    unsubscribed()
    await closing
    expect(order).toEqual(['unsubscribed', 'closed'])
  })
})

describe('market.trades: recent trades first', () => {
  it('a new view first gets the 100 most recent trades in time order as one history batch, then live batches', async () => {
    const { clock, engine, service, trade, open } = setup()
    trade(150)
    await service.preload('sim')
    const view = open()
    await settle()
    clock.advance(clock.t + 1)
    expect(view.batches).toHaveLength(1)
    const [first] = view.batches
    expect(first?.history).toBe(true)
    expect(first?.trades).toEqual(rows(engine.trades(BTC, 100)))
    expect(first && inTimeOrder(first)).toBe(true)

    const before = engine.trades(BTC).length
    trade(20, 10)
    clock.advance(clock.t + 100)
    const live = view.batches.slice(1)
    expect(live.length).toBeGreaterThan(1)
    for (const b of live) expect(b.history).toBeUndefined()
    expect(live.flatMap((b) => b.trades)).toEqual(rows(engine.trades(BTC).slice(before)))
    expect(new Set(view.ids()).size).toBe(view.ids().length)
    for (const b of view.batches) expect(streams['market.trades'].payload.safeParse(b).success).toBe(true)
    view.close()
    expect(service.activeLoops).toBe(0)
  })

  it('holds live trades while the fetch runs, then sends one merged batch: each id once, in time order', async () => {
    let answer: (trades: PublicTrade[]) => void = () => {}
    let asked = 0
    const { clock, engine, service, trade, open } = setup({
      venue: (sim) =>
        withFetchTrades(sim, () => {
          asked++
          return new Promise((resolve) => (answer = resolve))
        }),
    })
    trade(40)
    await service.preload('sim')
    const view = open()
    await settle()
    expect(asked).toBe(1)
    const liveFrom = engine.trades(BTC).length
    trade(5, 50) // live while the fetch is out: held, not sent
    clock.advance(clock.t + 500)
    expect(view.batches).toEqual([])
    // The exchange's REST answer already has the 5 live trades (it is newer than the socket): no duplicates.
    // And it is newest first (as OKX sends it): the batch is put in time order.
    answer(engine.trades(BTC, 100).map((t) => ({ ...t })).reverse())
    await settle()
    clock.advance(clock.t + 1)
    expect(view.batches).toHaveLength(1)
    expect(view.batches[0]).toMatchObject({ history: true })
    expect(view.batches[0]?.trades).toEqual(rows(engine.trades(BTC, 45)))
    expect(engine.trades(BTC).length - liveFrom).toBe(5)

    trade(3, 50)
    clock.advance(clock.t + 100)
    expect(view.batches.slice(1).flatMap((b) => b.trades)).toEqual(rows(engine.trades(BTC).slice(-3)))
    expect(new Set(view.ids()).size).toBe(view.ids().length)
    view.close()
  })

  it('a fetched trade the socket delivers later is not sent twice', async () => {
    let deliver: (trades: PublicTrade[]) => void = () => {}
    const { clock, engine, service, trade, open } = setup({
      venue: (sim) =>
        new Proxy(sim, {
          get(target, prop, receiver) {
            if (prop === 'watchTrades')
              return (symbol: string, onTrade: (t: PublicTrade[]) => void, onError: (e: Error) => void) => {
                deliver = onTrade
                return target.watchTrades(symbol, onTrade, onError)
              }
            const v = Reflect.get(target, prop, receiver) as unknown
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
          },
        }),
    })
    trade(10)
    await service.preload('sim')
    const view = open()
    await settle()
    clock.advance(clock.t + 1)
    expect(view.batches[0]?.trades).toHaveLength(10)
    deliver(engine.trades(BTC, 2).map((t) => ({ ...t }))) // late socket copies of fetched trades
    trade(1)
    clock.advance(clock.t + 100)
    expect(view.ids()).toEqual(engine.trades(BTC).map((t) => t.id))
    view.close()
  })

  it('a view joining a running tape gets the recent trades too (without the ones still waiting to be sent)', async () => {
    const { clock, engine, service, trade, open } = setup()
    trade(60)
    await service.preload('sim')
    const a = open()
    await settle()
    trade(60, 10)
    clock.advance(clock.t + 100)
    trade(1) // sent to A a moment ago, so the next one waits for the throttle
    trade(1)
    const b = open()
    expect(b.batches).toHaveLength(1)
    expect(b.batches[0]?.history).toBe(true)
    // The last 100 sent, oldest first; the waiting trade is not in it but comes with the next batch.
    const all = engine.trades(BTC)
    expect(b.batches[0]?.trades).toEqual(rows(all.slice(-101, -1)))
    expect(b.batches[0] && inTimeOrder(b.batches[0])).toBe(true)
    clock.advance(clock.t + 100)
    trade(4, 50)
    clock.advance(clock.t + 100)
    expect(b.ids()).toEqual(all.slice(-101).map((t) => t.id).concat(engine.trades(BTC).slice(-4).map((t) => t.id)))
    // Both views saw the same live trades after B joined.
    expect(a.ids().slice(-5)).toEqual(b.ids().slice(-5))
    expect(new Set(a.ids()).size).toBe(a.ids().length)
    a.close()
    b.close()
    // The feed was stopped with the last view: a new one fetches again, with today's trades.
    trade(3)
    const c = open()
    await settle()
    clock.advance(clock.t + 100)
    expect(c.batches[0]?.trades).toEqual(rows(engine.trades(BTC, 100)))
    c.close()
  })

  it('fetchTrades failing is logged and the live trades still flow', async () => {
    const log = recordingLogger()
    const { clock, engine, service, trade, open } = setup({
      log,
      venue: (sim) => withFetchTrades(sim, async () => Promise.reject(new VenueError('unreachable', 'Binance cannot be reached'))),
    })
    trade(10)
    await service.preload('sim')
    const view = open()
    await settle()
    clock.advance(clock.t + 100)
    expect(view.batches).toEqual([]) // nothing old to show
    const before = engine.trades(BTC).length
    trade(6, 20)
    clock.advance(clock.t + 100)
    expect(view.batches.flatMap((b) => b.trades)).toEqual(rows(engine.trades(BTC).slice(before)))
    for (const b of view.batches) expect(b.history).toBeUndefined()
    expect(log.warnings).toEqual([
      { message: expect.stringMatching(/recent trades could not be fetched/), detail: expect.objectContaining({ venue: 'sim', symbol: BTC, error: 'Binance cannot be reached' }) },
    ])
    view.close()
  })

  it('a fetch that does not answer in time: live trades go out after the wait, a late answer is ignored', async () => {
    const log = recordingLogger()
    let answer: (trades: PublicTrade[]) => void = () => {}
    const { clock, engine, service, trade, open } = setup({
      log,
      venue: (sim) => withFetchTrades(sim, () => new Promise((resolve) => (answer = resolve))),
    })
    trade(10)
    await service.preload('sim')
    const view = open()
    await settle()
    const before = engine.trades(BTC).length
    trade(3, 100)
    clock.advance(clock.t + 1000)
    expect(view.batches).toEqual([])
    clock.advance(clock.t + 2000) // 3 s after the start
    expect(view.batches.flatMap((b) => b.trades)).toEqual(rows(engine.trades(BTC).slice(before)))
    expect(log.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/recent trades took too long/)])
    const sent = view.batches.length
    answer(engine.trades(BTC).map((t) => ({ ...t })))
    await settle()
    clock.advance(clock.t + 100)
    expect(view.batches).toHaveLength(sent)
    view.close()
  })

  it('the forming candle counts only live trades, never the history batch', async () => {
    const { clock, engine, service, trade, open } = setup()
    trade(30)
    await service.preload('sim')
    const view = open()
    const live: LiveCandle[] = []
    const closeCandle = service.openLiveCandle({ venueId: 'sim', symbol: BTC, timeframe: '1m' }, (c) => live.push(c))
    await settle()
    trade(5, 20)
    clock.advance(clock.t + 300)
    expect(view.batches[0]?.history).toBe(true)
    const forming = engine.candles(BTC, '1m', { limit: 1 })[0]
    expect(live.at(-1)?.candle).toEqual({
      time: forming?.time,
      open: Number(forming?.open),
      high: Number(forming?.high),
      low: Number(forming?.low),
      close: Number(forming?.close),
      volume: Number(forming?.volume),
    })
    closeCandle()
    view.close()
    expect(service.activeLoops).toBe(0)
  })
})

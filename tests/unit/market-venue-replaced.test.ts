import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { migrationsDir, tempDir } from '../support/temp-core'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { SecretsService } from '../../src-main/secrets/service'
import { AccountsService } from '../../src-main/accounts/service'
import { SimHost } from '../../src-main/venues/sim/host'
import { VenueRegistry } from '../../src-main/venues/registry'
import { PaperStore } from '../../src-main/venues/paper/store'
import { PAPER_SOURCE_REMOVED } from '../../src-main/venues/paper/paper-accounts'
import { MarketDataService } from '../../src-main/market/service'
import type { BookFrameView, LiveCandle, TickerFrame, TradesBatch } from '../../src-main/api/schemas/market'
import type { AccountVenue, CcxtAccountConfig, ConnectionTest } from '../../src-main/venues/ccxt/venue'
import type { BookSnapshot, Candle, ConnectionState, MarketInfo, PublicTrade, Ticker, Unwatch } from '../../src-main/venues/port'

// An exchange account edited or removed while the screen shows its market: the real AccountsService,
// VenueRegistry and MarketDataService, with scripted venues in place of ccxt (one per registry open, so
// "the old venue" and "the new venue" are distinct objects). Market timers run on FakeClock; the
// registry's promises settle with `settle()`.

const T0 = 1_700_000_000_000
const BTC = 'BTC/USDT'
const MARKET: MarketInfo = {
  symbol: BTC,
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.00001',
  minAmount: '0.00001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
  active: true,
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

/** A snapshot-fed venue (like ccxt's) driven by the test; it records any use after close(). */
class ScriptedVenue implements AccountVenue {
  readonly id: string
  readonly exchange = 'binance'
  readonly capabilities = { nativeStops: false, sandbox: true, watchOrderBook: true, watchMyFills: false }
  closed = false
  /** What was called on it after close(): a closed venue must not be used any more. */
  readonly usedAfterClose: string[] = []
  readonly books = new Map<string, (book: BookSnapshot) => void>()
  readonly tapes = new Map<string, (trades: PublicTrade[]) => void>()
  readonly tickers = new Map<string, (ticker: Ticker) => void>()
  candleSeeds = 0
  /** What fetchTrades answers (the market's recent trades). */
  recent: PublicTrade[] = []

  constructor(readonly config: CcxtAccountConfig) {
    this.id = config.accountId
  }

  pushBook(bid: string, ask: string): void {
    this.books.get(BTC)?.({ symbol: BTC, bids: [[bid, '1']], asks: [[ask, '1']], timestamp: T0 })
  }
  pushTrade(id: string, price: string, at: number): void {
    this.tapes.get(BTC)?.([trade(id, price, at)])
  }
  pushTicker(last: string, at: number): void {
    this.tickers.get(BTC)?.({ symbol: BTC, last, bid: null, ask: null, high24h: null, low24h: null, volume24h: null, changePct24h: null, timestamp: at })
  }
  get watching(): number {
    return this.books.size + this.tapes.size + this.tickers.size
  }

  async connect(): Promise<void> {
    this.use('connect')
  }
  async close(): Promise<void> {
    // Like ccxt: every watch stops, silently.
    this.closed = true
    this.books.clear()
    this.tapes.clear()
    this.tickers.clear()
  }
  connection(): ConnectionState {
    return this.closed ? 'down' : 'live'
  }
  onConnection(): Unwatch {
    return () => {}
  }
  async testConnection(): Promise<ConnectionTest> {
    return { ok: true, kind: null, message: 'ok' } as ConnectionTest
  }
  async loadMarkets(): Promise<MarketInfo[]> {
    this.use('loadMarkets')
    return [MARKET]
  }
  async fetchOrderBook(symbol: string): Promise<BookSnapshot> {
    this.use('fetchOrderBook')
    return { symbol, bids: [], asks: [], timestamp: T0 }
  }
  async fetchTrades(): Promise<PublicTrade[]> {
    this.use('fetchTrades')
    return this.recent
  }
  async fetchCandles(): Promise<Candle[]> {
    this.use('fetchCandles')
    this.candleSeeds++
    return []
  }
  async fetchTicker(): Promise<Ticker> {
    throw new Error('not used')
  }
  watchOrderBook(symbol: string, onBook: (book: BookSnapshot) => void): Unwatch {
    return this.watch('watchOrderBook', this.books, symbol, onBook)
  }
  watchTrades(symbol: string, onTrade: (trades: PublicTrade[]) => void): Unwatch {
    return this.watch('watchTrades', this.tapes, symbol, onTrade)
  }
  watchTicker(symbol: string, onTicker: (ticker: Ticker) => void): Unwatch {
    return this.watch('watchTicker', this.tickers, symbol, onTicker)
  }
  watchMyFills(): Unwatch {
    return () => {}
  }
  watchMyOrders(): Unwatch {
    return () => {}
  }
  placeOrder(): never {
    throw new Error('not used')
  }
  cancelOrder(): never {
    throw new Error('not used')
  }
  fetchOrder(): never {
    throw new Error('not used')
  }
  fetchOpenOrders(): never {
    throw new Error('not used')
  }
  fetchMyFills(): never {
    throw new Error('not used')
  }
  fetchBalances(): never {
    throw new Error('not used')
  }

  private watch<T>(what: string, into: Map<string, T>, symbol: string, listener: T): Unwatch {
    this.use(what)
    into.set(symbol, listener)
    return () => {
      if (into.get(symbol) === listener) into.delete(symbol)
    }
  }

  private use(what: string): void {
    if (this.closed) this.usedAfterClose.push(what)
  }
}

let stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops) await stop()
  stops = []
})

const trade = (id: string, price: string, at: number): PublicTrade => ({ id, symbol: BTC, price, amount: '0.5', side: 'buy', timestamp: at })

/** `firstConnect`: what the first venue's connect() waits for (a slow exchange); `recent[n]`: venue n's recent trades. */
async function setup(options: { firstConnect?: Promise<void>; recent?: PublicTrade[][] } = {}) {
  const clock = new FakeClock(T0)
  const dir = tempDir()
  const store: Store = openStore(dir, migrationsDir)
  const bus = new EventBus()
  const secrets = new SecretsService(store.db, memoryKeychain(), silentLogger)
  const built: ScriptedVenue[] = []
  const accounts = new AccountsService(store.db, secrets, bus, silentLogger, {
    createVenue: (config) => {
      const venue = new ScriptedVenue(config)
      const slow = options.firstConnect
      if (built.length === 0 && slow !== undefined) venue.connect = () => slow
      venue.recent = options.recent?.[built.length] ?? []
      built.push(venue)
      return venue
    },
  })
  const sim = new SimHost({ db: store.db, log: silentLogger, mode: 'manual', seed: 7, persist: false })
  const registry = new VenueRegistry(sim, accounts, bus, silentLogger)
  const market = new MarketDataService({
    venues: registry,
    log: silentLogger,
    bus,
    clock,
    staleAfterMs: 2000,
    checkEveryMs: 100,
    backoffMs: [50, 100, 200],
    random: () => 0.5,
  })
  registry.attachPaper({ store: new PaperStore(store.db), market, venueOptions: { clock, liveWaitMs: 0, lingerMs: 1000 } })
  stops.push(async () => {
    market.stop()
    await registry.stop()
    await sim.stop()
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const account = await accounts.add({ exchange: 'binance', label: 'Main', credentials: { apiKey: 'Kx7'.repeat(20) + 'Z9y1', secret: 'Sq2w'.repeat(16) } })
  const later = (ms: number) => clock.advance(clock.t + ms)
  const venue = (n: number) => {
    const v = built[n]
    if (v === undefined) throw new Error(`no venue #${n} was built (${built.length} so far)`)
    return v
  }
  return { clock, bus, accounts, registry, market, built, venue, id: account.id, later }
}

const edit = (h: Awaited<ReturnType<typeof setup>>) => h.accounts.update({ id: h.id, apiBaseUrl: 'https://proxy.example.com/' })

describe('a book view while its account is edited or removed', () => {
  it('edited: the same subscription is fed by the new venue object, from a new snapshot; the old one is not used', async () => {
    const h = await setup()
    const frames: BookFrameView[] = []
    const close = h.market.openBook({ venueId: h.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    const old = h.venue(0)
    expect(old.books.has(BTC)).toBe(true)
    old.pushBook('100', '101')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100, 1]], asks: [[101, 1]] })

    await edit(h)
    await settle()
    h.later(20)
    expect(old.closed).toBe(true)
    const fresh = h.venue(1)
    expect(fresh.config.apiBaseUrl).toBe('https://proxy.example.com')
    expect(fresh.books.has(BTC)).toBe(true)
    // Until the new venue's first book: resyncing, and nothing of the old venue's book is shown.
    expect(frames.at(-1)).toMatchObject({ status: 'resyncing', reason: 'venue replaced', bids: [], asks: [] })
    fresh.pushBook('200', '201')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', reason: null, bids: [[200, 1]], asks: [[201, 1]] })
    expect(h.market.health()).toEqual([expect.objectContaining({ venueId: h.id, symbol: BTC, status: 'live', views: 1 })])

    // A minute on (the fresh venue silent: stale, restarted on it): the old object is never touched again.
    h.later(60_000)
    await settle()
    expect(old.usedAfterClose).toEqual([])
    expect(h.built).toHaveLength(2)
    expect(fresh.books.has(BTC)).toBe(true)
    close()
    expect(fresh.watching).toBe(0)
    expect(h.market.activeLoops).toBe(0)
  })

  it('a new label only: the view keeps its venue object and its book; nothing reconnects', async () => {
    const h = await setup()
    const frames: BookFrameView[] = []
    const close = h.market.openBook({ venueId: h.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    h.venue(0).pushBook('100', '101')
    h.later(20)
    await h.accounts.update({ id: h.id, label: 'Main (renamed)' })
    await settle()
    h.later(20)
    expect(h.built).toHaveLength(1)
    expect(h.venue(0).closed).toBe(false)
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100, 1]], asks: [[101, 1]] })
    expect(h.registry.list().find((v) => v.id === h.id)?.label).toBe('Main (renamed)')
    close()
  })

  it('removed: the view is told (stale, with why) and nothing retries the closed venue', async () => {
    const h = await setup()
    const frames: BookFrameView[] = []
    const statuses: string[] = []
    h.bus.on('bookStatusChanged', (e) => statuses.push(`${e.status} ${e.reason ?? ''}`))
    const close = h.market.openBook({ venueId: h.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    const old = h.venue(0)
    old.pushBook('100', '101')
    h.later(20)
    expect(frames.at(-1)?.status).toBe('live')

    await h.accounts.remove(h.id)
    await settle()
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: expect.stringMatching(/removed/), bids: [], asks: [] })
    expect(statuses.at(-1)).toMatch(/^stale .*removed/)
    h.later(60_000)
    await settle()
    expect(old.usedAfterClose).toEqual([])
    expect(h.built).toHaveLength(1)
    expect(h.clock.pending).toBe(0) // no retry timer left
    expect(h.market.health()).toEqual([expect.objectContaining({ status: 'stale', reason: expect.stringMatching(/removed/) })])
    close()
    expect(h.market.activeLoops).toBe(0)
  })

  it('a venue still opening when the account is edited is closed; the view gets the fresh one', async () => {
    let release: () => void = () => {}
    // The first venue's connect hangs until released (a wrong URL timing out, say).
    const h = await setup({ firstConnect: new Promise<void>((resolve) => (release = resolve)) })
    const frames: BookFrameView[] = []
    h.market.openBook({ venueId: h.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    expect(h.built).toHaveLength(1)
    await edit(h)
    await settle()
    const fresh = h.venue(1)
    expect(fresh.books.has(BTC)).toBe(true)
    release()
    await settle()
    expect(h.venue(0).closed).toBe(true)
    expect(h.venue(0).watching).toBe(0)
    fresh.pushBook('200', '201')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[200, 1]] })
  })
})

describe('trades, ticker and the forming candle while their account is edited or removed', () => {
  it('edited: the tape keeps its subscription and gets the new venue object’s trades, the missed ones first', async () => {
    // The new venue's recent trades: 'a' (shown already) and 'x' (traded while the tape switched venues).
    const h = await setup({ recent: [[], [trade('a', '100', T0 + 1), trade('x', '150', T0 + 2)]] })
    const batches: TradesBatch[] = []
    const close = h.market.openTrades({ venueId: h.id, symbol: BTC }, (b) => batches.push(b))
    await settle()
    const old = h.venue(0)
    old.pushTrade('a', '100', T0 + 1)
    h.later(50)
    expect(batches.flatMap((b) => b.trades.map((t) => t.id))).toEqual(['a'])

    await edit(h)
    await settle()
    const fresh = h.venue(1)
    expect(fresh.tapes.has(BTC)).toBe(true)
    fresh.pushTrade('b', '200', T0 + 3)
    h.later(50)
    expect(batches.map((b) => [b.trades.map((t) => t.id).join(), b.history ?? false])).toEqual([
      ['a', false],
      ['x', true], // the trades of the gap, not new, and no repeat of 'a'
      ['b', false],
    ])
    h.later(60_000)
    await settle()
    expect(old.usedAfterClose).toEqual([])
    expect(h.built).toHaveLength(2)
    close()
    expect(fresh.watching).toBe(0)
  })

  it('edited: the ticker and the forming candle follow the new venue object too', async () => {
    const h = await setup()
    const tickers: TickerFrame[] = []
    const candles: LiveCandle[] = []
    h.market.openTicker({ venueId: h.id, symbol: BTC }, (t) => tickers.push(t))
    h.market.openLiveCandle({ venueId: h.id, symbol: BTC, timeframe: '1m' }, (c) => candles.push(c))
    await settle()
    const old = h.venue(0)
    expect(old.candleSeeds).toBe(1)

    await edit(h)
    await settle()
    const fresh = h.venue(1)
    expect(fresh.tickers.has(BTC)).toBe(true)
    expect(fresh.tapes.has(BTC)).toBe(true)
    expect(fresh.candleSeeds).toBe(1) // the forming candle is seeded again from the new venue
    fresh.pushTicker('200', T0 + 5)
    fresh.pushTrade('c', '201', T0 + 6)
    h.later(300)
    expect(tickers.at(-1)?.last).toBe('200')
    expect(candles.at(-1)?.candle.close).toBe(201)
    expect(old.usedAfterClose).toEqual([])
  })

  it('removed: the tape stops for good with why, and nothing retries the closed venue', async () => {
    const h = await setup()
    const batches: TradesBatch[] = []
    const close = h.market.openTrades({ venueId: h.id, symbol: BTC }, (b) => batches.push(b))
    await settle()
    const old = h.venue(0)
    old.pushTrade('a', '100', T0 + 1)
    h.later(50)

    await h.accounts.remove(h.id)
    await settle()
    h.later(60_000)
    await settle()
    expect(h.market.tradesError(h.id, BTC)).toMatch(/removed/)
    expect(old.usedAfterClose).toEqual([])
    expect(h.built).toHaveLength(1)
    expect(h.clock.pending).toBe(0)
    // The view is told once, on a last batch with no trades.
    expect(batches).toHaveLength(2)
    expect(batches[1]).toEqual({ venueId: h.id, symbol: BTC, trades: [], ended: 'account removed: this venue sends nothing more' })
    close()
    expect(h.market.activeLoops).toBe(0)
  })
})

describe('a paper account on the edited account', () => {
  it('its book view follows the rebuilt paper venue onto the new source venue object', async () => {
    const h = await setup()
    const paper = await h.registry.openPaper({ source: { kind: 'venue', venueId: h.id }, balances: [{ asset: 'USDT', amount: '1000' }] })
    const frames: BookFrameView[] = []
    h.market.openBook({ venueId: paper.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    const old = h.venue(0)
    expect(old.books.has(BTC)).toBe(true)
    old.pushBook('100', '101')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[100, 1]] })

    await edit(h)
    await settle()
    h.later(20)
    const fresh = h.venue(1)
    expect(fresh.books.has(BTC)).toBe(true)
    fresh.pushBook('200', '201')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live', bids: [[200, 1]] })
    h.later(60_000)
    await settle()
    expect(old.usedAfterClose).toEqual([])
  })

  it('removed: its book view ends with why, nothing retries, and the paper account says what the user can do', async () => {
    const h = await setup()
    const paper = await h.registry.openPaper({ source: { kind: 'venue', venueId: h.id }, balances: [{ asset: 'USDT', amount: '1000' }] })
    const frames: BookFrameView[] = []
    h.market.openBook({ venueId: paper.id, symbol: BTC, depth: 5 }, (f) => frames.push(f))
    await settle()
    h.venue(0).pushBook('100', '101')
    h.later(20)
    expect(frames.at(-1)).toMatchObject({ status: 'live' })

    await h.accounts.remove(h.id)
    await settle()
    h.later(60_000)
    await settle()
    // The book ended with the reason; no loop retries a venue that cannot come back.
    expect(frames.at(-1)).toMatchObject({ status: 'stale', reason: expect.stringMatching(/removed/), bids: [], asks: [] })
    expect(h.market.health().find((x) => x.venueId === paper.id)).toMatchObject({ status: 'stale', reason: expect.stringMatching(/removed/) })
    expect(h.built).toHaveLength(1)
    expect(h.clock.pending).toBe(0)
    // The paper account stays (its balances and orders are the user's record), down with the reason.
    const view = h.registry.list().find((v) => v.id === paper.id)
    expect(view).toMatchObject({ connection: 'down', reason: PAPER_SOURCE_REMOVED })
    await expect(h.registry.open(paper.id)).rejects.toThrow(PAPER_SOURCE_REMOVED)
    expect(h.built).toHaveLength(1)
  })
})


describe('an exchange account whose connect fails', () => {
  it('closes the venue that could not connect: each try again (the follow retry, every minute) must not keep one more open', async () => {
    const unreachable = Promise.reject(new Error('connect ECONNREFUSED 203.0.113.5:443'))
    unreachable.catch(() => undefined)
    const h = await setup({ firstConnect: unreachable })
    await expect(h.registry.open(h.id)).rejects.toThrow('ECONNREFUSED')
    expect(h.venue(0).closed).toBe(true)
    expect(h.registry.list().find((v) => v.id === h.id)).toMatchObject({ connection: 'down', reason: 'connect ECONNREFUSED 203.0.113.5:443' })
    // Tried again: a fresh venue, connected.
    await h.registry.open(h.id)
    expect(h.built).toHaveLength(2)
    expect(h.venue(1).closed).toBe(false)
    expect(h.registry.list().find((v) => v.id === h.id)).toMatchObject({ connection: 'live' })
  })
})

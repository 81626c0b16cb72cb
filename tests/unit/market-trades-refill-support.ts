import { FakeClock } from '../support/fake-clock'
import { settle } from '../support/sim-market'
import type { Logger } from '../../src-main/log'
import { TradesFeed, type TradesFeedOptions, type TradesOut } from '../../src-main/market/stream-feeds'
import type { PublicTrade, RequestPacing, TradeCursor, Venue } from '../../src-main/venues/port'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'

// A Binance BTC/USDT trades feed on a fake venue whose stream the test drives (trades, drops, the
// "subscribed" signal) and whose missed-trades pages each test answers its own way.

export const T0 = 1_795_481_280_000

export type FetchTradesAfter = (symbol: string, after: TradeCursor, limit: number) => Promise<PublicTrade[]>

export interface RefillHarnessOptions {
  /** The venue's fetchTradesAfter, given every trade the exchange made (oldest first). */
  fetchTradesAfter: (exchange: PublicTrade[]) => FetchTradesAfter
  feed: TradesFeedOptions
  /** What `run()` does: this many rounds of settling promises, the clock moved `stepMs` after each. */
  run: { rounds: number; stepMs: number }
  /** The amount of the n-th trade. */
  amount: (n: number) => string
}

export function refillHarness(options: RefillHarnessOptions) {
  const clock = new FakeClock(T0)
  const warnings: string[] = []
  const log: Logger = { info() {}, error() {}, warn: (message) => warnings.push(message) }
  /** Every trade the exchange made, oldest first. */
  const exchange: PublicTrade[] = []
  let onTrade: (t: PublicTrade[]) => void = () => {}
  let onError: (err: Error) => void = () => {}
  let onSubscribed: (() => void) | undefined
  const venue = {
    watchTrades: (_s: string, on: (t: PublicTrade[]) => void, err: (e: Error) => void, sub?: () => void) => {
      onTrade = on
      onError = err
      onSubscribed = sub
      return () => {}
    },
    fetchTrades: async (_s: string, limit = 100) => exchange.slice(-limit),
    fetchTradesAfter: options.fetchTradesAfter(exchange),
  } as unknown as Venue
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const feed = new TradesFeed('binance-1', 'BTC/USDT', async () => venue, ctx, options.feed)
  const batches: TradesOut[] = []
  feed.add((b) => batches.push(b))
  let n = 0
  /** `count` trades 10 ms apart on the exchange; delivered on the stream when `live`. */
  const trade = (count: number, live: boolean) => {
    for (let i = 0; i < count; i++) {
      clock.advance(clock.now() + 10)
      n++
      const t: PublicTrade = { id: String(1000 + n), symbol: 'BTC/USDT', price: '95000', amount: options.amount(n), side: n % 2 ? 'buy' : 'sell', timestamp: clock.now() }
      exchange.push(t)
      if (live) onTrade([t])
    }
  }
  const run = async () => {
    for (let i = 0; i < options.run.rounds; i++) {
      await settle()
      clock.advance(clock.now() + options.run.stepMs)
    }
  }
  const drop = () => onError(new Error('binance connection lost'))
  const subscribed = () => onSubscribed?.()
  return {
    clock,
    feed,
    exchange,
    warnings,
    batches,
    trade,
    run,
    drop,
    subscribed,
    shown: () => batches.flatMap((b) => b.trades.map((t) => t.id)),
    notes: () => batches.flatMap((b) => (b.note !== undefined ? [b.note] : [])),
    /** `count` trades shown live, then the stream drops. */
    liveThenDrop: async (count: number) => {
      await run()
      trade(count, true)
      await run()
      drop()
    },
    /** `missed` trades made while the stream is down, then it is back (with its "subscribed" signal unless
     * `signal` is false) and `live` trades come on it. */
    reconnect: async (missed: number, live = 0, signal = true) => {
      trade(missed, false)
      if (signal) subscribed()
      trade(live, true)
      await run()
    },
  }
}

/** A ccxt venue of `exchange` with BTC/<quote> (its exchange id `id`) set by hand, whose HTTP is answered by
 * `answer` (the paths asked are kept). */
export function answeredCcxtVenue(
  exchange: 'binance' | 'okx' | 'coinbase' | 'mexc',
  market: { id: string; quote: string },
  apiKey: string,
  answer: (path: string) => unknown,
) {
  const { id, quote } = market
  const venue = new CcxtVenue({ accountId: `${exchange}-1`, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey, secret: apiKey === '' ? '' : 's' } })
  const ex = (venue as unknown as { ex: { setMarkets(m: unknown[]): void; fetch: (url: string) => Promise<unknown> } }).ex
  ex.setMarkets([
    { id, lowercaseId: id.toLowerCase(), symbol: `BTC/${quote}`, base: 'BTC', quote, baseId: 'BTC', quoteId: quote, spot: true, type: 'spot', active: true, precision: { price: 0.01, amount: 0.00001 }, limits: {} },
  ])
  const paths: string[] = []
  ex.fetch = async (url: string) => {
    const u = new URL(url)
    const path = `${u.pathname}?${u.searchParams.toString()}`
    paths.push(path)
    return answer(path)
  }
  return { venue, paths }
}

export interface CoinbaseTrade {
  id: number
  time: number
  price: string
  size: string
  side: 'BUY' | 'SELL'
}

/**
 * Coinbase Advanced Trade's public GET /api/v3/brokerage/market/products/{id}/ticker ("the last trades"):
 * of the trades made from `start` to `end` (UNIX seconds, both taken as instants), the NEWEST `limit` (at
 * most 1,000), newest first. A window with more trades than that leaves its older ones out.
 */
export function coinbaseTickerOf(made: readonly CoinbaseTrade[]) {
  return (path: string) => {
    const u = new URL(`http://x${path}`)
    if (!/^\/api\/v3\/brokerage\/market\/products\/[^/]+\/ticker$/.test(u.pathname)) throw new Error(`unexpected ${path}`)
    const q = u.searchParams
    const start = q.get('start') === null ? -Infinity : Number(q.get('start')) * 1000
    const end = q.get('end') === null ? Infinity : Number(q.get('end')) * 1000
    const limit = Math.min(Number(q.get('limit')), 1000)
    const rows = made.filter((t) => t.time >= start && t.time <= end).slice(-limit).reverse()
    return {
      trades: rows.map((t) => ({ trade_id: String(t.id), product_id: 'BTC-USD', price: t.price, size: t.size, time: new Date(t.time).toISOString(), side: t.side, bid: '', ask: '' })),
      best_bid: '',
      best_ask: '',
    }
  }
}

export interface PacedVenueOptions {
  /** As ccxt's throttle: a request leaves this long after the one before it (Kraken's public calls: 1,200 ms). */
  spacingMs: number
  /** How long the exchange takes to answer a request once it was sent. */
  answerMs: number
  /** Trades asked per page in all: each request answers this many at most. */
  pageSize: number
  /**
   * Requests one refill page takes, one after the other through the queue (Kraken's, when a busy millisecond
   * holds over a page of trades before the cursor: asked on from its `last`). Default 1.
   */
  requestsPerPage?: number
}

/**
 * Several markets' trades feeds on one venue whose requests (recent trades and refill pages) wait in ONE queue,
 * as ccxt's throttle holds one account's requests: each leaves `spacingMs` after the one before, and the
 * exchange answers `answerMs` after it left. It tells the caller when a request waits and when it leaves
 * (RequestPacing) and drops one whose caller gave up before it left. `sent` lists the requests that reached
 * the exchange.
 */
export function pacedMarkets(symbols: readonly string[], options: PacedVenueOptions, feed: TradesFeedOptions) {
  const clock = new FakeClock(T0)
  const warnings: string[] = []
  const log: Logger = { info() {}, error() {}, warn: (message) => warnings.push(message) }
  const made = new Map<string, PublicTrade[]>(symbols.map((s) => [s, []]))
  const streams = new Map<string, { on: (t: PublicTrade[]) => void; err: (e: Error) => void; sub?: () => void }>()
  const sent: { symbol: string; at: number; after?: string }[] = []
  let nextLeave = 0
  /** One request through the queue: `answer` reads the exchange when it answers. */
  const request = <T>(symbol: string, pacing: RequestPacing | undefined, after: string | undefined, answer: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (pacing?.signal?.aborted) return reject(new Error('given up'))
      const leaveAt = Math.max(clock.now(), nextLeave)
      nextLeave = leaveAt + options.spacingMs
      const leave = () => {
        if (pacing?.signal?.aborted) return reject(new Error('given up'))
        pacing?.onSent?.()
        sent.push({ symbol, at: clock.now(), ...(after !== undefined ? { after } : {}) })
        clock.setTimeout(() => resolve(answer()), options.answerMs)
      }
      if (leaveAt === clock.now()) return leave()
      pacing?.onQueued?.()
      clock.setTimeout(leave, leaveAt - clock.now())
    })
  const venue = {
    watchTrades: (symbol: string, on: (t: PublicTrade[]) => void, err: (e: Error) => void, sub?: () => void) => {
      streams.set(symbol, { on, err, ...(sub ? { sub } : {}) })
      return () => {}
    },
    fetchTrades: (symbol: string, limit = 100, pacing?: RequestPacing) => request(symbol, pacing, undefined, () => made.get(symbol)!.slice(-limit)),
    fetchTradesAfter: async (symbol: string, after: TradeCursor, limit: number, pacing?: RequestPacing) => {
      for (let r = 1; r < (options.requestsPerPage ?? 1); r++) await request(symbol, pacing, after.id, () => [])
      return request(symbol, pacing, after.id, () => {
        const trades = made.get(symbol)!
        const i = trades.findIndex((t) => t.id === after.id)
        return trades.slice(i, i + Math.min(limit, options.pageSize))
      })
    },
  } as unknown as Venue
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const notes = new Map<string, string[]>(symbols.map((s) => [s, []]))
  for (const symbol of symbols) {
    const f = new TradesFeed('kraken-1', symbol, async () => venue, ctx, feed)
    f.add((b) => {
      if (b.note !== undefined) notes.get(symbol)!.push(b.note)
    })
  }
  let n = 0
  /** `count` trades 10 ms apart in every market; delivered on the streams when `live`. */
  const trade = (count: number, live: boolean) => {
    for (let i = 0; i < count; i++) {
      clock.advance(clock.now() + 10)
      for (const symbol of symbols) {
        n++
        const t: PublicTrade = { id: String(1000 + n), symbol, price: '95000', amount: '0.001', side: n % 2 ? 'buy' : 'sell', timestamp: clock.now() }
        made.get(symbol)!.push(t)
        if (live) streams.get(symbol)?.on([t])
      }
    }
  }
  /** Lets promises settle and the clock move on, `stepMs` at a time, until `ms` passed. */
  const pass = async (ms: number, stepMs = 100) => {
    const end = clock.now() + ms
    while (clock.now() < end) {
      await settle()
      clock.advance(Math.min(end, clock.now() + stepMs))
    }
    await settle()
  }
  return {
    clock,
    warnings,
    sent,
    notes,
    trade,
    pass,
    /** Every stream drops. */
    drop: () => {
      for (const s of streams.values()) s.err(new Error('kraken connection lost'))
    },
    /** Every stream says it is subscribed again. */
    subscribed: () => {
      for (const s of streams.values()) s.sub?.()
    },
  }
}

import { FakeClock } from '../support/fake-clock'
import { settle } from '../support/sim-market'
import type { Logger } from '../../src-main/log'
import { TradesFeed, type TradesFeedOptions, type TradesOut } from '../../src-main/market/stream-feeds'
import type { PublicTrade, TradeCursor, Venue } from '../../src-main/venues/port'
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

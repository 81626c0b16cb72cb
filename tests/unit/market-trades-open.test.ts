import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { settle } from '../support/sim-market'
import { waitFor } from '../support/wait-for'
import type { Logger } from '../../src-main/log'
import { TradesFeed, type TradesOut } from '../../src-main/market/stream-feeds'
import type { PublicTrade, TradeCursor, Venue } from '../../src-main/venues/port'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'

// A tape opened right after one on the same market was closed: its subscription waits for the previous
// unsubscribe (ccxt's unWatch), while the recent trades are fetched at once. Trades made after that fetch
// answered and before the subscription takes effect come neither from the fetch nor from the stream; the tape
// must still show every trade from its opening on, each once, in time order.

const T0 = 1_795_481_280_000

/**
 * An exchange whose trades stream subscribes in two steps the test drives: `sent()` (the venue says the
 * watch is subscribed) and `effective()` (the exchange delivers from then on). A watch opened while the
 * previous one's unsubscribe is pending does neither until the test says so.
 */
function fakeExchange(clock: FakeClock, paging: boolean) {
  const exchange: PublicTrade[] = []
  let watch: { on: (t: PublicTrade[]) => void; told?: () => void; live: boolean } | null = null
  let unsubscribing = false
  /** fetchTrades answers with the trades as of the request; held until `answerFetch()` when `holdFetch`. */
  let holdFetch = false
  let heldFetch: (() => void) | null = null
  const venue = {
    watchTrades: (_s: string, on: (t: PublicTrade[]) => void, _err: (e: Error) => void, told?: () => void) => {
      const w = { on, told, live: false }
      watch = w
      if (!unsubscribing) {
        // a fresh subscription: sent and in effect at once (still told asynchronously, as ccxt does)
        w.live = true
        void Promise.resolve().then(() => w.told?.())
      }
      return () => {
        if (watch === w) watch = null
        unsubscribing = true
      }
    },
    fetchTrades: (_s: string, limit = 100) => {
      const answer = exchange.slice(-limit)
      if (!holdFetch) return Promise.resolve(answer)
      return new Promise<PublicTrade[]>((resolve) => (heldFetch = () => resolve(answer)))
    },
    fetchTradesAfter: async (_s: string, after: TradeCursor, limit: number) => {
      const i = exchange.findIndex((t) => t.id === after.id)
      return exchange.slice(i + 1, i + 1 + Math.min(limit, 100))
    },
  } as unknown as Venue
  if (!paging) delete (venue as { fetchTradesAfter?: unknown }).fetchTradesAfter
  let n = 0
  return {
    venue,
    exchange,
    /** `count` trades 10 ms apart; the stream delivers them when its subscription is in effect. */
    trade(count: number) {
      for (let i = 0; i < count; i++) {
        clock.advance(clock.now() + 10)
        n++
        const t: PublicTrade = { id: String(5000 + n), symbol: 'BTC/USDT', price: '95000', amount: `0.00${(n % 9) + 1}`, side: n % 2 ? 'buy' : 'sell', timestamp: clock.now() }
        exchange.push(t)
        if (watch?.live) watch.on([t])
      }
    },
    /** The previous unsubscribe is done: the waiting subscription is sent and the venue says so. */
    sent() {
      unsubscribing = false
      watch?.told?.()
    },
    /** The exchange processed the subscribe message: trades from now on come on the stream. */
    effective() {
      if (watch) watch.live = true
    },
    holdFetches(on: boolean) {
      holdFetch = on
    },
    answerFetch() {
      heldFetch?.()
      heldFetch = null
    },
  }
}

function setup(options: { paging?: boolean } = {}) {
  const clock = new FakeClock(T0)
  const log: Logger = { info() {}, error() {}, warn() {} }
  const ex = fakeExchange(clock, options.paging ?? true)
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const feed = new TradesFeed('binance-1', 'BTC/USDT', async () => ex.venue, ctx)
  const run = async () => {
    for (let i = 0; i < 10; i++) {
      await settle()
      clock.advance(clock.now() + 100)
    }
  }
  /** A tape view: the ids it shows, in order. */
  const open = () => {
    const batches: TradesOut[] = []
    const close = feed.add((b) => batches.push(b))
    return { close, shown: () => batches.flatMap((b) => b.trades.map((t) => t.id)) }
  }
  return { clock, ex, feed, run, open }
}

describe('a tape opened right after one on the same market was closed', () => {
  it('shows the trades made before its subscription took effect, though no trade follows', async () => {
    const s = setup()
    const first = s.open()
    await s.run()
    s.ex.trade(5)
    await s.run()
    expect(first.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    first.close()

    const tape = s.open() // its subscription waits for the unsubscribe just sent
    await s.run() // the recent trades are in
    s.ex.trade(3) // made meanwhile: after the fetch, before the subscription
    s.ex.sent()
    s.ex.effective()
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.ex.trade(2)
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.feed.close()
  })

  it('trades made after the venue said it subscribed and before the exchange delivers come before the next live one', async () => {
    const s = setup()
    const first = s.open()
    await s.run()
    s.ex.trade(4)
    await s.run()
    first.close()

    const tape = s.open()
    await s.run()
    s.ex.trade(2)
    s.ex.sent() // the app refills now…
    await s.run()
    s.ex.trade(3) // …but these are made before the exchange acts on the subscription
    s.ex.effective()
    s.ex.trade(1)
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.feed.close()
  })

  it('the venue says it subscribed while the recent trades are still being fetched: nothing after them is lost', async () => {
    const s = setup()
    const first = s.open()
    await s.run()
    s.ex.trade(6)
    await s.run()
    first.close()

    s.ex.holdFetches(true)
    const tape = s.open()
    await s.run() // the fetch is out; its answer is the trades as of now
    s.ex.trade(2) // not in the answer, not on the stream
    s.ex.sent()
    s.ex.effective()
    s.ex.trade(2) // live, held until the recent trades are in
    await s.run()
    s.ex.answerFetch()
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.ex.trade(1)
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.feed.close()
  })

  it('on a venue that cannot page trades, the recent trades are asked once more after the subscription', async () => {
    const s = setup({ paging: false })
    const first = s.open()
    await s.run()
    s.ex.trade(6)
    await s.run()
    first.close()

    s.ex.holdFetches(true)
    const tape = s.open()
    await s.run()
    s.ex.trade(2)
    s.ex.sent()
    s.ex.effective()
    s.ex.trade(2)
    await s.run()
    s.ex.answerFetch()
    await s.run()
    s.ex.answerFetch() // the second fetch, asked after the subscription
    await s.run()
    expect(tape.shown()).toEqual(s.ex.exchange.map((t) => t.id))
    s.feed.close()
  })
})

describe('CcxtVenue.watchTrades says when it is first subscribed', () => {
  it('once the connected socket carries the trades subscription, before any trade came', async () => {
    const venue = new CcxtVenue({ accountId: 'b-1', exchange: 'binance', sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k', secret: 's' } })
    const ex = (venue as unknown as { ex: Record<string, unknown> }).ex
    ex.watchTrades = () => {
      ex.clients = { 'wss://stream': { isConnected: true, subscriptions: { 'trade::BTC/USDT': {} } } }
      return new Promise(() => {}) // a quiet market: no trade comes
    }
    ex.unWatchTrades = async () => undefined
    let told = 0
    const stop = venue.watchTrades('BTC/USDT', () => {}, () => {}, () => told++)
    await waitFor(() => told > 0, 'the first subscription told', 500).catch(() => undefined) // the count is asserted below
    stop()
    expect(told).toBe(1)
  })
})

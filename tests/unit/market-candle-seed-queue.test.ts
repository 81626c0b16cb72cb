import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { settle } from '../support/sim-market'
import type { Logger } from '../../src-main/log'
import { CandleFeed, TradesFeed, type FormingCandle } from '../../src-main/market/stream-feeds'
import { VenueError, type RequestPacing, type Venue } from '../../src-main/venues/port'

// ccxt holds one account's REST requests in its rate-limit queue (Kraken's public ones 1.2 s apart): when many
// markets reconnect at once, a forming candle's seed request may wait there for seconds before it leaves. The
// seed goes through the same pacing as the trades refill: it measures the request from when it left the queue
// (trades delivered while it waited were made before it: in its answer), and a seed given up meanwhile (asked
// again: the socket came back and its first trade seeds anew) is not sent.

const T0 = 1_795_481_280_000 // a minute boundary
const warnings: string[] = []
const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} }

/** A venue whose candle requests wait in a queue (as ccxt's throttle holds them) until the test lets one leave. */
async function queuedVenueFeed(clock: FakeClock) {
  let push: (t: unknown[]) => void = () => {}
  let fail: (err: Error) => void = () => {}
  let subscribed: () => void = () => {}
  const queue: { pacing: RequestPacing | undefined; answer: (rows: unknown[]) => void; refuse: (err: Error) => void }[] = []
  /** When each candle request left for the exchange. */
  const sentAt: number[] = []
  const venue = {
    fetchTrades: async () => [],
    watchTrades: (_s: string, on: (t: unknown[]) => void, onError: (err: Error) => void, onSubscribed: () => void) => {
      push = on
      fail = onError
      subscribed = onSubscribed
      return () => {}
    },
    fetchCandles: (_symbol: string, _tf: string, _since?: number, _limit?: number, pacing?: RequestPacing) =>
      new Promise((answer, refuse) => {
        pacing?.onQueued?.()
        queue.push({ pacing, answer, refuse })
      }),
  } as unknown as Venue
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const trades = new TradesFeed('kraken', 'BTC/USD', async () => venue, ctx, { historySize: 0 })
  const feed = new CandleFeed('kraken', 'BTC/USD', '1m', async () => venue, ctx, trades)
  const shown: FormingCandle[] = []
  feed.add((c) => shown.push(c))
  await settle()
  /**
   * The request at the head of the queue leaves now (at `at`), unless its caller gave up: then it is not sent (as
   * request-pacing.ts refuses it). Returns its answer, or undefined when it was not sent.
   */
  const leave = (at: number) => {
    clock.advance(at)
    const next = queue.shift()!
    if (next.pacing?.signal?.aborted) {
      next.refuse(new VenueError('unknown', 'the request was given up before it was sent'))
      return undefined
    }
    next.pacing?.onSent?.()
    sentAt.push(clock.now())
    return async (rows: unknown[], answeredAt: number) => {
      clock.advance(answeredAt)
      next.answer(rows)
      await settle()
      clock.advance(clock.now() + 1_000)
      await settle()
    }
  }
  let id = 0
  const trade = (ts: number, amount: string) => push([{ id: String(++id), timestamp: ts, price: '100', amount, side: 'buy', symbol: 'BTC/USD' }])
  return { queue, sentAt, leave, trade, drop: () => fail(new Error('socket closed')), subscribed: () => subscribed(), last: () => shown.at(-1), close: () => (feed.close(), trades.close()) }
}

const candle = (volume: string) => [{ time: T0, open: '100', high: '100', low: '100', close: '100', volume }]

describe("the forming candle's seed request waiting in the venue's rate-limit queue", () => {
  it('trades delivered while it waited were made before it left: in its answer, so it is not asked again', async () => {
    const clock = new FakeClock(T0 + 10_000)
    const f = await queuedVenueFeed(clock)
    clock.advance(T0 + 10_050)
    f.trade(T0 + 10_050, '1') // the request still waits in the queue (other markets' requests go first)
    await settle()
    const answer = f.leave(T0 + 12_000)!
    await answer(candle('3'), T0 + 12_100) // a trade of 2 before the chart opened, and the one above
    expect(f.queue).toHaveLength(0) // not asked again
    expect(f.sentAt).toEqual([T0 + 12_000])
    expect(f.last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 3 })
    f.close()
  })

  it('a market trading while it waited: no trade the answer holds is counted twice', async () => {
    const clock = new FakeClock(T0 + 10_000)
    const f = await queuedVenueFeed(clock)
    for (const at of [10_100, 10_900, 11_500]) {
      clock.advance(T0 + at)
      f.trade(T0 + at, '1')
    }
    await settle()
    const answer = f.leave(T0 + 12_000)!
    await answer(candle('4'), T0 + 12_100) // the exchange's minute: 1 before, and the three above
    expect(f.last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 4 })
    expect(f.sentAt).toHaveLength(1)
    f.close()
  })

  it('after a reconnect, a seed superseded while it waited (the first trade seeds anew) is not sent', async () => {
    const clock = new FakeClock(T0 + 10_000)
    const f = await queuedVenueFeed(clock)
    await f.leave(T0 + 10_000)!(candle('1'), T0 + 10_100)
    f.drop()
    clock.advance(T0 + 20_000)
    f.subscribed() // seeded again: its request waits behind the other markets' reconnect requests
    await settle()
    clock.advance(T0 + 20_500)
    f.trade(T0 + 20_500, '1') // the first trade delivered seeds once more
    await settle()
    expect(f.queue).toHaveLength(2)
    expect(f.leave(T0 + 21_000)).toBeUndefined() // the superseded one: not sent
    await settle()
    await f.leave(T0 + 22_000)!(candle('3'), T0 + 22_100)
    expect(f.sentAt).toEqual([T0 + 10_000, T0 + 22_000])
    expect(f.last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 3 })
    expect(warnings.filter((w) => w.includes('candle seed failed'))).toEqual([])
    f.close()
  })
})

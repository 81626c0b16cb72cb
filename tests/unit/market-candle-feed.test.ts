import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import { settle } from '../support/sim-market'
import type { Logger } from '../../src-main/log'
import { CandleFeed, TradesFeed, type FormingCandle } from '../../src-main/market/stream-feeds'
import type { Venue } from '../../src-main/venues/port'

// The forming-candle stream (market.candles.live) is the only way the chart learns a minute's final state:
// a minute's last trade must reach the screen even when the next minute starts inside the 250 ms throttle.

const T0 = 1_795_481_280_000 // a minute boundary (00:48:00 UTC)
const log: Logger = { info() {}, warn() {}, error() {} }

async function setup() {
  const clock = new FakeClock(T0)
  let push: (t: unknown[]) => void = () => {}
  const venue = {
    watchTrades: (_s: string, on: (t: unknown[]) => void) => {
      push = on
      return () => {}
    },
    fetchTrades: async () => [],
    fetchCandles: async () => [],
  } as unknown as Venue
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const trades = new TradesFeed('sim', 'BTC/USDT', async () => venue, ctx, { historySize: 0 })
  const feed = new CandleFeed('sim', 'BTC/USDT', '1m', async () => venue, ctx, trades)
  const sent: FormingCandle[] = []
  feed.add((c) => sent.push(c))
  await settle()
  let id = 0
  /** One socket frame of trades [timestamp, price, amount], arriving at the last one's time. */
  const frame = (...rows: [number, string, string][]) => {
    clock.advance(rows[rows.length - 1]![0])
    push(rows.map(([ts, price, amount]) => ({ id: String(++id), timestamp: ts, price, amount, side: 'buy', symbol: 'BTC/USDT' })))
  }
  const trade = (ts: number, price: string, amount: string) => frame([ts, price, amount])
  /** The last frame the chart got for each minute: what it keeps drawing. */
  const shown = () => new Map(sent.map((c) => [c.time, c]))
  return { clock, trade, frame, sent, shown, close: () => (feed.close(), trades.close()) }
}

describe('the forming candle at a minute boundary', () => {
  it("sends the finished minute's last trade before the next minute replaces it", async () => {
    const { clock, trade, shown, close } = await setup()
    trade(T0 + 1_000, '100', '1')
    trade(T0 + 59_850, '101', '1') // sent at once
    trade(T0 + 59_950, '110', '1') // waits for the throttle (until 60.100)
    trade(T0 + 60_010, '105', '1') // the next minute opens inside the throttle window
    clock.advance(T0 + 61_000)
    await settle()
    expect(shown().get(T0)).toEqual({ time: T0, open: 100, high: 110, low: 100, close: 110, volume: 3 })
    expect(shown().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 105, high: 105, low: 105, close: 105, volume: 1 })
    close()
  })

  it('a batch spanning the boundary sends both minutes in full', async () => {
    const { clock, trade, frame, shown, close } = await setup()
    trade(T0 + 59_000, '100', '1')
    clock.advance(T0 + 59_900)
    // one socket frame holding the minute's last trade and the next minute's first
    frame([T0 + 59_990, '90', '2'], [T0 + 60_001, '95', '1'])
    clock.advance(T0 + 61_000)
    await settle()
    expect(shown().get(T0)).toMatchObject({ low: 90, close: 90, volume: 3 })
    expect(shown().get(T0 + 60_000)).toMatchObject({ open: 95, volume: 1 })
    close()
  })

  it('does not resend a finished minute that was already sent as it ended', async () => {
    const { clock, trade, sent, close } = await setup()
    trade(T0 + 1_000, '100', '1')
    clock.advance(T0 + 59_000)
    trade(T0 + 60_500, '101', '1')
    clock.advance(T0 + 61_000)
    await settle()
    expect(sent.map((c) => c.time)).toEqual([T0, T0 + 60_000])
    close()
  })
})

// Every exchange answers the seed request (the latest candle) after a round trip, and its answer already
// counts the trades made until it answered: trades the stream delivered meanwhile must not be added again.
describe('the forming candle while its seed request is out', () => {
  async function slowSeed() {
    const clock = new FakeClock(T0 + 10_000)
    let push: (t: unknown[]) => void = () => {}
    let answer: (rows: unknown[]) => void = () => {}
    const venue = {
      watchTrades: (_s: string, on: (t: unknown[]) => void) => {
        push = on
        return () => {}
      },
      fetchTrades: async () => [],
      fetchCandles: () => new Promise((r) => (answer = r)),
    } as unknown as Venue
    const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
    const trades = new TradesFeed('sim', 'BTC/USDT', async () => venue, ctx, { historySize: 0 })
    const feed = new CandleFeed('sim', 'BTC/USDT', '1m', async () => venue, ctx, trades)
    const sent: FormingCandle[] = []
    feed.add((c) => sent.push(c))
    await settle()
    let id = 0
    const trade = (ts: number, price: string, amount: string) => {
      clock.advance(ts)
      push([{ id: String(++id), timestamp: ts, price, amount, side: 'buy', symbol: 'BTC/USDT' }])
    }
    /** The reply arriving (at `at`, else now): the exchange built it half its round trip before. */
    const seed = async (rows: unknown[], at?: number) => {
      if (at !== undefined) clock.advance(at)
      answer(rows)
      await settle()
      clock.advance(clock.now() + 1_000)
      await settle()
    }
    return { trade, seed, last: () => sent.at(-1), close: () => (feed.close(), trades.close()) }
  }
  const c = (time: number, open: string, high: string, low: string, close: string, volume: string) => ({ time, open, high, low, close, volume })

  it('trades of the answered candle that came while it was asked are not counted twice', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    trade(T0 + 10_150, '99', '3')
    // the exchange's minute, built at +10_200 (asked at +10_000, answered at +10_400): a trade of 1 at 100
    // before the chart opened, and the two above
    await seed([c(T0, '100', '101', '99', '99', '6')], T0 + 10_400)
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    trade(T0 + 12_000, '98', '1') // after the answer: counted
    await seed([])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 98, close: 98, volume: 7 })
    close()
  })

  // The trade at +10_150 was made after the exchange built its answer (asked at +10_000, answered at +10_150:
  // built about +10_075), so it is not in the candle: it used to be dropped with the ones that are.
  it('a trade made after the exchange built its answer, though it came before the answer, is counted', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    trade(T0 + 10_150, '99', '3')
    // the exchange's minute: a trade of 1 at 100 before the chart opened, and the one at +10_050
    await seed([c(T0, '100', '101', '100', '101', '3')])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    close()
  })

  it('a trade of a minute after the answered candle starts the next candle', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 59_990, '101', '2')
    trade(T0 + 60_010, '105', '1') // the exchange had answered with minute T0
    await seed([c(T0, '100', '101', '100', '101', '3')])
    expect(last()).toEqual({ time: T0 + 60_000, open: 105, high: 105, low: 105, close: 105, volume: 1 })
    close()
  })

  it('with no candle in the answer (no trade yet) the trades that came meanwhile make the candle', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    trade(T0 + 10_150, '99', '3')
    await seed([])
    expect(last()).toEqual({ time: T0, open: 101, high: 101, low: 99, close: 99, volume: 5 })
    close()
  })
})

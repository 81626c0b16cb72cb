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

/** A venue with the trade stream and candle seed the test gives, and no past trades. */
const tradesVenue = (parts: { watchTrades: (...args: never[]) => () => void; fetchCandles: (...args: never[]) => Promise<unknown> }) =>
  ({ fetchTrades: async () => [], ...parts }) as unknown as Venue

/**
 * A started 1m candle feed of BTC/USDT on `venue`, over its trades feed; `sent` is every candle it sent the chart.
 * The candle feed opens its venue through `openCandleVenue` (default: `venue` at once); the trades feed always opens.
 * `replaced()` starts both over on a fresh venue, as an edited account does (the market service's order).
 */
async function startFeed(clock: FakeClock, venue: Venue, openCandleVenue: () => Promise<Venue> = async () => venue) {
  const ctx = { clock, log, backoffMs: [1000], random: () => 0.5 }
  const trades = new TradesFeed('sim', 'BTC/USDT', async () => venue, ctx, { historySize: 0 })
  const feed = new CandleFeed('sim', 'BTC/USDT', '1m', openCandleVenue, ctx, trades)
  const sent: FormingCandle[] = []
  feed.add((c) => sent.push(c))
  await settle()
  const replaced = () => (trades.venueReplaced(), feed.venueReplaced())
  return { sent, replaced, close: () => (feed.close(), trades.close()) }
}

async function setup() {
  const clock = new FakeClock(T0)
  let push: (t: unknown[]) => void = () => {}
  const venue = tradesVenue({
    watchTrades: (_s: string, on: (t: unknown[]) => void) => {
      push = on
      return () => {}
    },
    fetchCandles: async () => [],
  })
  const { sent, close } = await startFeed(clock, venue)
  let id = 0
  /** One socket frame of trades [timestamp, price, amount], arriving at the last one's time. */
  const frame = (...rows: [number, string, string][]) => {
    clock.advance(rows[rows.length - 1]![0])
    push(rows.map(([ts, price, amount]) => ({ id: String(++id), timestamp: ts, price, amount, side: 'buy', symbol: 'BTC/USDT' })))
  }
  const trade = (ts: number, price: string, amount: string) => frame([ts, price, amount])
  /** The last frame the chart got for each minute: what it keeps drawing. */
  const shown = () => new Map(sent.map((c) => [c.time, c]))
  return { clock, trade, frame, sent, shown, close }
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

// A minute's volume is the sum of its trades' amounts, exactly: summed as doubles, 0.1 + 0.2 showed as
// 0.30000000000000004 in the legend, and a busy minute drifted from the exchange's figure.
describe("the forming candle's volume", () => {
  it('adds the amounts of its trades exactly', async () => {
    const { clock, trade, shown, close } = await setup()
    trade(T0 + 1_000, '100', '0.1')
    trade(T0 + 2_000, '100', '0.2')
    clock.advance(T0 + 3_000)
    await settle()
    expect(shown().get(T0)?.volume).toBe(0.3)
    close()
  })

  it('a minute of many small trades adds up to their exact total', async () => {
    const { clock, trade, shown, close } = await setup()
    for (let i = 1; i <= 1_000; i++) trade(T0 + i * 50, '100', '0.001')
    clock.advance(T0 + 55_000)
    await settle()
    expect(shown().get(T0)?.volume).toBe(1)
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
    let refuse: (err: Error) => void = () => {}
    /** When each seed request was sent. */
    const asked: number[] = []
    const venue = tradesVenue({
      watchTrades: (_s: string, on: (t: unknown[]) => void) => {
        push = on
        return () => {}
      },
      fetchCandles: () => {
        asked.push(clock.now())
        return new Promise((resolve, reject) => {
          answer = resolve
          refuse = reject
        })
      },
    })
    const { sent, close } = await startFeed(clock, venue)
    let id = 0
    /** A trade made at `ts`, delivered at `at` (default at once). */
    const trade = (ts: number, price: string, amount: string, at = ts) => {
      clock.advance(at)
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
    /** The request out fails (a timeout, the exchange's rate limit) at `at`. */
    const failSeed = async (at: number) => {
      clock.advance(at)
      refuse(new Error('RequestTimeout'))
      await settle()
      clock.advance(clock.now() + 1_000)
      await settle()
    }
    return { trade, seed, failSeed, asked, last: () => sent.at(-1), close }
  }
  const c = (time: number, open: string, high: string, low: string, close: string, volume: string) => ({ time, open, high, low, close, volume })

  it('trades of the answered candle that came while it was asked are not counted twice', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    trade(T0 + 10_150, '99', '3')
    // the exchange's minute (asked at +10_000, answered at +10_400): a trade of 1 at 100 before the chart
    // opened, and the two above
    await seed([c(T0, '100', '101', '99', '99', '6')], T0 + 10_400)
    // Trades were made while it was out: which ones the answer holds is unknown, so it is asked again;
    // nothing traded during the second request, so its answer holds every trade delivered before it.
    expect(asked).toEqual([T0 + 10_000, T0 + 10_400])
    await seed([c(T0, '100', '101', '99', '99', '6')])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    trade(T0 + 12_000, '98', '1') // after the answer: counted
    await seed([])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 98, close: 98, volume: 7 })
    expect(asked).toHaveLength(2)
    close()
  })

  // The exchange built its answer at some moment of the round trip, not known here. A request slow on its way
  // out (a new connection, a busy event loop) and quick back is built late: a trade after the midpoint of the
  // round trip is in it. The cut at the midpoint counted that trade a second time (a chart volume one trade
  // above the exchange's).
  it('a trade made after the midpoint of the round trip that the answer holds is not counted twice', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 10_250, '99', '3')
    // asked at +10_000, built at +10_300 (with the trade above), answered at +10_400
    await seed([c(T0, '100', '100', '99', '99', '4')], T0 + 10_400)
    await seed([c(T0, '100', '100', '99', '99', '4')])
    expect(last()).toEqual({ time: T0, open: 100, high: 100, low: 99, close: 99, volume: 4 })
    expect(asked).toHaveLength(2)
    close()
  })

  it('a trade made after the exchange built its answer, though it came before the answer, is counted', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    trade(T0 + 10_150, '99', '3')
    // the first answer was built before the trade at +10_150; the second, asked after both, holds both
    await seed([c(T0, '100', '101', '100', '101', '3')])
    await seed([c(T0, '100', '101', '99', '99', '6')])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    close()
  })

  it('a trade made while the second request is out is counted once, whichever answer holds it', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 10_050, '101', '2')
    await seed([c(T0, '100', '101', '100', '101', '3')], T0 + 10_100)
    trade(T0 + 11_200, '99', '3') // the second request is out (asked at +10_100)
    await seed([c(T0, '100', '101', '99', '99', '6')], T0 + 11_300)
    // the third, asked at +11_300 after every trade delivered, holds them all
    await seed([c(T0, '100', '101', '99', '99', '6')])
    expect(asked).toEqual([T0 + 10_000, T0 + 10_100, T0 + 11_300])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    close()
  })

  it('a trade made before the request went out, delivered while it is out, needs no second request', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 9_990, '101', '2', T0 + 10_050) // made before the ask (+10_000): in the answer
    await seed([c(T0, '100', '101', '100', '101', '3')], T0 + 10_400)
    expect(asked).toEqual([T0 + 10_000])
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 100, close: 101, volume: 3 })
    close()
  })

  it('a trade stamped the millisecond the request went out may or may not be in it: asked again', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 10_000, '101', '2')
    await seed([c(T0, '100', '100', '100', '100', '1')], T0 + 10_400) // built before it
    await seed([c(T0, '100', '101', '100', '101', '3')])
    expect(asked).toHaveLength(2)
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 100, close: 101, volume: 3 })
    close()
  })

  // A market trading all the time gives no quiet round trip: after a few requests the cut is by estimate.
  it('in a market that never pauses, asks a few times, then cuts at the midpoint of the last round trip', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    let volume = 1
    for (let i = 0; i < 10 && asked.length > i; i++) {
      const at = asked[i]!
      trade(at + 100, '100', '1') // held in the answer, built at +600 of the request
      const held = ++volume
      trade(at + 700, '100', '1') // not in it
      volume++
      await seed([c(T0, '100', '100', '100', '100', String(held))], at + 1_000)
    }
    expect(asked.length).toBeGreaterThan(1)
    expect(asked.length).toBeLessThan(10)
    await seed([])
    expect(last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume })
    close()
  })

  // Binance's busy markets trade every few ms: a second request would be no quieter, only later.
  it('in a market trading more than twice during the request, asks once and cuts at the midpoint', async () => {
    const { trade, seed, asked, last, close } = await slowSeed()
    trade(T0 + 10_050, '100', '1')
    trade(T0 + 10_100, '100', '1')
    trade(T0 + 10_150, '100', '1')
    trade(T0 + 10_300, '100', '1') // after the midpoint (+10_200)
    await seed([c(T0, '100', '100', '100', '100', '4')], T0 + 10_400) // built at +10_200: 1 before, 3 above
    expect(asked).toEqual([T0 + 10_000])
    expect(last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 5 })
    close()
  })

  // Before the second request existed, the first answer was the candle; a second request that fails or answers
  // with no candle must not lose it (the chart's forming candle was then made of the few trades since it opened,
  // far below the exchange's).
  it.each([
    ['fails', (s: Awaited<ReturnType<typeof slowSeed>>) => s.failSeed(T0 + 10_600)],
    ['answers with no candle', (s: Awaited<ReturnType<typeof slowSeed>>) => s.seed([], T0 + 10_600)],
  ])('when the second request %s, the first answer seeds the candle, cut at the midpoint of its round trip', async (_, second) => {
    const s = await slowSeed()
    const { trade, seed, asked, last, close } = s
    trade(T0 + 10_050, '101', '2') // before the midpoint of the first round trip (+10_200): taken as held
    await seed([c(T0, '100', '101', '100', '101', '3')], T0 + 10_400)
    expect(asked).toEqual([T0 + 10_000, T0 + 10_400])
    trade(T0 + 10_500, '99', '3') // while the second request is out: after the first answer
    await second(s)
    expect(asked).toHaveLength(2)
    expect(last()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 99, volume: 6 })
    close()
  })

  it('a trade of a minute after the answered candle starts the next candle', async () => {
    const { trade, seed, last, close } = await slowSeed()
    trade(T0 + 59_990, '101', '2')
    trade(T0 + 60_010, '105', '1') // the exchange had answered with minute T0
    await seed([c(T0, '100', '101', '100', '101', '1')]) // built before the trade at +59_990: asked again
    await seed([c(T0, '100', '101', '100', '101', '3')])
    expect(last()).toEqual({ time: T0 + 60_000, open: 105, high: 105, low: 105, close: 105, volume: 1 })
    close()
  })

  it("a trade after the answer adds to the exchange's volume exactly", async () => {
    const { trade, seed, last, close } = await slowSeed()
    await seed([c(T0, '100', '100', '100', '100', '0.1')], T0 + 10_400)
    trade(T0 + 12_000, '100', '0.2')
    await seed([])
    expect(last()).toEqual({ time: T0, open: 100, high: 100, low: 100, close: 100, volume: 0.3 })
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

// After the socket dropped, the venue says it subscribed again when its subscribe request leaves; the exchange
// starts the stream a moment later. A trade made after the seed's answer was built and before the stream
// started comes neither in the answer nor on the stream (the tape reads it in a refill; the candle reads none).
describe('the forming candle after the socket dropped', () => {
  async function dropped() {
    const clock = new FakeClock(T0 + 10_000)
    let push: (t: unknown[]) => void = () => {}
    let fail: (err: Error) => void = () => {}
    let subscribed: () => void = () => {}
    const answers: ((rows: unknown[]) => void)[] = []
    const venue = tradesVenue({
      watchTrades: (_s: string, on: (t: unknown[]) => void, onError: (err: Error) => void, onSubscribed: () => void) => {
        push = on
        fail = onError
        subscribed = onSubscribed
        return () => {}
      },
      // An exchange's latest `limit` candles, of those the test answers with.
      fetchCandles: (_s: string, _tf: string, _since?: number, limit?: number) =>
        new Promise((r) => answers.push((rows) => r(limit === undefined ? rows : rows.slice(-limit)))),
    })
    const { sent, close } = await startFeed(clock, venue)
    const candle = (volume: string, close: string) => [{ time: T0, open: '100', high: '101', low: '99', close, volume }]
    answers.shift()!(candle('1', '100'))
    await settle()
    fail(new Error('socket closed'))
    /** A trade delivered now, made at `ts`. */
    const trade = (ts: number, amount: string, price = '100') => push([{ id: String(ts), timestamp: ts, price, amount, side: 'buy', symbol: 'BTC/USDT' }])
    /** What the chart shows once the throttle let it out. */
    const shown = async () => {
      await settle()
      clock.advance(clock.now() + 1_000)
      await settle()
      return sent.at(-1)
    }
    /** The last frame the chart got for each minute: what it keeps drawing. */
    const shownByMinute = () => new Map(sent.map((c) => [c.time, c]))
    return { clock, answers, subscribed, fail, trade, candle, sent, shown, shownByMinute, close }
  }

  // The trades made while the socket was down never come; the exchange's candles have them. A reseed after the
  // minute turned used to ask for the new minute alone: the finished one stayed on the chart without them.
  it("a reseed that starts the next minute replaces the finished one with the exchange's, outage trades included, first", async () => {
    const { clock, answers, subscribed, sent, shownByMinute, close } = await dropped()
    // Made during the outage, never delivered: 2 at 103 at +50_000, then 1 at 104 at +60_200.
    clock.advance(T0 + 60_500)
    subscribed() // seeded again
    answers.shift()!([
      { time: T0, open: '100', high: '103', low: '99', close: '103', volume: '3' },
      { time: T0 + 60_000, open: '104', high: '104', low: '104', close: '104', volume: '1' },
    ])
    await settle()
    clock.advance(T0 + 61_500)
    await settle()
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 103, low: 99, close: 103, volume: 3 })
    expect(shownByMinute().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 104, high: 104, low: 104, close: 104, volume: 1 })
    const times = sent.map((c) => c.time)
    expect(times.lastIndexOf(T0)).toBeLessThan(times.indexOf(T0 + 60_000)) // the chart keeps a minute as last sent
    close()
  })

  // A socket down for longer (Wi-Fi lost, a laptop asleep) spans more than one turn of the minute: asked for the
  // latest two candles only, the minute forming at the drop stayed without the trades of the outage.
  it("a reseed after an outage over two minute turns replaces every finished minute since the drop, in order", async () => {
    const { clock, answers, subscribed, sent, shownByMinute, close } = await dropped()
    // Made during the outage, never delivered: 2 at 103 at +50_000, 1 at 102 at +70_000, 1 at 104 at +120_200.
    clock.advance(T0 + 120_500)
    subscribed() // seeded again
    answers.shift()!([
      { time: T0 - 60_000, open: '98', high: '99', low: '97', close: '99', volume: '5' },
      { time: T0, open: '100', high: '103', low: '99', close: '103', volume: '3' },
      { time: T0 + 60_000, open: '102', high: '102', low: '102', close: '102', volume: '1' },
      { time: T0 + 120_000, open: '104', high: '104', low: '104', close: '104', volume: '1' },
    ])
    await settle()
    clock.advance(T0 + 121_500)
    await settle()
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 103, low: 99, close: 103, volume: 3 })
    expect(shownByMinute().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 102, high: 102, low: 102, close: 102, volume: 1 })
    expect(shownByMinute().get(T0 + 120_000)).toEqual({ time: T0 + 120_000, open: 104, high: 104, low: 104, close: 104, volume: 1 })
    expect(shownByMinute().has(T0 - 60_000)).toBe(false) // finished before the drop: the chart has it
    const times = sent.map((c) => c.time)
    expect(times).toEqual([...times].sort((a, b) => a - b)) // the chart never goes back a minute
    close()
  })

  it("a trade of the finished minute delivered after the drop is not added to the exchange's finished minute", async () => {
    const { clock, answers, trade, shownByMinute, close } = await dropped()
    // Made during the outage, never delivered: 1 at 100 at +40_000.
    clock.advance(T0 + 60_050)
    trade(T0 + 59_990, '2', '97') // the minute's last trade, delivered after the drop: it seeds again
    await settle()
    clock.advance(T0 + 60_100)
    answers.shift()!([
      { time: T0, open: '100', high: '101', low: '97', close: '97', volume: '4' }, // the seed's 1, the outage's 1 and it
      { time: T0 + 60_000, open: '104', high: '104', low: '104', close: '104', volume: '2' },
    ])
    await settle()
    clock.advance(T0 + 61_000)
    await settle()
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 101, low: 97, close: 97, volume: 4 })
    expect(shownByMinute().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 104, high: 104, low: 104, close: 104, volume: 2 })
    close()
  })

  // The minute before the one forming here finished before the drop, and the chart has it as it ended: a reseed's
  // answer that also holds it must not send it again (the chart does not go back a minute).
  it('a reseed in the minute already forming leaves the minute before as it was sent', async () => {
    const { clock, answers, fail, trade, sent, shown, close } = await dropped()
    clock.advance(T0 + 60_500)
    trade(T0 + 60_500, '1', '105') // the first trade after the drop seeds again, the next minute
    await settle()
    answers.shift()!([{ time: T0 + 60_000, open: '105', high: '105', low: '105', close: '105', volume: '1' }])
    await settle()
    const before = sent.filter((c) => c.time === T0).length
    fail(new Error('socket closed'))
    clock.advance(T0 + 62_000)
    trade(T0 + 62_000, '1', '106') // seeds again
    await settle()
    answers.shift()!([
      { time: T0, open: '100', high: '101', low: '99', close: '100', volume: '9' },
      { time: T0 + 60_000, open: '105', high: '106', low: '105', close: '106', volume: '3' },
    ])
    expect(await shown()).toEqual({ time: T0 + 60_000, open: 105, high: 106, low: 105, close: 106, volume: 3 })
    expect(sent.filter((c) => c.time === T0)).toHaveLength(before)
    close()
  })

  it("counts a trade made between the seed's answer and the stream starting again", async () => {
    const { clock, answers, subscribed, trade, candle, shown, close } = await dropped()
    clock.advance(T0 + 20_000)
    subscribed() // the subscribe request left: seeded again
    answers.shift()!(candle('3', '101')) // a trade of 2 made during the outage
    await settle()
    // +20_500: a trade of 4 at 99; the exchange had not started the stream yet
    clock.advance(T0 + 21_000)
    trade(T0 + 21_000, '1')
    await settle()
    expect(answers).toHaveLength(1) // seeded once more
    answers.shift()!(candle('8', '100')) // every trade so far
    expect(await shown()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 100, volume: 8 })
    close()
  })

  it('without a "subscribed again", the first trade delivered seeds it once, that trade in the answer', async () => {
    const { clock, answers, trade, candle, shown, close } = await dropped()
    clock.advance(T0 + 20_000)
    trade(T0 + 20_000, '1') // made the millisecond the seed is asked, but delivered before it: in the answer
    await settle()
    answers.shift()!(candle('4', '100'))
    expect(await shown()).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 100, volume: 4 })
    expect(answers).toHaveLength(0)
    close()
  })

  // A reseed answered after the minute turned starts the next candle; the chart keeps the finished minute as it
  // was last sent, so its changes still waiting for the throttle, and its trades delivered while the seed was
  // out, must go out first (its close, high, low and volume as last traded).
  it('a reseed that starts the next minute sends the finished minute as last traded first', async () => {
    const { clock, answers, subscribed, fail, trade, candle, shownByMinute, close } = await dropped()
    clock.advance(T0 + 59_000)
    subscribed()
    answers.shift()!(candle('3', '101'))
    await settle()
    clock.advance(T0 + 59_100)
    trade(T0 + 59_100, '1') // the first trade after "subscribed again" seeds once more
    await settle()
    answers.shift()!(candle('4', '100'))
    await settle()
    clock.advance(T0 + 59_950)
    trade(T0 + 59_950, '1', '102') // sent at once
    clock.advance(T0 + 59_960)
    trade(T0 + 59_960, '1', '98') // waits for the throttle (until +60_200)
    fail(new Error('socket closed'))
    clock.advance(T0 + 60_050)
    trade(T0 + 59_990, '2', '97') // the minute's last trade, delivered after the drop: it seeds again
    await settle()
    clock.advance(T0 + 60_100)
    answers.shift()!([{ time: T0 + 60_000, open: '104', high: '104', low: '104', close: '104', volume: '2' }])
    await settle()
    clock.advance(T0 + 61_000)
    await settle()
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 102, low: 97, close: 97, volume: 8 })
    expect(shownByMinute().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 104, high: 104, low: 104, close: 104, volume: 2 })
    close()
  })
  // The reseed asked again (a trade made while it was out) and the minute turned before the second answer: the
  // first answer holds the finished minute with the trades made during the outage; it is what the chart keeps.
  it('a reseed asked again whose second answer starts the next minute sends the finished minute as the first answer had it', async () => {
    const { clock, answers, trade, shownByMinute, close } = await dropped()
    // Made during the outage, never delivered: 2 at 101 — the exchange's candles have them.
    clock.advance(T0 + 59_000)
    trade(T0 + 59_000, '1') // the first trade delivered after the drop seeds again
    await settle()
    clock.advance(T0 + 59_300)
    trade(T0 + 59_300, '1', '103') // made while that seed is out
    await settle()
    clock.advance(T0 + 59_400)
    answers.shift()!([{ time: T0, open: '100', high: '101', low: '99', close: '100', volume: '4' }]) // without the 103
    await settle()
    expect(answers).toHaveLength(1) // asked again
    clock.advance(T0 + 60_100)
    answers.shift()!([{ time: T0 + 60_000, open: '104', high: '104', low: '104', close: '104', volume: '2' }])
    await settle()
    clock.advance(T0 + 61_000)
    await settle()
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 103, low: 99, close: 103, volume: 5 })
    expect(shownByMinute().get(T0 + 60_000)).toEqual({ time: T0 + 60_000, open: 104, high: 104, low: 104, close: 104, volume: 2 })
    close()
  })

  // An exchange lagging behind (a replica, a cache) may answer the reseed with the minute before the one already
  // forming here. That answer must not take the chart back a minute: the forming candle stays with its trades, and
  // those delivered while the seed was out are added to it; the finished minute stays as it was last sent.
  it('a reseed answered with an earlier minute than the one forming leaves the forming candle as it is', async () => {
    const { clock, answers, fail, trade, shown, shownByMinute, close } = await dropped()
    clock.advance(T0 + 60_500)
    trade(T0 + 60_500, '1', '105') // the first trade after the drop seeds again, the next minute
    await settle()
    answers.shift()!([{ time: T0 + 60_000, open: '105', high: '105', low: '105', close: '105', volume: '1' }])
    await settle()
    clock.advance(T0 + 61_000)
    trade(T0 + 61_000, '1', '107')
    fail(new Error('socket closed'))
    clock.advance(T0 + 62_000)
    trade(T0 + 62_000, '1', '106') // seeds again
    await settle()
    answers.shift()!([{ time: T0, open: '100', high: '101', low: '99', close: '100', volume: '1' }]) // lagging
    expect(await shown()).toEqual({ time: T0 + 60_000, open: 105, high: 107, low: 105, close: 106, volume: 3 })
    expect(shownByMinute().get(T0)).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 100, volume: 1 })
    close()
  })
})

// An edited account replaces its venue object: every market loop starts over on the fresh one. The trades feed may
// be back before the candle feed is (it could not open the venue at once and waits for its backoff): the trades
// delivered meanwhile are the candle's, and nothing but the chart's candle should hold them.
describe('the forming candle while its venue reopens', () => {
  /** A candle feed whose first reopen of the venue fails (tried again after ~1 s); the trades feed reopens at once. */
  async function reopening() {
    const clock = new FakeClock(T0 + 10_000)
    let push: (t: unknown[]) => void = () => {}
    const answers: ((rows: unknown[]) => void)[] = []
    const venue = tradesVenue({
      watchTrades: (_s: string, on: (t: unknown[]) => void) => {
        push = on
        return () => {}
      },
      fetchCandles: () => new Promise((r) => answers.push(r)),
    })
    let opens = 0
    const { sent, replaced, close } = await startFeed(clock, venue, async () => {
      if (++opens === 2) throw new Error('connect ECONNREFUSED')
      return venue
    })
    /** A trade made and delivered at `ts`. */
    const trade = (ts: number, price: string, amount: string) => {
      clock.advance(ts)
      push([{ id: String(ts), timestamp: ts, price, amount, side: 'buy', symbol: 'BTC/USDT' }])
    }
    return { clock, answers, opens: () => opens, trade, sent, replaced, close }
  }

  it('follows the trades delivered until it opens again, then takes the seed asked then', async () => {
    const { clock, answers, opens, trade, sent, replaced, close } = await reopening()
    trade(T0 + 10_100, '100', '1') // while the first seed is out
    replaced()
    await settle()
    expect(opens()).toBe(2)
    for (let i = 1; i <= 50; i++) trade(T0 + 10_200 + i * 5, i % 2 === 0 ? '101' : '99', '1')
    clock.advance(T0 + 10_800)
    await settle()
    expect(opens()).toBe(2) // still waiting for its backoff
    expect(sent.at(-1)).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 101, volume: 51 })
    clock.advance(T0 + 11_500)
    await settle()
    expect(opens()).toBe(3)
    expect(answers).toHaveLength(2) // the first seed's answer never came; asked again on the fresh venue
    answers[1]!([{ time: T0, open: '98', high: '102', low: '97', close: '101', volume: '70' }]) // every trade of the minute
    await settle()
    trade(T0 + 12_000, '103', '1')
    clock.advance(T0 + 13_000)
    await settle()
    expect(sent.at(-1)).toEqual({ time: T0, open: 98, high: 103, low: 97, close: 103, volume: 71 })
    close()
  })

  it('replaced while the seed is asked again, the answer before stands until it opens again', async () => {
    const { clock, answers, trade, sent, replaced, close } = await reopening()
    trade(T0 + 10_050, '101', '2') // while the first request is out (+10_000)
    clock.advance(T0 + 10_400)
    answers[0]!([{ time: T0, open: '100', high: '101', low: '100', close: '101', volume: '3' }])
    await settle()
    expect(answers).toHaveLength(2) // asked again
    trade(T0 + 10_500, '99', '3') // while the second request is out: after the first answer
    replaced()
    await settle()
    trade(T0 + 10_600, '100', '1') // while the venue reopens
    clock.advance(T0 + 10_900)
    await settle()
    expect(sent.at(-1)).toEqual({ time: T0, open: 100, high: 101, low: 99, close: 100, volume: 7 })
    close()
  })
})

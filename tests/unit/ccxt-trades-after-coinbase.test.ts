import { afterEach, describe, expect, it, vi } from 'vitest'
import { T0, answeredCcxtVenue, coinbaseTickerOf, type CoinbaseTrade } from './market-trades-refill-support'
import { fetchMissedTrades, missedTradesNote } from '../../src-main/market/trades-refill'

// The refill after a reconnect on Coinbase: its public trades endpoint gives only the NEWEST trades (1,000 at
// most) of the window asked (start/end in whole seconds), so a busy outage is read back page by page by `end`.

const market = { id: 'BTC-USD', quote: 'USD' }

/** `count` trades from id 70,001 on, `stepMs` apart from `from`. */
function trades(count: number, from: number, stepMs: number): CoinbaseTrade[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 70_001 + i,
    time: from + Math.floor(i * stepMs),
    price: `95000.${(i % 9) + 1}`,
    size: `0.00${(i % 9) + 1}`,
    side: i % 2 === 0 ? 'BUY' : 'SELL',
  }))
}

const refill = (venue: ReturnType<typeof answeredCcxtVenue>['venue'], cursor: CoinbaseTrade, live: Set<string>) =>
  fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: String(cursor.id), timestamp: cursor.time }, {
    cap: 5000,
    page: 1000,
    delivered: (id) => live.has(id),
    current: () => true,
  })

describe('Coinbase: the missed trades of a busy outage', () => {
  afterEach(() => vi.useRealTimers())

  it('3,400 trades missed (over three of its pages): every one, once, in order, and no note', async () => {
    const made = trades(3500, T0 + 250, 3) // ~333 a second
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(made.at(-1)!.time + 5)
    const { venue, paths } = answeredCcxtVenue('coinbase', market, '', coinbaseTickerOf(made))
    const live = new Set(made.slice(3410).map((t) => String(t.id)))
    const got = await refill(venue, made[10]!, live)
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(11, 3410).map((t) => String(t.id)))
    expect(got.gap).toBeUndefined()
    expect(got.capped).toBe(false)
    expect(missedTradesNote(got, undefined)).toBeUndefined()
    // its newest trades first, then read back by `end` (more than one request), each from the cursor's time
    expect(paths.length).toBeGreaterThanOrEqual(4)
    const cursorSecond = Math.floor(made[10]!.time / 1000)
    const query = (p: string) => new URL(`http://x${p}`).searchParams
    expect(query(paths[0]!).has('end')).toBe(false)
    for (const p of paths.slice(1)) {
      expect(Number(query(p).get('start'))).toBeLessThanOrEqual(cursorSecond)
      expect(query(p).has('end')).toBe(true) // (ccxt refuses a start without an end)
    }
  })

  it('the trades of the second the refill asks in are read too, not left out by an end in whole seconds', async () => {
    const made = trades(40, T0 + 29_000, 37) // the last ones in the second the refill runs
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(made.at(-1)!.time + 2)
    const { venue } = answeredCcxtVenue('coinbase', market, '', coinbaseTickerOf(made))
    const got = await refill(venue, made[5]!, new Set([String(made.at(-1)!.id)]))
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(6, 39).map((t) => String(t.id)))
    expect(got.gap).toBeUndefined()
  })

  it("a clock behind the exchange's does not cut the refill short of the live trades", async () => {
    const made = trades(300, T0 + 20_000, 20) // 6 s of trades
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(made.at(-1)!.time - 3000) // this machine's clock 3 s behind
    const { venue } = answeredCcxtVenue('coinbase', market, '', coinbaseTickerOf(made))
    const got = await refill(venue, made[50]!, new Set([String(made.at(-1)!.id)]))
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(51, 299).map((t) => String(t.id)))
    expect(got.gap).toBeUndefined()
  })

  it('a second with more trades than one page holds: the trades read, and a note naming the ones that may be missing', async () => {
    // 1,500 trades within one second after the cursor: no `end` in whole seconds splits them
    const made = [...trades(1, T0 + 100, 1), ...trades(1500, T0 + 1000, 0.5).map((t) => ({ ...t, id: t.id + 1 }))]
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0 + 2500)
    const { venue } = answeredCcxtVenue('coinbase', market, '', coinbaseTickerOf(made))
    const got = await refill(venue, made[0]!, new Set([String(made.at(-1)!.id)]))
    expect(got.trades.length).toBeGreaterThan(0)
    expect(got.gap).toEqual({ from: T0 + 100, to: got.trades[0]!.timestamp })
    expect(missedTradesNote(got, undefined)).toMatch(/may be missing/)
  })
})

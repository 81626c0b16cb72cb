import { describe, expect, it } from 'vitest'
import { NS, T0, krakenVenue as krakenOn, type Made } from '../support/kraken-trades'
import { fetchMissedTrades, missedTradesNote } from '../../src-main/market/trades-refill'

// Kraken's trades carry times finer than a millisecond and its paging cursor is `last` (nanoseconds). A refill
// from a trade in a busy millisecond asks from the millisecond before it: when over 1,000 trades were made in
// those ~2 ms, Kraken's page holds only trades shown already, and the refill must page on past them.

/** 1,500 trades 1.3 µs apart from T0 + 1,000.5 ms (~2 ms of them), then 300 one ms apart. */
const made: Made[] = [
  ...Array.from({ length: 1500 }, (_, i) => ({ id: 80_001 + i, ns: BigInt(T0 + 1000) * NS + 500_000n + BigInt(i) * 1_300n })),
  ...Array.from({ length: 300 }, (_, i) => ({ id: 81_501 + i, ns: BigInt(T0 + 1003 + i) * NS })),
]
const ms = (t: Made) => Number(t.ns / NS)

const krakenVenue = (trades: readonly Made[] = made) => krakenOn(trades)

describe('Kraken: a refill from a trade in a millisecond with over 1,000 trades around it', () => {
  it('reads every trade after the last one shown, once, and none shown before, to the live ones', async () => {
    const { venue, asked } = krakenVenue()
    const cursor = made[1400]! // late in the busy ms: the 1,000 from the ms before it all come before it
    const live = new Set(made.slice(1700).map((t) => String(t.id)))
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: String(cursor.id), timestamp: ms(cursor) }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => asked.length < 40, // (a refill that pages the same trades over and over stops here)
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(1401, 1700).map((t) => String(t.id)))
    expect(got.abandoned).toBe(false)
    expect(got.gap).toBeUndefined()
    expect(missedTradesNote(got, undefined)).toBeUndefined()
  })

  it('from a trade before which the ms before holds over 1,000: the later ones are read, not "none after it"', async () => {
    const { venue, asked } = krakenVenue()
    const cursor = made[1200]!
    const live = new Set(made.slice(1700).map((t) => String(t.id)))
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: String(cursor.id), timestamp: ms(cursor) }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => asked.length < 40,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(1201, 1700).map((t) => String(t.id)))
    expect(got.gap).toBeUndefined()
  })
})

describe('a page without the last trade shown, holding others of its millisecond', () => {
  it('takes those numbered before it as shown already (not again on the tape), those after it as missed', async () => {
    const cursor = made[1400]!
    // one page of the busy ms that lacks the cursor's own trade (as a venue may answer), then the live ones
    const page = [...made.slice(1300, 1400), ...made.slice(1401, 1499)]
    const asFetched = (t: Made) => ({ id: String(t.id), symbol: 'BTC/USD', price: '95000.5', amount: '0.001', side: 'buy' as const, timestamp: ms(t) })
    const live = new Set(made.slice(1498).map((t) => String(t.id)))
    const got = await fetchMissedTrades(async () => page.map(asFetched), { id: String(cursor.id), timestamp: ms(cursor) }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(1401, 1498).map((t) => String(t.id)))
    expect(got.gap).toBeUndefined()
  })
})

describe('Kraken near the refill cap', () => {
  it('a busy millisecond before the last trade read, when few more trades are wanted: the cap is reached and said, not a failure', async () => {
    // one trade shown, then 2,000 trades 1.3 µs apart from T0 + 1,000.5 ms, then 300 one ms apart
    const trades: Made[] = [
      { id: 79_001, ns: BigInt(T0 + 500) * NS },
      ...Array.from({ length: 2000 }, (_, i) => ({ id: 80_001 + i, ns: BigInt(T0 + 1000) * NS + 500_000n + BigInt(i) * 1_300n })),
      ...Array.from({ length: 300 }, (_, i) => ({ id: 82_001 + i, ns: BigInt(T0 + 1004 + i) * NS })),
    ]
    const { venue } = krakenVenue(trades)
    const live = new Set(trades.slice(2201).map((t) => String(t.id)))
    // (the second page, from the 999th trade read, wants only 1,100 - 999 more: its ~1 ms before holds 998)
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: '79001', timestamp: T0 + 500 }, {
      cap: 1100,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.capped).toBe(true)
    expect(got.trades.map((t) => t.id)).toEqual(trades.slice(1, 1101).map((t) => String(t.id)))
    expect(missedTradesNote(got, undefined)).toMatch(/^1100 trades missed during the reconnect were fetched/)
  })
})

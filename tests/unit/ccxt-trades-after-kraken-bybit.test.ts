import { describe, expect, it } from 'vitest'
import type { PublicTrade } from '../../src-main/venues/port'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { fetchMissedTrades, missedTradesNote } from '../../src-main/market/trades-refill'

// The refill after a reconnect on Kraken (paged by time: ccxt sends `since` to Kraken) and Bybit (only its
// newest trades, 60 a request on spot): the real ccxt classes, their HTTP answered here as the exchange would.

const T0 = 1_795_481_280_000

/** A keyless ccxt venue of `exchange` whose HTTP is answered by `answer`; its one market set by hand. */
function publicVenue(exchange: 'kraken' | 'bybit', market: { id: string; symbol: string; base: string; quote: string }, answer: (path: string, q: URLSearchParams) => unknown) {
  const venue = new CcxtVenue({ accountId: `${exchange}-1`, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey: '', secret: '' } })
  const ex = (venue as unknown as { ex: { setMarkets(m: unknown[]): void; fetch: (url: string) => Promise<unknown> } }).ex
  ex.setMarkets([
    {
      ...market,
      lowercaseId: market.id.toLowerCase(),
      baseId: market.base,
      quoteId: market.quote,
      altname: market.id,
      spot: true,
      type: 'spot',
      active: true,
      precision: { price: 0.1, amount: 0.00000001 },
      limits: {},
    },
  ])
  const asked: URLSearchParams[] = []
  const paths: string[] = []
  ex.fetch = async (url: string) => {
    const u = new URL(url)
    paths.push(u.pathname)
    asked.push(u.searchParams)
    return answer(u.pathname, u.searchParams)
  }
  return { venue, asked, paths }
}

/**
 * GET /0/public/Trades: the trades from `since` on (seconds, or nanoseconds as in its `last`: then those
 * after it), oldest first, at most `count` (Kraken's most 1,000).
 */
function krakenOf(made: { id: number; time: number; price: string; volume: string; side: string }[]) {
  return (path: string, q: URLSearchParams) => {
    if (path !== '/0/public/Trades') throw new Error(`unexpected ${path}`)
    const raw = q.get('since') ?? '0'
    const after = (t: { time: number }) => (raw.length > 12 ? BigInt(t.time) * 1_000_000n > BigInt(raw) : t.time >= Number(raw) * 1000)
    const count = Math.min(Number(q.get('count') ?? 1000), 1000)
    const rows = made.filter(after).slice(0, count)
    const last = rows.at(-1)
    return {
      error: [],
      result: {
        XXBTZUSD: rows.map((t) => [t.price, t.volume, t.time / 1000, t.side, 'l', '', t.id]),
        last: last === undefined ? raw : (BigInt(last.time) * 1_000_000n).toString(),
      },
    }
  }
}

describe('Kraken: the missed trades are paged by time', () => {
  /** The exchange's trades: id 9001 on, 7 ms apart from T0 + 0.25 s (so several share a second). */
  const made = Array.from({ length: 1500 }, (_, i) => ({
    id: 9001 + i,
    time: T0 + 250 + i * 7,
    price: `95000.${i % 10}`,
    volume: `0.00${(i % 9) + 1}00000`,
    side: i % 3 === 0 ? 's' : 'b',
  }))
  const kraken = krakenOf(made)
  const market = { id: 'XXBTZUSD', symbol: 'BTC/USD', base: 'BTC', quote: 'USD' }

  it("asks Kraken's trades since just before the cursor's trade and returns them from the cursor's own trade, oldest first, with Kraken's sides", async () => {
    const { venue, asked } = publicVenue('kraken', market, kraken)
    const cursor = made[200]!
    const got = await venue.fetchTradesAfter('BTC/USD', { id: String(cursor.id), timestamp: cursor.time }, 1001)
    expect(asked[0]?.get('pair')).toBe('XXBTZUSD')
    expect(asked[0]?.get('count')).toBe('1000')
    // Kraken's since in nanoseconds (as its `last`): from just before the cursor's trade, never after it
    const since = BigInt(asked[0]?.get('since') ?? '0')
    expect(since).toBeLessThan(BigInt(cursor.time) * 1_000_000n)
    expect(since).toBeGreaterThan(BigInt(cursor.time - 1000) * 1_000_000n)
    const ids = got.map((t) => t.id)
    expect(ids).toContain(String(cursor.id))
    const from = ids.indexOf(String(cursor.id))
    expect(got.slice(from).map((t) => [t.id, t.price, t.amount, t.side, t.timestamp])).toEqual(
      made.slice(200, 200 + got.length - from).map((t) => [String(t.id), t.price.replace(/0+$/, '').replace(/\.$/, ''), t.volume.replace(/0+$/, ''), t.side === 's' ? 'sell' : 'buy', t.time]),
    )
  })

  it('a refill pages from the last trade shown to the live ones, every missed trade once, in order, no note', async () => {
    const { venue, asked } = publicVenue('kraken', market, kraken)
    const cursor = made[10]!
    const live = new Set(made.slice(1400).map((t) => String(t.id)))
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: String(cursor.id), timestamp: cursor.time }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(11, 1400).map((t) => String(t.id)))
    expect(asked.length).toBeGreaterThanOrEqual(2) // more than one page
    expect(got.gap).toBeUndefined()
    expect(got.capped).toBe(false)
    expect(missedTradesNote(got, undefined)).toBeUndefined()
  })
})

describe('Kraken: a busy second', () => {
  // 1,100 trades in one second (several a millisecond), then more in the next.
  const made = Array.from({ length: 1300 }, (_, i) => ({
    id: 50_001 + i,
    time: T0 + 1000 + Math.floor(i * 0.9),
    price: '95000.5',
    volume: '0.001',
    side: i % 2 === 0 ? 'b' : 's',
  }))
  const market = { id: 'XXBTZUSD', symbol: 'BTC/USD', base: 'BTC', quote: 'USD' }

  it('a refill from a trade late in a second with over 1,000 trades before it still reads on to the live ones', async () => {
    const { venue } = publicVenue('kraken', market, krakenOf(made))
    const cursor = made[1050]!
    const live = new Set(made.slice(1250).map((t) => String(t.id)))
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USD', after, limit), { id: String(cursor.id), timestamp: cursor.time }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(1051, 1250).map((t) => String(t.id)))
  })
})

describe('Bybit: the missed trades are its recent ones, 60 a request', () => {
  const made = Array.from({ length: 200 }, (_, i) => ({
    execId: `2290000000061${666000 + i}`, // (above 2^53: Bybit's ids are strings)
    symbol: 'BTCUSDT',
    price: `95000.${i % 10}`,
    size: '0.0015',
    side: i % 2 === 0 ? 'Buy' : 'Sell',
    time: String(T0 + i * 1000),
    isBlockTrade: false,
  }))
  /** GET /v5/market/recent-trade: the newest `limit` trades, newest first (spot: at most 60). */
  const bybit = (path: string, q: URLSearchParams) => {
    if (path !== '/v5/market/recent-trade') throw new Error(`unexpected ${path}`)
    const limit = Math.min(Number(q.get('limit') ?? 60), 60)
    return { retCode: 0, retMsg: 'OK', result: { category: q.get('category'), list: made.slice(-limit).reverse() }, retExtInfo: {}, time: T0 + 300_000 }
  }
  const market = { id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT' }

  it('asks the spot recent trades with limit 60 and returns them oldest first with the taker side', async () => {
    const { venue, asked, paths } = publicVenue('bybit', market, bybit)
    const got = await venue.fetchTradesAfter('BTC/USDT', { id: made[190]!.execId, timestamp: Number(made[190]!.time) }, 1001)
    expect(paths).toEqual(['/v5/market/recent-trade'])
    expect(asked[0]?.get('category')).toBe('spot')
    expect(asked[0]?.get('symbol')).toBe('BTCUSDT')
    expect(asked[0]?.get('limit')).toBe('60')
    expect(got.map((t: PublicTrade) => [t.id, t.price, t.amount, t.side, t.timestamp])).toEqual(
      made.slice(-60).map((t) => [t.execId, t.price.replace(/\.0$/, ''), t.size, t.side === 'Buy' ? 'buy' : 'sell', Number(t.time)]),
    )
  })

  it('a refill whose 60 do not reach back to the last trade shown says which trades may be missing', async () => {
    const { venue } = publicVenue('bybit', market, bybit)
    const cursor = made[20]!
    const live = new Set([made[199]!.execId])
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USDT', after, limit), { id: cursor.execId, timestamp: Number(cursor.time) }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(140, 199).map((t) => t.execId))
    expect(got.gap).toEqual({ from: Number(cursor.time), to: Number(made[140]!.time) })
    expect(missedTradesNote(got, undefined)).toMatch(/may be missing/)
  })

  it('when they do reach back: every missed trade, no note', async () => {
    const { venue } = publicVenue('bybit', market, bybit)
    const cursor = made[170]!
    const live = new Set([made[199]!.execId])
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USDT', after, limit), { id: cursor.execId, timestamp: Number(cursor.time) }, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(got.trades.map((t) => t.id)).toEqual(made.slice(171, 199).map((t) => t.execId))
    expect(got.gap).toBeUndefined()
  })
})

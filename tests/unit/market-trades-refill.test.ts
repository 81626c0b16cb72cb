import { describe, expect, it } from 'vitest'
import type { TradeCursor } from '../../src-main/venues/port'
import ccxt from 'ccxt'
import { T0, answeredCcxtVenue, refillHarness } from './market-trades-refill-support'
import { fetchMissedTrades, missedTradesNote } from '../../src-main/market/trades-refill'

// The stream drops and comes back while the market trades: the tape must get every trade made meanwhile,
// however many (an exchange answers at most a page of them per request), and at once when the stream is
// subscribed again, not only when the next trade comes (a quiet market may have none for minutes).

function setup(options: { pagesOf?: number; refillCap?: number; recentOnly?: number } = {}) {
  const asked: TradeCursor[] = []
  const pageCap = options.pagesOf ?? 100
  const s = refillHarness({
    // One page from the cursor's trade on, as Binance's historicalTrades with fromId: at most `pagesOf` per
    // request. `recentOnly`: a venue that can give only its newest trades, that many (the cursor ignored).
    fetchTradesAfter: (exchange) => async (_s, after, limit) => {
      asked.push(after)
      if (options.recentOnly !== undefined) return exchange.slice(-Math.min(limit, options.recentOnly))
      const i = exchange.findIndex((t) => t.id === after.id)
      return exchange.slice(i, i + Math.min(limit, pageCap))
    },
    feed: { refillCap: options.refillCap },
    run: { rounds: 10, stepMs: 100 },
    amount: (n) => `0.00${(n % 9) + 1}`,
  })
  return { ...s, asked }
}

describe('trades missed while the stream was down', () => {
  it('reach the tape as soon as the stream is subscribed again, all 250 of them, with no trade after it', async () => {
    const s = setup()
    await s.liveThenDrop(5)
    await s.reconnect(250)
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    // paged from the last trade sent before the drop (the venue answers 100 a request)
    expect(s.asked[0]?.id).toBe(s.exchange[4]?.id)
    expect(s.asked.length).toBeGreaterThanOrEqual(3)
    s.feed.close()
  })

  it('without the signal, the first trade after the reconnect brings every missed one first, each once, in time order', async () => {
    const s = setup()
    await s.liveThenDrop(3)
    await s.reconnect(240, 2, false) // the stream is back
    s.trade(1, true)
    await s.run()
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    s.feed.close()
  })

  it('live trades that come while the missed ones are fetched go out after them, none twice', async () => {
    const s = setup()
    await s.liveThenDrop(2)
    await s.reconnect(130, 4) // made after the subscription, delivered while the first page is out
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    s.feed.close()
  })

  it('stops at the cap: the oldest missed trades, a warning, and a note on the tape naming what is missing', async () => {
    const s = setup({ refillCap: 300 })
    await s.liveThenDrop(1)
    await s.reconnect(500)
    const refill = s.exchange.slice(1, 301).map((t) => t.id)
    expect(s.shown()).toEqual([s.exchange[0]!.id, ...refill])
    expect(s.warnings.some((w) => /300/.test(w) || /cap/i.test(w))).toBe(true)
    const note = s.batches.find((b) => b.note !== undefined)?.note ?? ''
    expect(note).toMatch(/300/)
    expect(note).toMatch(/missing/)
    // the tape goes on with live trades
    s.trade(1, true)
    await s.run()
    expect(s.shown().at(-1)).toBe(s.exchange.at(-1)!.id)
    s.feed.close()
  })
})

describe('trades missed during a reconnect: exactly as many as the cap', () => {
  it('all of them are shown and the tape says nothing is missing, with live trades after them', async () => {
    const s = setup({ refillCap: 300 })
    await s.liveThenDrop(1)
    await s.reconnect(300, 2)
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    expect(s.batches.filter((b) => b.note !== undefined).map((b) => b.note)).toEqual([])
    s.feed.close()
  })

  it('and on a quiet market (no live trade yet)', async () => {
    const s = setup({ refillCap: 300 })
    await s.liveThenDrop(1)
    await s.reconnect(300)
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    expect(s.batches.filter((b) => b.note !== undefined).map((b) => b.note)).toEqual([])
    expect(s.warnings.some((w) => /cap/.test(w))).toBe(false)
    s.feed.close()
  })
})

describe('trades missed on a venue that gives only its newest trades', () => {
  it('the tape gets the newest ones and says the trades before the first of them may be missing', async () => {
    const s = setup({ recentOnly: 100 })
    await s.liveThenDrop(3)
    await s.reconnect(250)
    const shown = s.shown()
    expect(shown.slice(0, 3)).toEqual(s.exchange.slice(0, 3).map((t) => t.id))
    expect(shown.slice(3)).toEqual(s.exchange.slice(-100).map((t) => t.id))
    const note = s.batches.find((b) => b.note !== undefined)?.note ?? ''
    expect(note).toMatch(/may be missing/)
    // between the last trade shown before the drop and the first one fetched back
    const time = (ms: number) => new Date(ms).toISOString().slice(11, 19)
    expect(note).toContain(time(s.exchange[2]!.timestamp))
    expect(note).toContain(time(s.exchange.at(-100)!.timestamp))
    s.feed.close()
  })

  it('says nothing when its newest trades reach back to the last one shown (nothing is missing)', async () => {
    const s = setup({ recentOnly: 100 })
    await s.liveThenDrop(3)
    await s.reconnect(40)
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    expect(s.batches.some((b) => b.note !== undefined)).toBe(false)
    s.feed.close()
  })
})

/** Binance (key `apiKey`, '' for none) whose HTTP is answered by `answer`; BTC/USDT set by hand. */
const binanceVenue = (apiKey: string, answer: (path: string) => unknown) =>
  answeredCcxtVenue('binance', { id: 'BTCUSDT', quote: 'USDT' }, apiKey, answer)

/** Binance's raw trades with these ids, 1 ms apart from T0 + id - 28450. */
const binanceRows = (ids: number[]) =>
  ids.map((id) => ({ id, price: `95000.0${id % 10}000000`, qty: '0.00100000', quoteQty: '95', time: T0 + id - 28450, isBuyerMaker: id % 2 === 0, isBestMatch: true }))

describe('CcxtVenue.fetchTradesAfter (ccxt binance, its HTTP answered here)', () => {
  it("with a key: asks Binance's historicalTrades from the cursor's trade id and returns its trades oldest first", async () => {
    const { venue, paths } = binanceVenue('k', () => binanceRows([28456, 28457, 28458]))
    const got = await venue.fetchTradesAfter('BTC/USDT', { id: '28456', timestamp: T0 + 6 }, 1000)
    expect(paths).toEqual(['/api/v3/historicalTrades?symbol=BTCUSDT&limit=1000&fromId=28456'])
    expect(got.map((t) => [t.id, t.price, t.side])).toEqual([
      ['28456', '95000.06', 'sell'],
      ['28457', '95000.07', 'buy'],
      ['28458', '95000.08', 'sell'],
    ])
  })

  it('without a key (a paper account on Binance): the recent trades, not refused as a rejected key', async () => {
    const { venue, paths } = binanceVenue('', () => binanceRows([28455, 28456, 28457, 28458]))
    const got = await venue.fetchTradesAfter('BTC/USDT', { id: '28456', timestamp: T0 + 6 }, 1001)
    expect(paths).toEqual(['/api/v3/trades?symbol=BTCUSDT&limit=1000'])
    expect(got.map((t) => t.id)).toEqual(['28455', '28456', '28457', '28458'])
  })

  it('with a key historicalTrades refuses: the recent trades instead', async () => {
    const { venue, paths } = binanceVenue('k', (path) => {
      if (path.startsWith('/api/v3/historicalTrades')) throw new ccxt.AuthenticationError('binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')
      return binanceRows([28456, 28457])
    })
    const got = await venue.fetchTradesAfter('BTC/USDT', { id: '28456', timestamp: T0 + 6 }, 1000)
    expect(paths).toEqual(['/api/v3/historicalTrades?symbol=BTCUSDT&limit=1000&fromId=28456', '/api/v3/trades?symbol=BTCUSDT&limit=1000'])
    expect(got.map((t) => t.id)).toEqual(['28456', '28457'])
  })

  it('with a key historicalTrades is rate-limited (429): the refill fails at once, no second request into the ban window', async () => {
    const { venue, paths } = binanceVenue('k', () => {
      throw new ccxt.RateLimitExceeded('binance 429 Too Many Requests {"code":-1003,"msg":"Too many requests; current limit is 6000 request weight per 1 MINUTE."}')
    })
    await expect(venue.fetchTradesAfter('BTC/USDT', { id: '28456', timestamp: T0 + 6 }, 1000)).rejects.toMatchObject({ kind: 'rate-limited' })
    expect(paths).toEqual(['/api/v3/historicalTrades?symbol=BTCUSDT&limit=1000&fromId=28456'])
  })
})

describe('CcxtVenue.fetchTradesAfter on exchanges without trade-id paging (ccxt, its HTTP answered here)', () => {
  /** OKX trades 7001.. (newest first, as OKX answers), 1 s apart from T0. */
  const okxRows = (from: number, to: number) => {
    const rows = []
    for (let n = to; n >= from; n--) rows.push({ instId: 'BTC-USDT', tradeId: String(n), px: '95000.1', sz: '0.001', side: 'buy', ts: String(T0 + (n - 7000) * 1000) })
    return { code: '0', msg: '', data: rows }
  }

  it('OKX (since ignored by ccxt): its newest trades; when they do not reach back to the cursor the refill reports the hole', async () => {
    const { venue, paths } = answeredCcxtVenue('okx', { id: 'BTC-USDT', quote: 'USDT' }, '', () => okxRows(7300, 7799))
    const cursor = { id: '7010', timestamp: T0 + 10_000 }
    const live = new Set(['7799'])
    const got = await fetchMissedTrades((after, limit) => venue.fetchTradesAfter('BTC/USDT', after, limit), cursor, {
      cap: 5000,
      page: 1000,
      delivered: (id) => live.has(id),
      current: () => true,
    })
    expect(paths[0]).toBe('/api/v5/market/trades?instId=BTC-USDT&limit=500')
    expect(got.trades[0]?.id).toBe('7300')
    expect(got.gap).toEqual({ from: T0 + 10_000, to: T0 + 300_000 })
    expect(missedTradesNote(got, undefined)).toMatch(/may be missing/)
  })

  it('Coinbase: its newest trades first, which reach back to the cursor: one request, no window', async () => {
    const iso = (ms: number) => new Date(ms).toISOString()
    const { venue, paths } = answeredCcxtVenue('coinbase', { id: 'BTC-USD', quote: 'USD' }, '', () => ({
      trades: [
        { trade_id: '502', product_id: 'BTC-USD', price: '95000.2', size: '0.002', time: iso(T0 + 2000), side: 'SELL' },
        { trade_id: '501', product_id: 'BTC-USD', price: '95000.1', size: '0.001', time: iso(T0 + 1000), side: 'BUY' },
        { trade_id: '500', product_id: 'BTC-USD', price: '95000', size: '0.001', time: iso(T0), side: 'BUY' },
      ],
    }))
    const got = await venue.fetchTradesAfter('BTC/USD', { id: '500', timestamp: T0 }, 1001)
    expect(paths).toHaveLength(1)
    const asked = new URL(`http://x${paths[0]}`).searchParams
    expect(asked.has('start') || asked.has('end')).toBe(false)
    expect(got.map((t) => t.id)).toEqual(['500', '501', '502'])
  })

  it('MEXC (ccxt wants an end with since): its recent trades, no error', async () => {
    const { venue, paths } = answeredCcxtVenue('mexc', { id: 'BTCUSDT', quote: 'USDT' }, '', () => [
      { a: null, f: null, l: null, p: '95000', q: '0.001', T: T0, m: false, M: true },
      { a: null, f: null, l: null, p: '95000.1', q: '0.002', T: T0 + 5, m: true, M: true },
    ])
    const got = await venue.fetchTradesAfter('BTC/USDT', { id: 'x', timestamp: T0 }, 1001)
    expect(paths[0]).toMatch(/^\/api\/v3\/aggTrades\?symbol=BTCUSDT&limit=1000$/)
    expect(got).toHaveLength(2)
  })
})

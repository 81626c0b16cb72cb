import {
  AuthenticationError,
  BadRequest,
  DDoSProtection,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  OperationFailed,
  OrderImmediatelyFillable,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq, thrown } from '../support/exchange-server/assertions'
import { createBinanceFixture, randomKey, type BinanceFixture } from '../support/binance/fixture'
import { createCcxtVenue } from '../../src-main/venues/ccxt/venue'
import { VenueError } from '../../src-main/venues/port'

// ccxt's real binance class against the local Binance spot server backed by the real matching engine.

const SYMBOL = 'BTC/USDT'

let fx: BinanceFixture

beforeAll(async () => {
  fx = await createBinanceFixture()
})

afterAll(async () => {
  await fx.close()
})

/** The Binance error code of the last logged request to `path`. */
function lastCode(path: string): number | undefined {
  return fx.server.faults.requests.filter((r) => r.path === path).at(-1)?.code
}

describe('ccxt.binance REST against the local Binance server', () => {
  it('loadMarkets: the engine markets, with precision and limits from PRICE_FILTER / LOT_SIZE / NOTIONAL', async () => {
    const ex = fx.rest()
    fx.server.faults.clearLog()
    const markets = await ex.loadMarkets()
    const specs = fx.engine.markets()
    expect(Object.keys(markets).sort()).toEqual(specs.map((s) => s.symbol).sort())
    for (const spec of specs) {
      const m = markets[spec.symbol]
      expect(m).toBeDefined()
      if (m === undefined) continue
      expect(m.id).toBe(spec.base + spec.quote)
      expect([m.base, m.quote, m.type, m.spot, m.active]).toEqual([spec.base, spec.quote, 'spot', true, true])
      expect(m.precision.price).toBe(Number(spec.tickSize))
      expect(m.precision.amount).toBe(Number(spec.stepSize))
      expect(m.limits.price?.min).toBe(Number(spec.tickSize))
      expect(m.limits.amount?.min).toBe(Number(spec.minAmount))
      expect(m.limits.cost?.min).toBe(Number(spec.minNotional))
    }
    // What ccxt asks for when it has credentials: exchangeInfo plus the two margin pair lists.
    expect(fx.server.faults.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v3/exchangeInfo',
      'GET /sapi/v1/margin/allPairs',
      'GET /sapi/v1/margin/isolated/allPairs',
    ])
  })

  it('fetchBalance equals the engine account balances exactly', async () => {
    const ex = fx.rest()
    const balance = await ex.fetchBalance()
    const info = balance.info as { balances: { asset: string; free: string; locked: string }[] }
    for (const b of fx.engine.balances('alice')) {
      expect(balance[b.asset]).toMatchObject({ free: Number(b.free), used: Number(b.used), total: Number(b.total) })
      const raw = info.balances.find((x) => x.asset === b.asset)
      expect(eq(raw?.free, b.free) && eq(raw?.locked, b.used)).toBe(true)
    }
  })

  it('limit order: rests in the engine, fetchOpenOrders lists it, fetchOrder by clientOrderId, cancelOrder cancels it', async () => {
    const ex = fx.rest()
    const before = fx.engine.balances('alice').find((b) => b.asset === 'USDT')
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 94000, { clientOrderId: 'rest-limit-1' })
    const id = String(created.id)
    expect(created).toMatchObject({ status: 'open', clientOrderId: 'rest-limit-1', price: 94000, amount: 0.01, filled: 0 })
    const resting = fx.engine.openOrders('alice', SYMBOL)
    expect(resting.map((o) => [o.venueOrderId, o.clientOrderId, o.price, o.amount])).toEqual([[created.id, 'rest-limit-1', '94000.00', '0.01000']])
    expect(fx.engine.book(SYMBOL).bids.find(([p]) => p === '94000.00')).toEqual(['94000.00', '0.01000'])

    const open = await ex.fetchOpenOrders(SYMBOL)
    expect(open.map((o) => [o.id, o.clientOrderId, o.side, o.type, o.price, o.amount, o.status])).toEqual([
      [created.id, 'rest-limit-1', 'buy', 'limit', 94000, 0.01, 'open'],
    ])
    const byClientId = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'rest-limit-1' })
    expect([byClientId.id, byClientId.status]).toEqual([created.id, 'open'])

    const canceled = await ex.cancelOrder(id, SYMBOL)
    expect([canceled.id, canceled.status]).toEqual([id, 'canceled'])
    expect(fx.engine.openOrders('alice', SYMBOL)).toEqual([])
    expect(fx.engine.getOrder('alice', SYMBOL, { venueOrderId: id })?.status).toBe('canceled')
    expect(fx.engine.balances('alice').find((b) => b.asset === 'USDT')).toEqual(before)
    expect((await ex.fetchOrder(id, SYMBOL)).status).toBe('canceled')
  })

  it('market order: fills with exactly the engine amounts, prices and fees; fetchOrder and fetchMyTrades agree', async () => {
    const ex = fx.rest()
    const balancesBefore = fx.engine.balances('alice')
    const order = await ex.createOrder(SYMBOL, 'market', 'buy', 0.7, undefined, { clientOrderId: 'rest-market-1' })
    const fills = fx.engine.fills('alice', { symbol: SYMBOL }).filter((f) => f.venueOrderId === order.id)
    expect(fills.length).toBeGreaterThan(1) // 0.7 BTC walks two 0.5 levels
    const filled = fills.reduce((s, f) => s.plus(f.amount), new Decimal(0))
    const cost = fills.reduce((s, f) => s.plus(new Decimal(f.price).times(f.amount)), new Decimal(0))
    const fee = fills.reduce((s, f) => s.plus(f.fee.amount), new Decimal(0))
    const info = order.info as { executedQty: string; cummulativeQuoteQty: string; fills: { price: string; qty: string; commission: string; commissionAsset: string; tradeId: number }[] }

    expect(order.status).toBe('closed')
    expect(eq(info.executedQty, filled) && eq(info.executedQty, '0.7')).toBe(true)
    expect(eq(info.cummulativeQuoteQty, cost)).toBe(true)
    expect(order.filled).toBe(filled.toNumber())
    expect(order.cost).toBe(cost.toNumber())
    expect(order.fee).toEqual({ currency: 'BTC', cost: fee.toNumber() })
    expect(info.fills.map((f) => [f.tradeId, f.price, f.qty, f.commission, f.commissionAsset])).toEqual(
      fills.map((f) => [Number(f.tradeId), new Decimal(f.price).toFixed(8), new Decimal(f.amount).toFixed(8), new Decimal(f.fee.amount).toFixed(8), f.fee.asset]),
    )
    // The account moved by exactly cost (USDT) and filled - fee (BTC).
    const after = fx.engine.balances('alice')
    const delta = (asset: string) =>
      new Decimal(after.find((b) => b.asset === asset)?.total ?? 0).minus(balancesBefore.find((b) => b.asset === asset)?.total ?? 0)
    expect(delta('USDT').eq(cost.neg())).toBe(true)
    expect(delta('BTC').eq(filled.minus(fee))).toBe(true)

    const fetched = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'rest-market-1' })
    expect([fetched.id, fetched.status, fetched.filled, fetched.cost]).toEqual([order.id, 'closed', 0.7, cost.toNumber()])

    const mine = await ex.fetchMyTrades(SYMBOL)
    const engineFills = fx.engine.fills('alice', { symbol: SYMBOL })
    expect(mine.map((t) => [t.id, t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.cost, t.fee?.currency])).toEqual(
      engineFills.map((f) => [f.tradeId, f.venueOrderId, f.side, Number(f.price), Number(f.amount), f.liquidity, Number(f.fee.amount), f.fee.asset]),
    )
  })

  it('FOK that cannot fill comes back EXPIRED (as Binance accepts and expires it); post-only that would take → OrderImmediatelyFillable', async () => {
    const ex = fx.rest()
    const [bidPrice, bidAmount] = fx.engine.book(SYMBOL, 1).bids[0] ?? ['0', '0']
    const [askPrice] = fx.engine.book(SYMBOL, 1).asks[0] ?? ['0']
    const tooMuch = new Decimal(bidAmount).plus('0.1').toNumber() // more than the best bid holds
    const fok = await ex.createOrder(SYMBOL, 'limit', 'sell', tooMuch, Number(bidPrice), { timeInForce: 'FOK', clientOrderId: 'rest-fok-1' })
    expect([fok.status, fok.filled, fok.timeInForce]).toEqual(['expired', 0, 'FOK'])
    expect((await ex.fetchOrder(String(fok.id), SYMBOL)).status).toBe('expired')
    const e = await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, Number(askPrice), { postOnly: true }))
    expect(e).toBeInstanceOf(OrderImmediatelyFillable)
    expect(fx.server.faults.requests.at(-1)?.params['type']).toBe('LIMIT_MAKER')
  })

  it('fetchOrderBook equals engine.book(), nonce = the book update id', async () => {
    const ex = fx.rest()
    const book = await ex.fetchOrderBook(SYMBOL, 50)
    const engineBook = fx.engine.book(SYMBOL, 50)
    const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])
    expect(book.bids).toEqual(num(engineBook.bids))
    expect(book.asks).toEqual(num(engineBook.asks))
    expect(book.nonce).toBe(engineBook.sequence)
  })

  it('fetchOHLCV and fetchTicker reflect the engine candles and ticker', async () => {
    const ex = fx.rest()
    const candles = await ex.fetchOHLCV(SYMBOL, '1m')
    expect(candles).toEqual(
      fx.engine.candles(SYMBOL, '1m').map((c) => [c.time, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]),
    )
    expect(candles.length).toBeGreaterThan(0)

    const ticker = await ex.fetchTicker(SYMBOL)
    const t = fx.engine.ticker(SYMBOL)
    expect([ticker.last, ticker.high, ticker.low, ticker.baseVolume, ticker.bid, ticker.ask]).toEqual([
      Number(t.last),
      Number(t.high24h),
      Number(t.low24h),
      Number(t.volume24h),
      Number(t.bid),
      Number(t.ask),
    ])
    expect(ticker.percentage).toBe(Number(t.changePct24h))
  })

  it("CcxtVenue.fetchTrades: GET /api/v3/trades, exactly the engine's recent trades (ids, decimals, sides), oldest first", async () => {
    // One trade of 123456789012.00001 BTC: 17 significant digits, which a float turns into …012.00002. Only
    // the re-parse of Binance's own strings keeps it.
    fx.engine.deposit('tape', 'BTC', '10')
    fx.engine.deposit('tape', 'USDT', '1000000')
    for (const [side, size] of [['buy', '0.7'], ['sell', '0.6']] as const) {
      fx.engine.placeOrder({ accountId: 'tape', clientOrderId: `tape-${side}`, symbol: SYMBOL, side, type: 'market', amount: size, timeInForce: 'IOC', postOnly: false })
    }
    const amount = '123456789012.00001'
    fx.engine.deposit('whale', 'BTC', amount)
    fx.engine.deposit('whale-buyer', 'USDT', '20000000000000000')
    const price = new Decimal(fx.engine.book(SYMBOL, 1).bids[0]?.[0] ?? '0').plus('0.01').toFixed()
    const order = { symbol: SYMBOL, type: 'limit', amount, price, postOnly: false } as const
    fx.engine.placeOrder({ ...order, accountId: 'whale', clientOrderId: 'whale-sell', side: 'sell', timeInForce: 'GTC' })
    fx.engine.placeOrder({ ...order, accountId: 'whale-buyer', clientOrderId: 'whale-buy', side: 'buy', timeInForce: 'IOC' })
    const { apiKey, secret } = fx.keys.trader
    const venue = createCcxtVenue({ accountId: 'rest-trades', exchange: 'binance', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
    try {
      fx.server.faults.clearLog()
      const got = await venue.fetchTrades(SYMBOL, 100)
      const expected = fx.engine.trades(SYMBOL, 100)
      expect(expected.length).toBeGreaterThan(3)
      expect(got).toEqual(
        expected.map((t) => ({ id: t.id, symbol: SYMBOL, price: new Decimal(t.price).toFixed(), amount: new Decimal(t.amount).toFixed(), side: t.side, timestamp: t.timestamp })),
      )
      expect(got.at(-1)).toMatchObject({ amount, price, side: 'buy' })
      // The trade list (trade ids, as the @trade stream has them), not ccxt's default aggTrades.
      expect(fx.server.faults.requests.filter((r) => r.path.startsWith('/api/v3/') && r.path.includes('rades')).map((r) => [r.path, r.params['limit']])).toEqual([
        ['/api/v3/trades', '100'],
      ])

      // Replies that are not a list of trades → bad-reply.
      const badReplies: unknown[] = [
        [{ id: 1, price: 'abc', qty: '1', quoteQty: '1', time: 1, isBuyerMaker: true, isBestMatch: true }],
        [{ id: 2, price: '1', qty: '1', quoteQty: '1', isBuyerMaker: true, isBestMatch: true }], // no time
        [null],
      ]
      for (const body of badReplies) {
        fx.server.faults.respondWith(200, 1, { path: '/api/v3/trades', body })
        const e = await thrown(() => venue.fetchTrades(SYMBOL, 10))
        expect(e, JSON.stringify(body)).toBeInstanceOf(VenueError)
        expect((e as VenueError).kind, JSON.stringify(body)).toBe('bad-reply')
      }
    } finally {
      await venue.close()
    }
  })

  describe('errors map to ccxt exception classes', () => {
    it('wrong secret → -1022 → AuthenticationError (already in loadMarkets, which signs the margin calls)', async () => {
      const ex = fx.rest({ apiKey: fx.keys.trader.apiKey, secret: randomKey() })
      const e = await thrown(() => ex.loadMarkets())
      expect(e).toBeInstanceOf(AuthenticationError)
      expect(e).not.toBeInstanceOf(PermissionDenied)
      expect(lastCode('/sapi/v1/margin/allPairs')).toBe(-1022)
      // With markets loaded by a good key, the account call itself fails the same way.
      const good = fx.rest()
      await good.loadMarkets()
      const wrong = fx.rest({ apiKey: fx.keys.trader.apiKey, secret: randomKey() })
      wrong.setMarkets(good.markets)
      expect(await thrown(() => wrong.fetchBalance())).toBeInstanceOf(AuthenticationError)
      expect(lastCode('/api/v3/account')).toBe(-1022)
    })

    it('unknown key → -2015 (HTTP 401) → AuthenticationError; malformed key → -2014 → AuthenticationError', async () => {
      const e = await thrown(() => fx.rest({ apiKey: randomKey(), secret: randomKey() }).fetchBalance())
      expect(e).toBeInstanceOf(AuthenticationError)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 401, code: -2015 })

      const bad = await thrown(() => fx.rest({ apiKey: 'not a key!', secret: randomKey() }).fetchBalance())
      expect(bad).toBeInstanceOf(AuthenticationError)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 401, code: -2014 })
    })

    it('timestamp outside recvWindow or >1000 ms ahead → -1021 → InvalidNonce', async () => {
      const ex = fx.rest()
      await ex.loadMarkets()
      ex.options['timeDifference'] = 20_000 // ccxt's nonce = now - timeDifference: 20 s behind, recvWindow 10 s
      expect(await thrown(() => ex.fetchBalance())).toBeInstanceOf(InvalidNonce)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 400, code: -1021 })
      ex.options['timeDifference'] = -3_000 // 3 s ahead of the server
      expect(await thrown(() => ex.fetchBalance())).toBeInstanceOf(InvalidNonce)
      ex.options['timeDifference'] = 0
      await expect(ex.fetchBalance()).resolves.toBeDefined()
    })

    it('insufficient balance → -2010 → InsufficientFunds (nothing reaches the book)', async () => {
      const ex = fx.rest()
      const seq = fx.engine.book(SYMBOL).sequence
      const e = await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 10, 90000))
      expect(e).toBeInstanceOf(InsufficientFunds)
      expect(lastCode('/api/v3/order')).toBe(-2010)
      expect(fx.engine.book(SYMBOL).sequence).toBe(seq)
    })

    it('unknown order: cancel → -2011, fetch → -2013, both → OrderNotFound', async () => {
      const ex = fx.rest()
      expect(await thrown(() => ex.cancelOrder('987654321', SYMBOL))).toBeInstanceOf(OrderNotFound)
      expect(lastCode('/api/v3/order')).toBe(-2011)
      expect(await thrown(() => ex.fetchOrder('987654321', SYMBOL))).toBeInstanceOf(OrderNotFound)
      expect(lastCode('/api/v3/order')).toBe(-2013)
    })

    it('filter failures and missing parameters: NOTIONAL (-1013) → BadRequest, -1102 → BadRequest, injected -2010 → InvalidOrder', async () => {
      const ex = fx.rest()
      await ex.loadMarkets()
      const notional = await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.00002, 90000))
      expect(notional).toBeInstanceOf(BadRequest)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ code: -1013 })

      const missing = await thrown(() =>
        ex.privatePostOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '90000' }),
      )
      expect(missing).toBeInstanceOf(BadRequest)
      expect(missing.message).toContain("Mandatory parameter 'timeInForce'")

      fx.server.faults.rejectNextOrder()
      expect(await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000))).toBeInstanceOf(InvalidOrder)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ code: -2010 })
    })

    it('429 → DDoSProtection (ccxt checks the HTTP status before the -1003 code, so never RateLimitExceeded)', async () => {
      const ex = fx.rest()
      await ex.loadMarkets()
      fx.server.faults.respondWith(429, 1, { path: '/api/v3/depth' })
      const e = await thrown(() => ex.fetchOrderBook(SYMBOL))
      expect(e).toBeInstanceOf(DDoSProtection)
      expect(e).not.toBeInstanceOf(RateLimitExceeded)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 429, code: -1003, injected: 'respondWith' })
      await expect(ex.fetchOrderBook(SYMBOL)).resolves.toBeDefined()
    })

    it('5xx: 500 with {"code":-1001} → OperationFailed; 502/503 with an HTML page → ExchangeNotAvailable', async () => {
      const ex = fx.rest()
      await ex.loadMarkets()
      fx.server.faults.respondWith(500, 1)
      expect(await thrown(() => ex.fetchTicker(SYMBOL))).toBeInstanceOf(OperationFailed)
      fx.server.faults.respondWith(503, 1)
      expect(await thrown(() => ex.fetchTicker(SYMBOL))).toBeInstanceOf(ExchangeNotAvailable)
      fx.server.faults.respondWith(502, 1, { path: /ticker/ })
      expect(await thrown(() => ex.fetchTicker(SYMBOL))).toBeInstanceOf(ExchangeNotAvailable)
    })

    it('REST delay beyond ccxt timeout → RequestTimeout', async () => {
      const ex = fx.rest()
      await ex.loadMarkets()
      ex.timeout = 150
      fx.server.faults.delay(400, 'rest')
      try {
        expect(await thrown(() => ex.fetchTime())).toBeInstanceOf(RequestTimeout)
      } finally {
        fx.server.faults.delay(0, 'rest')
      }
    })

    it('key without spot trading → -2015 (401): AuthenticationError on a fresh instance, DDoSProtection once it has authenticated', async () => {
      const fresh = fx.rest('readOnly')
      await fresh.loadMarkets()
      const e = await thrown(() => fresh.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000))
      expect(e).toBeInstanceOf(AuthenticationError)
      expect(e).not.toBeInstanceOf(PermissionDenied)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 401, code: -2015 })

      const used = fx.rest('readOnly')
      await used.fetchBalance() // reading is allowed; ccxt now sets options.hasAlreadyAuthenticatedSuccessfully
      expect(await thrown(() => used.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000))).toBeInstanceOf(DDoSProtection)
    })

    it('account that may not trade → -2010 "This account may not place or cancel orders." → PermissionDenied', async () => {
      const ex = fx.rest('frozen')
      const e = await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000))
      expect(e).toBeInstanceOf(PermissionDenied)
      expect(fx.server.faults.requests.at(-1)).toMatchObject({ status: 400, code: -2010 })
    })

    it('IP not whitelisted → -2015 "…, request ip: 127.0.0.1" (401) → AuthenticationError', async () => {
      const ex = fx.rest('ipBlocked')
      const e = await thrown(() => ex.fetchBalance())
      expect(e).toBeInstanceOf(AuthenticationError)
      expect(e).not.toBeInstanceOf(PermissionDenied)
      expect(e.message).toContain('request ip: 127.0.0.1')
    })
  })
})

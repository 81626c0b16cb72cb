import {
  AuthenticationError,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  OnMaintenance,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq, thrown } from '../support/exchange-server/assertions'
import { createOkxFixture, randomOkxKey, type OkxFixture } from '../support/okx/fixture'

// ccxt's real okx class against the local OKX v5 server backed by the real matching engine.

const SYMBOL = 'BTC/USDT'

let fx: OkxFixture

beforeAll(async () => {
  fx = await createOkxFixture()
})

afterAll(async () => {
  await fx.close()
})

/** The OKX code (or failed item's sCode) of the last logged request to `path`. */
function lastCode(path: string): string | undefined {
  return fx.server.faults.requests.filter((r) => r.path === path).at(-1)?.code
}

const usdt = (accountId: string) => fx.engine.balances(accountId).find((b) => b.asset === 'USDT')

describe('ccxt.okx REST against the local OKX server', () => {
  it('loadMarkets: the engine markets, with precision and limits from the instruments (tickSz / lotSz / minSz)', async () => {
    const ex = fx.rest()
    fx.server.faults.clearLog()
    const markets = await ex.loadMarkets()
    const specs = fx.engine.markets()
    expect(Object.keys(markets).sort()).toEqual(specs.map((s) => s.symbol).sort())
    for (const spec of specs) {
      const m = markets[spec.symbol]
      expect(m).toBeDefined()
      if (m === undefined) continue
      expect(m.id).toBe(`${spec.base}-${spec.quote}`)
      expect([m.base, m.quote, m.type, m.spot, m.active, m.margin]).toEqual([spec.base, spec.quote, 'spot', true, true, false])
      expect(m.precision.price).toBe(Number(spec.tickSize))
      expect(m.precision.amount).toBe(Number(spec.stepSize))
      expect(m.limits.amount?.min).toBe(Number(spec.minAmount))
      // OKX instruments carry no minimum notional and no minimum price: ccxt leaves them undefined.
      expect(m.limits.cost?.min).toBeUndefined()
      expect(m.limits.price?.min).toBeUndefined()
    }
    // With credentials ccxt also fetches the (private) currency list, so a bad key fails in loadMarkets.
    expect(fx.server.faults.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.params)}`).sort()).toEqual([
      'GET /api/v5/asset/currencies {}',
      'GET /api/v5/public/instruments {"instType":"SPOT"}',
    ])
  })

  it('fetchTime is the server clock; fetchBalance equals the engine account balances exactly', async () => {
    const ex = fx.rest()
    // The server's clock read while the request was under way: between the engine's clock before and after it.
    const before = fx.engine.now()
    const t = await ex.fetchTime()
    const after = fx.engine.now()
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual(after)
    const balance = await ex.fetchBalance()
    const info = balance.info as { data: { details: { ccy: string; availBal: string; frozenBal: string; eq: string }[] }[] }
    const details = info.data[0]?.details ?? []
    const engineBalances = fx.engine.balances('alice')
    expect(details.map((d) => d.ccy).sort()).toEqual(engineBalances.map((b) => b.asset).sort())
    for (const b of engineBalances) {
      expect(balance[b.asset]).toMatchObject({ free: Number(b.free), used: Number(b.used), total: Number(b.total) })
      const raw = details.find((d) => d.ccy === b.asset)
      expect(eq(raw?.availBal, b.free) && eq(raw?.frozenBal, b.used) && eq(raw?.eq, b.total)).toBe(true)
    }
  })

  it('limit order: rests in the engine, fetchOpenOrders lists it, fetchOrder by clientOrderId, cancelOrder cancels it', async () => {
    const ex = fx.rest()
    const before = usdt('alice')
    fx.server.faults.clearLog()
    const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 94000, { clientOrderId: 'restLimit1' })
    const id = String(created.id)
    // ccxt places through batch-orders; OKX answers only ids, so the order has no status yet.
    expect(fx.server.faults.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v5/trade/batch-orders',
      params: [{ instId: 'BTC-USDT', side: 'buy', ordType: 'limit', sz: '0.01', px: '94000', tdMode: 'cash', tgtCcy: 'base_ccy', clOrdId: 'restLimit1' }],
    })
    expect([created.clientOrderId, created.status, created.side, created.type]).toEqual(['restLimit1', undefined, 'buy', 'limit'])
    const resting = fx.engine.openOrders('alice', SYMBOL)
    expect(resting.map((o) => [o.venueOrderId, o.clientOrderId, o.price, o.amount])).toEqual([[id, 'restLimit1', '94000.00', '0.01000']])
    expect(fx.engine.book(SYMBOL).bids.find(([p]) => p === '94000.00')).toEqual(['94000.00', '0.01000'])

    const open = await ex.fetchOpenOrders(SYMBOL)
    expect(open.map((o) => [o.id, o.clientOrderId, o.side, o.type, o.price, o.amount, o.filled, o.status])).toEqual([
      [id, 'restLimit1', 'buy', 'limit', 94000, 0.01, 0, 'open'],
    ])
    const byClientId = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'restLimit1' })
    expect([byClientId.id, byClientId.status, byClientId.price]).toEqual([id, 'open', 94000])

    const canceled = await ex.cancelOrder(id, SYMBOL)
    expect([canceled.id, canceled.clientOrderId]).toEqual([id, 'restLimit1'])
    expect(fx.engine.openOrders('alice', SYMBOL)).toEqual([])
    expect(fx.engine.getOrder('alice', SYMBOL, { venueOrderId: id })?.status).toBe('canceled')
    expect(usdt('alice')).toEqual(before)
    expect((await ex.fetchOrder(id, SYMBOL)).status).toBe('canceled')
  })

  it('market order: fills with exactly the engine amounts, prices and fees; fetchOrder and fetchMyTrades agree', async () => {
    const ex = fx.rest()
    const balancesBefore = fx.engine.balances('alice')
    const order = await ex.createOrder(SYMBOL, 'market', 'buy', 0.7, undefined, { clientOrderId: 'restMarket1' })
    const fills = fx.engine.fills('alice', { symbol: SYMBOL }).filter((f) => f.venueOrderId === order.id)
    expect(fills.length).toBeGreaterThan(1) // 0.7 BTC walks two 0.5 levels
    const filled = fills.reduce((s, f) => s.plus(f.amount), new Decimal(0))
    const cost = fills.reduce((s, f) => s.plus(new Decimal(f.price).times(f.amount)), new Decimal(0))
    const fee = fills.reduce((s, f) => s.plus(f.fee.amount), new Decimal(0))
    expect(filled.eq('0.7')).toBe(true)

    const fetched = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'restMarket1' })
    const info = fetched.info as { accFillSz: string; avgPx: string; fee: string; feeCcy: string; state: string }
    expect([fetched.id, fetched.status, fetched.type, fetched.side, fetched.filled, fetched.amount]).toEqual([order.id, 'closed', 'market', 'buy', 0.7, 0.7])
    expect([info.state, info.feeCcy]).toEqual(['filled', 'BTC'])
    expect(eq(info.accFillSz, filled) && eq(info.fee, fee.neg()) && eq(info.avgPx, cost.div(filled))).toBe(true)
    expect(fetched.cost).toBeCloseTo(cost.toNumber(), 6) // ccxt derives cost = filled × avgPx
    expect(fetched.fee).toEqual({ currency: 'BTC', cost: fee.toNumber() }) // OKX's fee is negative; ccxt flips it

    // The account moved by exactly cost (USDT) and filled - fee (BTC).
    const after = fx.engine.balances('alice')
    const delta = (asset: string) =>
      new Decimal(after.find((b) => b.asset === asset)?.total ?? 0).minus(balancesBefore.find((b) => b.asset === asset)?.total ?? 0)
    expect(delta('USDT').eq(cost.neg())).toBe(true)
    expect(delta('BTC').eq(filled.minus(fee))).toBe(true)

    const mine = await ex.fetchMyTrades(SYMBOL)
    expect(fx.server.faults.requests.at(-1)?.path).toBe('/api/v5/trade/fills-history')
    const byId = (a: { id?: string }, b: { id?: string }) => Number(a.id) - Number(b.id)
    const engineFills = fx.engine.fills('alice', { symbol: SYMBOL }).map((f) => ({ ...f, id: f.tradeId })).sort(byId)
    expect(mine.slice().sort(byId).map((t) => [t.id, t.order, t.side, t.price, t.amount, t.takerOrMaker, t.fee?.cost, t.fee?.currency])).toEqual(
      engineFills.map((f) => [f.tradeId, f.venueOrderId, f.side, Number(f.price), Number(f.amount), f.liquidity, Number(f.fee.amount), f.fee.asset]),
    )
  })

  it('post_only that would take, FOK that cannot fill, IOC: OKX accepts them and cancels what does not fill', async () => {
    const ex = fx.rest()
    const bestAsk = Number(fx.engine.book(SYMBOL, 1).asks[0]?.[0])
    const po = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, bestAsk, { postOnly: true, clientOrderId: 'restPostOnly1' })
    expect(fx.server.faults.requests.at(-1)?.params).toMatchObject([{ ordType: 'post_only' }])
    const poFetched = await ex.fetchOrder(String(po.id), SYMBOL)
    expect([poFetched.status, poFetched.postOnly, poFetched.filled]).toEqual(['canceled', true, 0])

    // 0.9 BTC at the best bid: only that level's 0.5 is at or above the limit, so the FOK cannot fill.
    const bestBid = Number(fx.engine.book(SYMBOL, 1).bids[0]?.[0])
    const fok = await ex.createOrder(SYMBOL, 'limit', 'sell', 0.9, bestBid, { timeInForce: 'FOK', clientOrderId: 'restFok1' })
    const fokFetched = await ex.fetchOrder('', SYMBOL, { clientOrderId: 'restFok1' })
    expect([fokFetched.id, fokFetched.status, fokFetched.timeInForce, fokFetched.filled]).toEqual([fok.id, 'canceled', 'FOK', 0])

    const bidSize = Number(fx.engine.book(SYMBOL, 1).bids[0]?.[1])
    const ioc = await ex.createOrder(SYMBOL, 'limit', 'sell', 0.9, bestBid, { timeInForce: 'IOC' })
    const iocFetched = await ex.fetchOrder(String(ioc.id), SYMBOL)
    expect([iocFetched.status, iocFetched.timeInForce, iocFetched.filled, iocFetched.clientOrderId?.startsWith('6b9ad766b55dBCDE')]).toEqual([
      'canceled',
      'IOC',
      bidSize,
      true, // no clientOrderId given: ccxt sends its broker id + uuid16
    ])
    expect(fx.engine.openOrders('alice', SYMBOL)).toEqual([])
  })

  it('fetchOrderBook, fetchTicker and fetchOHLCV equal the engine', async () => {
    const ex = fx.rest()
    const ob = await ex.fetchOrderBook(SYMBOL)
    const book = fx.engine.book(SYMBOL, 100)
    const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])
    expect(ob.bids.map(([p, q]) => [p, q])).toEqual(num(book.bids))
    expect(ob.asks.map(([p, q]) => [p, q])).toEqual(num(book.asks))
    expect(fx.server.faults.requests.at(-1)?.params).toEqual({ instId: 'BTC-USDT', sz: '100' })

    const ticker = await ex.fetchTicker(SYMBOL)
    const t = fx.engine.ticker(SYMBOL)
    expect([ticker.last, ticker.bid, ticker.ask, ticker.baseVolume]).toEqual([Number(t.last), ob.bids[0]?.[0], ob.asks[0]?.[0], Number(t.volume24h)])

    const candles = await ex.fetchOHLCV(SYMBOL, '1m')
    const engineCandles = fx.engine.candles(SYMBOL, '1m')
    expect(candles).toEqual(engineCandles.map((c) => [c.time, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]))
    expect(candles.length).toBeGreaterThan(0)
  })
})

describe('OKX errors → ccxt exception classes', () => {
  it('wrong secret (50113), unknown key (50111), wrong passphrase (50105) → AuthenticationError, already in loadMarkets', async () => {
    const { apiKey, secret, passphrase } = fx.keys.trader
    const cases: [string, { apiKey: string; secret: string; passphrase: string }][] = [
      ['50113', { apiKey, secret: randomOkxKey().secret, passphrase }],
      ['50111', { ...randomOkxKey() }],
      ['50105', { apiKey, secret, passphrase: 'wrong-passphrase' }],
    ]
    for (const [code, creds] of cases) {
      const e = await thrown(() => fx.rest(creds).loadMarkets())
      expect(e).toBeInstanceOf(AuthenticationError)
      expect(lastCode('/api/v5/asset/currencies')).toBe(code)
      expect(fx.server.faults.requests.at(-1)?.status).toBe(401)
    }
  })

  it('expired OK-ACCESS-TIMESTAMP (50102) → InvalidNonce', async () => {
    const ex = fx.rest()
    await ex.loadMarkets()
    ex.nonce = () => Date.now() - 31_000
    expect(await thrown(() => ex.fetchBalance())).toBeInstanceOf(InvalidNonce)
    expect(lastCode('/api/v5/account/balance')).toBe('50102')
  })

  it('IP not whitelisted (50110) → PermissionDenied', async () => {
    expect(await thrown(() => fx.rest('ipBlocked').fetchBalance())).toBeInstanceOf(PermissionDenied)
    expect(lastCode('/api/v5/asset/currencies')).toBe('50110')
  })

  it('read-only key placing an order (50120) → plain ExchangeError (ccxt has no mapping for 50120)', async () => {
    const ex = fx.rest('readOnly')
    expect((await ex.fetchBalance())['USDT']?.total).toBe(100000) // reading works
    const e = await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 90000))
    expect(e.constructor).toBe(ExchangeError)
    expect(lastCode('/api/v5/trade/batch-orders')).toBe('50120')
    expect(fx.engine.openOrders('bob')).toEqual([])
  })

  it('order rejections: insufficient balance (51008) → InsufficientFunds, duplicate clOrdId (51016) and below minimum (51020) → InvalidOrder', async () => {
    const ex = fx.rest()
    expect(await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 5, 90000))).toBeInstanceOf(InsufficientFunds)
    expect(lastCode('/api/v5/trade/batch-orders')).toBe('51008')
    await ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000, { clientOrderId: 'dupe1' })
    expect(await thrown(() => ex.createOrder(SYMBOL, 'limit', 'buy', 0.001, 90000, { clientOrderId: 'dupe1' }))).toBeInstanceOf(InvalidOrder)
    expect(lastCode('/api/v5/trade/batch-orders')).toBe('51016')
    expect(await thrown(() => ex.createOrder('ETH/USDT', 'limit', 'buy', 0.0001, 3000))).toBeInstanceOf(InvalidOrder)
    expect(lastCode('/api/v5/trade/batch-orders')).toBe('51020')
    await ex.cancelOrder('', SYMBOL, { clientOrderId: 'dupe1' })
  })

  it('unknown order: fetchOrder (51603) and cancelOrder (51400) → OrderNotFound', async () => {
    const ex = fx.rest()
    expect(await thrown(() => ex.fetchOrder('123456789', SYMBOL))).toBeInstanceOf(OrderNotFound)
    expect(lastCode('/api/v5/trade/order')).toBe('51603')
    expect(await thrown(() => ex.cancelOrder('123456789', SYMBOL))).toBeInstanceOf(OrderNotFound)
    expect(lastCode('/api/v5/trade/cancel-order')).toBe('51400')
  })

  it('rejectNextOrder: the next placement fails with the given sCode and never reaches the engine', async () => {
    const ex = fx.rest()
    await ex.loadMarkets()
    const before = fx.engine.fills('alice').length
    fx.server.faults.rejectNextOrder('51008', 'Order failed. Insufficient USDT balance in account.')
    expect(await thrown(() => ex.createOrder(SYMBOL, 'market', 'buy', 0.001))).toBeInstanceOf(InsufficientFunds)
    expect(fx.server.faults.requests.at(-1)).toMatchObject({ injected: 'rejectNextOrder', code: '51008' })
    expect(fx.engine.fills('alice').length).toBe(before)
  })

  it('HTTP 429 (50011) → RateLimitExceeded: the OKX code wins over ccxt.okx mapping 429 to ExchangeNotAvailable', async () => {
    const ex = fx.rest()
    await ex.loadMarkets()
    fx.server.faults.respondWith(429, 1, { path: '/api/v5/account/balance' })
    expect(await thrown(() => ex.fetchBalance())).toBeInstanceOf(RateLimitExceeded)
    // A 429 without OKX's body falls through to ccxt.okx's httpExceptions table.
    fx.server.faults.respondWith(429, 1, { path: '/api/v5/account/balance', body: '<html>Too Many Requests</html>' })
    const e = await thrown(() => ex.fetchBalance())
    expect([e instanceof ExchangeNotAvailable, e instanceof RateLimitExceeded]).toEqual([true, false])
  })

  it('5xx: 500 (50026) → ExchangeNotAvailable, 503 (50001) → OnMaintenance, 502/504 HTML pages → ExchangeNotAvailable / RequestTimeout', async () => {
    const ex = fx.rest()
    await ex.loadMarkets()
    const cases: [number, new (...args: never[]) => Error][] = [
      [500, ExchangeNotAvailable],
      [503, OnMaintenance],
      [502, ExchangeNotAvailable],
      [504, RequestTimeout],
    ]
    for (const [status, cls] of cases) {
      fx.server.faults.respondWith(status, 1, { path: '/api/v5/market/ticker' })
      expect(await thrown(() => ex.fetchTicker(SYMBOL)), String(status)).toBeInstanceOf(cls)
    }
    expect((await ex.fetchTicker(SYMBOL)).last).toBe(Number(fx.engine.ticker(SYMBOL).last))
  })

  it('delay beyond ccxt timeout → RequestTimeout', async () => {
    const ex = fx.rest('trader', {})
    await ex.loadMarkets()
    ex.timeout = 100
    fx.server.faults.delay(300, 'rest')
    try {
      expect(await thrown(() => ex.fetchTicker(SYMBOL))).toBeInstanceOf(RequestTimeout)
    } finally {
      fx.server.faults.reset()
    }
  })
})

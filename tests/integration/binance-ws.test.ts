import { ChecksumError, NetworkError } from 'ccxt'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { bookChecks } from '../support/exchange-server/book-checks'
import { waitFor } from '../support/wait-for'
import { createBinanceFixture, MAKER, startFlow, type BinanceFixture } from '../support/binance/fixture'

// ccxt.pro's real binance class against the local Binance server: diff-depth sync (snapshot + U/u), gap
// detection and resync, reconnects, trades, klines, tickers, and the user data stream.

const BTC = 'BTC/USDT'
const ETH = 'ETH/USDT'

let fx: BinanceFixture

beforeAll(async () => {
  fx = await createBinanceFixture({ timings: { klineMs: 200, tickerMs: 200 } })
})

afterAll(async () => {
  await fx.close()
})

const { inSync, expectSameBook } = bookChecks(() => fx.engine)

/** Waits until the server has processed a client message containing `text` (subscription in place). */
async function subscribed(text: string, after = 0): Promise<void> {
  await waitFor(() => fx.server.faults.wsMessages.some((m, i) => i >= after && m.event === 'message' && JSON.stringify(m.data).includes(text)), text, 10_000)
}

describe('ccxt.pro.binance against the local Binance server', () => {
  it('watchOrderBook: snapshot + diff stream converge to engine.book() while the engine trades', async () => {
    const ex = fx.pro()
    const depthCalls = () => fx.server.faults.requests.filter((r) => r.path === '/api/v3/depth').length
    const restBefore = depthCalls()
    const tradesBefore = fx.engine.trades(ETH).length
    const stop = startFlow(fx.engine, ETH, '3400', '1', 5)
    let updates = 0
    const start = Date.now()
    try {
      while ((updates < 10 || Date.now() - start < 1000) && Date.now() - start < 5000) {
        await ex.watchOrderBook(ETH)
        updates++
      }
    } finally {
      stop()
    }
    expect(updates).toBeGreaterThanOrEqual(10)
    expect(fx.engine.trades(ETH).length).toBeGreaterThan(tradesBefore) // the flow really traded
    await waitFor(() => inSync(ex, ETH), 'book in sync', 10_000)
    expectSameBook(ex, ETH)
    expect(depthCalls() - restBefore).toBe(1) // one snapshot, everything after came from U/u diffs
  })

  it('skipSequence: ccxt detects the U/u gap (ChecksumError), resubscribes, re-snapshots and equals the server book', async () => {
    const ex = fx.pro()
    // limit 100: ccxt's REST throttle charges GET /api/v3/depth by limit (1000 → weight 10 → 500 ms of its
    // token bucket), which would otherwise hold the resync snapshot back.
    await ex.watchOrderBook(BTC, 100)
    const subscribesBefore = fx.server.faults.wsMessages.filter((m) => JSON.stringify(m.data ?? '').includes('btcusdt@depth@100ms')).length
    const depthCalls = () => fx.server.faults.requests.filter((r) => r.path === '/api/v3/depth').length
    const stop = startFlow(fx.engine, BTC, '95000', '10', 10, 11)
    let gapSeen = false
    let snapshotsBefore = 0
    try {
      fx.server.faults.skipSequence(BTC, 1)
      for (let i = 0; i < 100 && !gapSeen; i++) {
        try {
          await ex.watchOrderBook(BTC, 100)
        } catch (e) {
          expect(e).toBeInstanceOf(ChecksumError)
          gapSeen = true
          snapshotsBefore = depthCalls()
        }
      }
      expect(gapSeen).toBe(true)
      // ccxt's own recovery: the next watch subscribes again and syncs from a fresh snapshot, under load.
      await ex.watchOrderBook(BTC, 100)
    } finally {
      stop()
    }
    // How fast is for tests/bench; here: it does get back in sync, from a fresh snapshot.
    await waitFor(() => inSync(ex, BTC), 'book in sync after the gap', 10_000)
    expectSameBook(ex, BTC)
    expect(depthCalls()).toBeGreaterThan(snapshotsBefore)
    const subscribesAfter = fx.server.faults.wsMessages.filter((m) => JSON.stringify(m.data ?? '').includes('btcusdt@depth@100ms')).length
    expect(subscribesAfter).toBeGreaterThan(subscribesBefore)
  })

  it('dropSockets: the pending watch fails with NetworkError and the next watch reconnects and resyncs', async () => {
    const ex = fx.pro()
    await ex.watchOrderBook(BTC)
    const opensBefore = fx.server.faults.wsMessages.filter((m) => m.event === 'open').length
    const pending = ex.watchOrderBook(BTC)
    fx.server.faults.dropSockets()
    await expect(pending).rejects.toBeInstanceOf(NetworkError)
    const stop = startFlow(fx.engine, BTC, '95000', '10', 10, 23)
    try {
      await ex.watchOrderBook(BTC)
      await ex.watchOrderBook(BTC)
    } finally {
      stop()
    }
    expect(fx.server.faults.wsMessages.filter((m) => m.event === 'open').length).toBeGreaterThan(opensBefore)
    await waitFor(() => inSync(ex, BTC), 'book in sync after reconnect', 10_000)
    expectSameBook(ex, BTC)
  })

  it('watchTrades, watchOHLCV and watchTicker carry the engine trades, candle and 24 h ticker', async () => {
    const ex = fx.pro()
    const log = fx.server.faults.wsMessages.length
    const trades = ex.watchTrades(BTC)
    await subscribed('btcusdt@trade', log)
    const ask = fx.engine.book(BTC, 1).asks[0]
    expect(ask).toBeDefined()
    const amount = new Decimal(ask?.[1] ?? 0).plus('0.01').toFixed()
    const lastId = Number(fx.engine.trades(BTC, 1)[0]?.id ?? 0)
    fx.engine.placeOrder({ accountId: 'carol', clientOrderId: 'ws-taker-1', symbol: BTC, side: 'buy', type: 'market', amount, timeInForce: 'IOC', postOnly: false })
    const expected = fx.engine.trades(BTC).filter((t) => Number(t.id) > lastId)
    expect(expected.length).toBeGreaterThanOrEqual(2) // it walked past the best ask
    expect((await trades)[0]?.id).toBe(expected[0]?.id)
    // Later trades land in ccxt's cache as their messages arrive.
    const cache = () => ((ex.trades as Record<string, { id?: string; price?: number; amount?: number; side?: string; timestamp?: number }[] | undefined>)[BTC] ?? []).slice()
    await waitFor(() => cache().length >= expected.length, 'every trade', 10_000)
    expect(cache().map((t) => [t.id, t.price, t.amount, t.side, t.timestamp])).toEqual(
      expected.map((t) => [t.id, Number(t.price), Number(t.amount), t.side, t.timestamp]),
    )

    const candles = await ex.watchOHLCV(BTC, '1m')
    const last = fx.engine.candles(BTC, '1m').at(-1)
    expect(candles.at(-1)).toEqual([last?.time, Number(last?.open), Number(last?.high), Number(last?.low), Number(last?.close), Number(last?.volume)])

    const ticker = await ex.watchTicker(BTC, { name: 'ticker' })
    const t = fx.engine.ticker(BTC)
    expect([ticker.last, ticker.bid, ticker.ask, ticker.high, ticker.low, ticker.baseVolume]).toEqual([
      Number(t.last),
      Number(t.bid),
      Number(t.ask),
      Number(t.high24h),
      Number(t.low24h),
      Number(t.volume24h),
    ])
  })

  it('watchOrders / watchMyTrades / watchBalance (WebSocket API user data stream) get the executionReports of a fill', async () => {
    const ex = fx.pro()
    const rest = fx.rest()
    await ex.loadMarkets()
    const log = fx.server.faults.wsMessages.length
    const subscriptionsBefore = fx.server.userDataSubscriptions('alice')
    const ordersP = ex.watchOrders(BTC)
    const tradesP = ex.watchMyTrades(BTC)
    await subscribed('userDataStream.subscribe.signature', log)
    // The server took the subscription (its signature checked) and answered it: alice's fills go out on it now.
    await waitFor(() => fx.server.userDataSubscriptions('alice') > subscriptionsBefore, 'the user-data subscription taken', 5000)

    // Take the best ask and rest the remainder; then the maker sells into it: a taker fill and a maker fill.
    const [askPrice, askAmount] = fx.engine.book(BTC, 1).asks[0] ?? ['0', '0']
    const amount = new Decimal(askAmount).plus('0.02')
    const order = await rest.createOrder(BTC, 'limit', 'buy', amount.toNumber(), Number(askPrice), { clientOrderId: 'ws-user-1' })
    expect(order.status).toBe('open')
    await ordersP
    await tradesP
    const balanceP = ex.watchBalance()
    fx.engine.placeOrder({ accountId: MAKER, clientOrderId: 'ws-maker-hit', symbol: BTC, side: 'sell', type: 'limit', amount: '0.02', price: askPrice, timeInForce: 'GTC', postOnly: false })

    type Cached = { status?: string; filled?: number; clientOrderId?: string }
    const cachedOrder = () => (ex.orders?.hashmap as Record<string, Record<string, Cached> | undefined> | undefined)?.[BTC]?.[String(order.id)]
    await waitFor(() => cachedOrder()?.status === 'closed', 'order closed on the stream', 10_000)
    expect(cachedOrder()).toMatchObject({ status: 'closed', filled: amount.toNumber(), clientOrderId: 'ws-user-1' })

    const fills = fx.engine.fills('alice', { symbol: BTC }).filter((f) => f.venueOrderId === order.id)
    expect(fills.at(-1)?.liquidity).toBe('maker')
    expect(fills.slice(0, -1).every((f) => f.liquidity === 'taker') && fills.length > 1).toBe(true)
    const myTrades = () => (ex.myTrades ?? []).filter((t) => t.order === order.id)
    await waitFor(() => myTrades().length === fills.length, 'every fill on the stream', 10_000)
    expect(myTrades().map((t) => [t.id, t.price, t.amount, t.takerOrMaker, t.fee?.cost, t.fee?.currency])).toEqual(
      fills.map((f) => [f.tradeId, Number(f.price), Number(f.amount), f.liquidity, Number(f.fee.amount), f.fee.asset]),
    )

    const balance = await balanceP
    const engineBalances = fx.engine.balances('alice')
    for (const asset of ['BTC', 'USDT']) {
      const b = engineBalances.find((x) => x.asset === asset)
      expect(balance[asset]).toMatchObject({ free: Number(b?.free), used: Number(b?.used) })
    }
  })

  it('listenKey: POST/PUT/DELETE /api/v3/userDataStream and /ws/<listenKey> deliver executionReport + outboundAccountPosition', async () => {
    const rest = fx.rest()
    const { listenKey } = (await rest.publicPostUserDataStream()) as { listenKey: string }
    expect(listenKey).toMatch(/^[A-Za-z0-9]{60}$/)
    const events: Record<string, unknown>[] = []
    const ws = new WebSocket(`${fx.server.wsUrl}/ws/${listenKey}`)
    ws.on('message', (data) => events.push(JSON.parse(data.toString()) as Record<string, unknown>))
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    try {
      const { order, fills } = fx.engine.placeOrder({
        accountId: 'alice',
        clientOrderId: 'lk-market-1',
        symbol: BTC,
        side: 'sell',
        type: 'market',
        amount: '0.01',
        timeInForce: 'IOC',
        postOnly: false,
      })
      await waitFor(() => events.some((e) => e['e'] === 'outboundAccountPosition'), 'account position', 10_000)
      const reports = events.filter((e) => e['e'] === 'executionReport' && e['c'] === 'lk-market-1')
      expect(reports.map((r) => [r['x'], r['X']])).toEqual([['NEW', 'NEW'], ...fills.map((_, i) => ['TRADE', i === fills.length - 1 ? 'FILLED' : 'PARTIALLY_FILLED'])])
      const lastReport = reports.at(-1) ?? {}
      expect(lastReport).toMatchObject({ s: 'BTCUSDT', S: 'SELL', o: 'MARKET', i: Number(order.venueOrderId) })
      expect(new Decimal(String(lastReport['z'])).eq(order.filled)).toBe(true)
      expect(new Decimal(String(lastReport['Z'])).eq(order.cost)).toBe(true)
      const fee = fills.reduce((s, f) => s.plus(f.fee.amount), new Decimal(0))
      expect(reports.reduce((s, r) => s.plus(String(r['n'])), new Decimal(0)).eq(fee)).toBe(true)
      const position = events.find((e) => e['e'] === 'outboundAccountPosition') as { B: { a: string; f: string; l: string }[] }
      for (const b of position.B) {
        const engine = fx.engine.balances('alice').find((x) => x.asset === b.a)
        expect(new Decimal(b.f).eq(engine?.free ?? -1) && new Decimal(b.l).eq(engine?.used ?? -1)).toBe(true)
      }

      await expect(rest.publicPutUserDataStream({ listenKey })).resolves.toEqual({})
      await expect(rest.publicDeleteUserDataStream({ listenKey })).resolves.toEqual({})
      await waitFor(() => events.some((e) => e['e'] === 'listenKeyExpired'), 'listenKeyExpired', 10_000)
      await expect(rest.publicPutUserDataStream({ listenKey })).rejects.toThrow(/-1125/)
    } finally {
      ws.terminate()
    }
  })

  it('combined streams (/stream?streams=a/b) wrap payloads as {stream, data}; LIST_SUBSCRIPTIONS lists them', async () => {
    const ws = new WebSocket(`${fx.server.wsUrl}/stream?streams=btcusdt@trade/btcusdt@depth@100ms`)
    const messages: { stream?: string; data?: Record<string, unknown>; result?: unknown; id?: unknown }[] = []
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as (typeof messages)[number]))
    await new Promise((resolve) => ws.once('open', resolve))
    try {
      ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 7 }))
      await waitFor(() => messages.some((m) => m.id === 7), 'LIST_SUBSCRIPTIONS reply', 10_000)
      expect(messages.find((m) => m.id === 7)?.result).toEqual(['btcusdt@trade', 'btcusdt@depth@100ms'])
      fx.engine.placeOrder({ accountId: 'carol', clientOrderId: 'combined-1', symbol: BTC, side: 'sell', type: 'market', amount: '0.001', timeInForce: 'IOC', postOnly: false })
      // Both streams, each in its own time: depth updates may come from other flow before this trade's.
      await waitFor(() => messages.some((m) => m.stream === 'btcusdt@depth@100ms'), 'depth on the combined stream', 10_000)
      await waitFor(() => messages.some((m) => m.stream === 'btcusdt@trade'), 'the trade on the combined stream', 10_000)
      expect(messages.find((m) => m.stream === 'btcusdt@trade')?.data).toMatchObject({ e: 'trade', s: 'BTCUSDT', m: true })
      expect(messages.find((m) => m.stream === 'btcusdt@depth@100ms')?.data).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' })
    } finally {
      ws.terminate()
    }
  })
})

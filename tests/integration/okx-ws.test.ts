import { AuthenticationError, InvalidNonce, NetworkError } from 'ccxt'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { bookChecks } from '../support/exchange-server/book-checks'
import { waitFor } from '../support/wait-for'
import { createOkxFixture, startFlow, type OkxFixture } from '../support/okx/fixture'

// ccxt.pro's real okx class against the local OKX server: `books` snapshot + seqId/prevSeqId updates, gap
// detection and resync, checksums, reconnects, trades, tickers, candles, and login + the `orders` channel.

const BTC = 'BTC/USDT'
const ETH = 'ETH/USDT'

let fx: OkxFixture

beforeAll(async () => {
  fx = await createOkxFixture({ timings: { booksMs: 50, tickersMs: 50, candleMs: 100 } })
})

afterAll(async () => {
  await fx.close()
})

const { inSync, expectSameBook } = bookChecks(() => fx.engine)

const booksSubscribes = (instId: string) =>
  fx.server.faults.wsMessages.filter((m) => m.event === 'message' && JSON.stringify(m.data ?? '').includes(`"channel":"books","instId":"${instId}"`)).length

/** A raw client on the public socket that keeps its own book from `books` and checks every checksum. */
class RawBooks {
  readonly ws: WebSocket
  readonly bids = new Map<string, string>()
  readonly asks = new Map<string, string>()
  seqId = -1
  gaps = 0
  checksumsOk = 0
  readonly badChecksums: number[] = []
  readonly text: string[] = []

  constructor(url: string, instId: string) {
    this.ws = new WebSocket(url)
    this.ws.on('open', () => this.ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId }] })))
    this.ws.on('message', (raw) => {
      const s = String(raw)
      if (!s.startsWith('{')) {
        this.text.push(s)
        return
      }
      const msg = JSON.parse(s) as { action?: string; data?: { bids: string[][]; asks: string[][]; seqId: number; prevSeqId: number; checksum: number }[] }
      const d = msg.data?.[0]
      if (msg.action === undefined || d === undefined) return
      if (msg.action === 'snapshot') {
        this.bids.clear()
        this.asks.clear()
      } else if (d.prevSeqId !== this.seqId) this.gaps++
      for (const [p, q] of d.bids) this.apply(this.bids, p as string, q as string)
      for (const [p, q] of d.asks) this.apply(this.asks, p as string, q as string)
      this.seqId = d.seqId
      if (checksum(this.sorted(this.bids, true), this.sorted(this.asks, false)) === d.checksum) this.checksumsOk++
      else this.badChecksums.push(d.seqId)
    })
  }

  private apply(side: Map<string, string>, p: string, q: string): void {
    if (Number(q) === 0) side.delete(p)
    else side.set(p, q)
  }

  sorted(side: Map<string, string>, desc: boolean): [string, string][] {
    return [...side.entries()].sort(([a], [b]) => (desc ? Number(b) - Number(a) : Number(a) - Number(b)))
  }

  close(): void {
    this.ws.terminate()
  }
}

/** OKX's checksum, written out independently of the server's: top 25 interleaved "bid:size:ask:size", CRC32 signed. */
function checksum(bids: [string, string][], asks: [string, string][]): number {
  const parts: string[] = []
  for (let i = 0; i < 25; i++) {
    if (bids[i] !== undefined) parts.push(bids[i]?.[0] ?? '', bids[i]?.[1] ?? '')
    if (asks[i] !== undefined) parts.push(asks[i]?.[0] ?? '', asks[i]?.[1] ?? '')
  }
  return crc32(parts.join(':')) | 0
}

describe('ccxt.pro.okx against the local OKX server', () => {
  it('watchOrderBook: snapshot + seqId updates converge to engine.book() while the engine trades (no REST snapshot)', async () => {
    const ex = fx.pro()
    const restBooks = () => fx.server.faults.requests.filter((r) => r.path.startsWith('/api/v5/market/books')).length
    const restBefore = restBooks()
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
    expect(restBooks()).toBe(restBefore) // OKX's snapshot comes over the socket
    expect(booksSubscribes('ETH-USDT')).toBe(1)
  })

  it('books checksums: a raw client rebuilding the book from the stream matches every CRC32 the server sends', async () => {
    const raw = new RawBooks(fx.server.wsPublicUrl, 'BTC-USDT')
    const stop = startFlow(fx.engine, BTC, '95000', '10', 5, 3)
    try {
      await waitFor(() => raw.checksumsOk >= 20, '20 verified messages', 5000)
    } finally {
      stop()
    }
    await waitFor(() => raw.seqId === fx.engine.book(BTC).sequence, 'raw book at engine seq', 10_000)
    expect([raw.gaps, raw.badChecksums]).toEqual([0, []])
    const top = fx.engine.book(BTC)
    expect(raw.sorted(raw.bids, true).map(([p, q]) => [Number(p), Number(q)])).toEqual(top.bids.map(([p, q]) => [Number(p), Number(q)]))
    raw.close()
  })

  it('skipSequence: ccxt sees prevSeqId ≠ its nonce (InvalidNonce), resubscribes, takes a new snapshot and equals the server book', async () => {
    const ex = fx.pro()
    await ex.watchOrderBook(BTC)
    const subscribesBefore = booksSubscribes('BTC-USDT')
    const stop = startFlow(fx.engine, BTC, '95000', '10', 10, 11)
    let gapSeen = false
    try {
      fx.server.faults.skipSequence(BTC, 1)
      for (let i = 0; i < 200 && !gapSeen; i++) {
        try {
          await ex.watchOrderBook(BTC)
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidNonce)
          gapSeen = true
        }
      }
      expect(gapSeen).toBe(true)
      // ccxt's own recovery: the next watch subscribes again and syncs from a fresh snapshot, under load.
      await ex.watchOrderBook(BTC)
    } finally {
      stop()
    }
    // How fast is for tests/bench; here: it does get back in sync, from the new snapshot.
    await waitFor(() => inSync(ex, BTC), 'book in sync after the gap', 10_000)
    expectSameBook(ex, BTC)
    expect(booksSubscribes('BTC-USDT')).toBe(subscribesBefore + 1)
  })

  it('corruptChecksum: the server sends one wrong CRC32 (a raw client sees it) — ccxt 4.5.84 does not check it and stays in sync', async () => {
    const ex = fx.pro()
    await ex.watchOrderBook(BTC)
    const raw = new RawBooks(fx.server.wsPublicUrl, 'BTC-USDT')
    await waitFor(() => raw.seqId >= 0, 'raw snapshot', 10_000)
    const subscribesBefore = booksSubscribes('BTC-USDT')
    const stop = startFlow(fx.engine, BTC, '95000', '10', 10, 19)
    try {
      fx.server.faults.corruptChecksum(BTC)
      await waitFor(() => raw.badChecksums.length === 1 && raw.checksumsOk >= 5, 'a corrupted checksum and good ones after it', 15_000)
      for (let i = 0; i < 5; i++) await ex.watchOrderBook(BTC) // no ChecksumError / InvalidNonce
    } finally {
      stop()
    }
    await waitFor(() => inSync(ex, BTC), 'book in sync', 10_000)
    expectSameBook(ex, BTC)
    expect(raw.gaps).toBe(0)
    expect(booksSubscribes('BTC-USDT')).toBe(subscribesBefore) // no resubscription
    raw.close()
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
    await waitFor(() => inSync(ex, BTC), 'book in sync after reconnect', 10_000)
    expectSameBook(ex, BTC)
    expect(fx.server.faults.wsMessages.filter((m) => m.event === 'open').length).toBeGreaterThan(opensBefore)
  })

  it('watchTrades: every engine trade arrives with its id, price, amount and taker side', async () => {
    const ex = fx.pro()
    const first = ex.watchTrades(ETH)
    // The server takes a public subscription as it logs the message (no login): the trades go out on it from then on.
    await waitFor(() => fx.server.faults.wsMessages.some((m) => JSON.stringify(m.data ?? '').includes('"channel":"trades","instId":"ETH-USDT"')), 'trades subscription', 5000)
    const before = fx.engine.trades(ETH).length
    fx.engine.deposit('taker', 'USDT', '100000')
    fx.engine.placeOrder({ accountId: 'taker', clientOrderId: 'ws-trades-1', symbol: ETH, side: 'buy', type: 'market', amount: '7', timeInForce: 'IOC', postOnly: false })
    const engineTrades = fx.engine.trades(ETH).slice(before)
    expect(engineTrades.length).toBeGreaterThan(1)
    const got = await first
    const all = [...got]
    while (all.length < engineTrades.length) all.push(...(await ex.watchTrades(ETH)))
    expect(all.map((t) => [t.id, t.price, t.amount, t.side, t.symbol])).toEqual(
      engineTrades.map((t) => [t.id, Number(t.price), Number(t.amount), t.side, ETH]),
    )
  })

  it('watchTicker (tickers) and watchOHLCV (candle1m on /ws/v5/business) follow the engine', async () => {
    const ex = fx.pro()
    // ccxt.pro.okx's watchTicker calls market() before loading markets ("markets not loaded"): load first.
    await ex.loadMarkets()
    const ticker = await ex.watchTicker(ETH)
    expect(ticker.last).toBe(Number(fx.engine.ticker(ETH).last))
    expect([ticker.bid, ticker.ask]).toEqual([Number(fx.engine.book(ETH, 1).bids[0]?.[0]), Number(fx.engine.book(ETH, 1).asks[0]?.[0])])
    const candles = await ex.watchOHLCV(ETH, '1m')
    const last = fx.engine.candles(ETH, '1m').at(-1)
    expect(candles.at(-1)).toEqual([last?.time, Number(last?.open), Number(last?.high), Number(last?.low), Number(last?.close), Number(last?.volume)])
    expect(fx.server.faults.wsMessages.some((m) => m.path === '/ws/v5/business' && m.event === 'open')).toBe(true)
  })

  it('watchOrders: login on /ws/v5/private, then the orders channel carries the order as it fills', async () => {
    const ex = fx.pro()
    const rest = fx.rest()
    const subscriptionsBefore = fx.server.orderSubscriptions('alice')
    const firstWatch = ex.watchOrders(BTC)
    // Taken once the socket's login was: the server's own record of alice's orders subscription.
    await waitFor(() => fx.server.orderSubscriptions('alice') > subscriptionsBefore, 'orders subscription', 5000)
    const placed = await rest.createOrder(BTC, 'market', 'buy', 0.3, undefined, { clientOrderId: 'wsOrders1' })
    const fills = fx.engine.fills('alice', { symbol: BTC }).filter((f) => f.venueOrderId === placed.id)
    expect(fills.length).toBeGreaterThan(0)
    let orders = await firstWatch
    const end = Date.now() + 2000
    while (!orders.some((o) => o.id === placed.id && o.status === 'closed') && Date.now() < end) orders = await ex.watchOrders(BTC)
    const done = orders.find((o) => o.id === placed.id && o.status === 'closed')
    expect(done).toMatchObject({ clientOrderId: 'wsOrders1', symbol: BTC, side: 'buy', type: 'market', filled: 0.3, amount: 0.3 })
    const fee = fills.reduce((s, f) => s + Number(f.fee.amount), 0)
    expect(done?.fee?.cost).toBeCloseTo(fee, 12)
    // The login request ccxt sent, and its fill fields (what watchMyTrades is built from).
    const login = fx.server.faults.wsMessages.find((m) => m.path === '/ws/v5/private' && (m.data as { op?: string } | undefined)?.op === 'login')
    expect((login?.data as { args: { apiKey: string }[] }).args[0]?.apiKey).toBe(fx.keys.trader.apiKey)
    const info = done?.info as { tradeId: string; fillSz: string; execType: string }
    expect([info.tradeId, Number(info.fillSz), info.execType]).toEqual([fills.at(-1)?.tradeId, Number(fills.at(-1)?.amount), 'T'])
    // ccxt also files these pushes as my trades (watchMyTrades) — with OKX's fillFee sign kept, i.e. negative.
    const myTrades = (ex as unknown as { myTrades?: { id: string; fee?: { cost?: number } }[] }).myTrades ?? []
    const lastFill = fills.at(-1)
    expect(myTrades.find((t) => t.id === lastFill?.tradeId)?.fee?.cost).toBe(-Number(lastFill?.fee.amount))
  })

  it('login with a wrong passphrase (60024) → AuthenticationError from watchOrders', async () => {
    const ex = fx.pro({ ...fx.keys.trader, passphrase: 'nope' })
    await expect(ex.watchOrders(BTC)).rejects.toBeInstanceOf(AuthenticationError)
  })

  it('ping → pong, and a private channel without login → error 60011', async () => {
    const ws = new WebSocket(fx.server.wsPrivateUrl)
    const got: string[] = []
    ws.on('message', (m) => got.push(String(m)))
    await new Promise((r) => ws.once('open', r))
    ws.send('ping')
    ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'orders', instType: 'SPOT' }] }))
    await waitFor(() => got.length >= 2, 'replies', 10_000)
    expect(got[0]).toBe('pong')
    expect(JSON.parse(got[1] ?? '{}')).toMatchObject({ event: 'error', code: '60011' })
    ws.terminate()
  })
})

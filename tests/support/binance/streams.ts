import type { IncomingMessage } from 'node:http'
import type { WebSocket } from 'ws'
import type { BookLevel, PublicTrade, Timeframe } from '../../../src-main/venues/port'
import type { SimEvent } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import { fmt, isTimeframe, klineEvent, marketId, tickerEvent } from './format'
import { BinanceApiError } from './http'
import type { UserData } from './user-data'
import { Conn } from './ws-conn'

// Market streams (/ws, /ws/<stream>, /stream?streams=a/b) and the WebSocket API (/ws-api/v3), as Binance
// spot serves them:
//  - live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY with {result, id} replies;
//  - <symbol>@depth[@100ms] diff stream: the engine's gapless book update ids, batched per window into
//    U (first) .. u (last), later changes to a level overriding earlier ones (spot: no "pu");
//  - <symbol>@depth<5|10|20>[@100ms] partial book, <symbol>@trade, <symbol>@aggTrade, <symbol>@kline_<i>,
//    <symbol>@ticker, <symbol>@miniTicker, <symbol>@bookTicker;
//  - a live listenKey as a stream name → that account's user data events.

export interface StreamTimings {
  /** Window of <symbol>@depth@100ms (default 100). */
  depthFastMs: number
  /** Window of <symbol>@depth (default 1000). */
  depthSlowMs: number
  /** Kline push interval (Binance: 2000 ms for every interval but 1s). */
  klineMs: number
  /** Ticker / miniTicker push interval (Binance: 1000 ms). */
  tickerMs: number
  pingIntervalMs: number
  pongTimeoutMs: number
}

interface DiffBuffer {
  U: number
  u: number
  bids: Map<string, string>
  asks: Map<string, string>
}

type Speed = 'fast' | 'slow'

const STREAM = /^([a-z0-9]+)@(depth(?:5|10|20)?(?:@100ms|@1000ms)?|trade|aggTrade|kline_[0-9]+[smhdwM]|ticker|miniTicker|bookTicker)$/

export class MarketStreams {
  private readonly conns = new Set<Conn>()
  /** stream name → connections subscribed to it */
  private readonly subscribers = new Map<string, Set<Conn>>()
  private readonly subsByConn = new Map<Conn, Set<string>>()
  private readonly combined = new Map<Conn, boolean>()
  private readonly userDetach = new Map<Conn, Map<string, () => void>>()
  private readonly diffs = new Map<string, Record<Speed, DiffBuffer | undefined>>()
  private readonly lastTop = new Map<string, string>()
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    private readonly ctx: ServerContext,
    private readonly userData: UserData,
    private readonly timings: StreamTimings,
  ) {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms)
      t.unref()
      this.timers.push(t)
    }
    every(timings.depthFastMs, () => this.flushDiffs('fast'))
    every(timings.depthSlowMs, () => {
      this.flushDiffs('slow')
      this.pushPartialBooks('@1000ms')
    })
    every(100, () => this.pushPartialBooks('@100ms'))
    every(timings.klineMs, () => this.pushKlines())
    every(timings.tickerMs, () => this.pushTickers())
  }

  close(): void {
    for (const t of this.timers) clearInterval(t)
    for (const c of this.conns) c.terminate()
  }

  dropAll(): void {
    for (const c of this.conns) c.terminate()
  }

  // ---- connections -------------------------------------------------------------------------------------------

  accept(socket: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const conn = new Conn(socket, url.pathname, this.ctx.faults, {
      intervalMs: this.timings.pingIntervalMs,
      timeoutMs: this.timings.pongTimeoutMs,
    })
    this.conns.add(conn)
    this.subsByConn.set(conn, new Set())
    this.log(conn, 'open', url.pathname + url.search)
    conn.onClose(() => {
      this.log(conn, 'close')
      for (const name of this.subsByConn.get(conn) ?? []) this.subscribers.get(name)?.delete(conn)
      for (const detach of this.userDetach.get(conn)?.values() ?? []) detach()
      this.userDetach.delete(conn)
      this.subsByConn.delete(conn)
      this.combined.delete(conn)
      this.conns.delete(conn)
    })

    if (url.pathname === '/ws-api/v3') {
      this.acceptWsApi(conn, req)
      return
    }
    this.combined.set(conn, url.pathname === '/stream')
    const initial =
      url.pathname === '/stream'
        ? (url.searchParams.get('streams') ?? '').split('/').filter((s) => s !== '')
        : url.pathname.startsWith('/ws/')
          ? [decodeURIComponent(url.pathname.slice(4))]
          : []
    // A raw path that is not a stream (ccxt connects to /ws/0, /ws/1, ...) just opens an empty connection.
    for (const name of initial) if (this.validStream(name)) this.subscribe(conn, name)

    socket.on('message', (data) => {
      const text = data.toString()
      let msg: unknown
      try {
        msg = JSON.parse(text)
      } catch {
        this.log(conn, 'message', text)
        conn.send({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null })
        return
      }
      this.log(conn, 'message', msg)
      this.control(conn, msg)
    })
  }

  private control(conn: Conn, msg: unknown): void {
    if (typeof msg !== 'object' || msg === null) {
      conn.send({ error: { code: 2, msg: 'Invalid request: missing field `method`' }, id: null })
      return
    }
    const { method, params, id } = msg as { method?: unknown; params?: unknown; id?: unknown }
    const replyId = typeof id === 'number' || typeof id === 'string' ? id : null
    const list = Array.isArray(params) ? params : []
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const names = list.map(String)
        const bad = names.find((n) => !this.validStream(n))
        if (bad !== undefined) {
          conn.send({ error: { code: 2, msg: `Invalid request: invalid stream ${bad}` }, id: replyId })
          return
        }
        for (const n of names) {
          if (method === 'SUBSCRIBE') this.subscribe(conn, n)
          else this.unsubscribe(conn, n)
        }
        conn.send({ result: null, id: replyId })
        return
      }
      case 'LIST_SUBSCRIPTIONS':
        conn.send({ result: [...(this.subsByConn.get(conn) ?? [])], id: replyId })
        return
      case 'SET_PROPERTY':
        if (list[0] !== 'combined') {
          conn.send({ error: { code: 0, msg: 'Unknown property' }, id: replyId })
          return
        }
        if (typeof list[1] !== 'boolean') {
          conn.send({ error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id: replyId })
          return
        }
        this.combined.set(conn, list[1])
        conn.send({ result: null, id: replyId })
        return
      case 'GET_PROPERTY':
        if (list[0] !== 'combined') {
          conn.send({ error: { code: 0, msg: 'Unknown property' }, id: replyId })
          return
        }
        conn.send({ result: this.combined.get(conn) === true, id: replyId })
        return
      default:
        conn.send({
          error: {
            code: 2,
            msg: `Invalid request: unknown variant ${String(method)}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``,
          },
          id: replyId,
        })
    }
  }

  private validStream(name: string): boolean {
    if (this.userData.listenKeyAccount(name) !== undefined) return true
    const m = STREAM.exec(name)
    if (m === null) return false
    const [, sym, kind] = m
    if (sym === undefined || kind === undefined || !this.ctx.bySymbolId.has(sym.toUpperCase())) return false
    if (kind.startsWith('kline_')) return isTimeframe(kind.slice(6))
    return true
  }

  private subscribe(conn: Conn, name: string): void {
    const subs = this.subsByConn.get(conn)
    if (subs === undefined || subs.has(name)) return
    subs.add(name)
    let set = this.subscribers.get(name)
    if (set === undefined) {
      set = new Set()
      this.subscribers.set(name, set)
    }
    set.add(conn)
    const accountId = this.userData.listenKeyAccount(name)
    if (accountId !== undefined) {
      let detaches = this.userDetach.get(conn)
      if (detaches === undefined) {
        detaches = new Map()
        this.userDetach.set(conn, detaches)
      }
      const detach = this.userData.attachListenKey(
        name,
        { accountId, send: (event) => this.sendTo(conn, name, event) },
        () => this.unsubscribe(conn, name),
      )
      detaches.set(name, detach)
    }
  }

  private unsubscribe(conn: Conn, name: string): void {
    this.subsByConn.get(conn)?.delete(name)
    this.subscribers.get(name)?.delete(conn)
    const detach = this.userDetach.get(conn)?.get(name)
    if (detach !== undefined) {
      detach()
      this.userDetach.get(conn)?.delete(name)
    }
  }

  private sendTo(conn: Conn, stream: string, data: unknown): void {
    conn.send(this.combined.get(conn) === true ? { stream, data } : data)
  }

  private publish(stream: string, data: unknown): void {
    const set = this.subscribers.get(stream)
    if (set === undefined) return
    for (const conn of set) this.sendTo(conn, stream, data)
  }

  private has(stream: string): boolean {
    return (this.subscribers.get(stream)?.size ?? 0) > 0
  }

  private log(conn: Conn, event: 'open' | 'message' | 'close', data?: unknown): void {
    this.ctx.faults.wsMessages.push({ time: Date.now(), connection: conn.id, path: conn.path, event, ...(data === undefined ? {} : { data }) })
  }

  // ---- engine events -----------------------------------------------------------------------------------------

  onEngineEvent(event: SimEvent): void {
    if (event.type === 'book') {
      const id = marketId(this.ctx.engine.market(event.symbol))
      this.ctx.bookSeq.set(id, event.seq)
      let pair = this.diffs.get(id)
      if (pair === undefined) {
        pair = { fast: undefined, slow: undefined }
        this.diffs.set(id, pair)
      }
      for (const speed of ['fast', 'slow'] as const) {
        let buf = pair[speed]
        if (buf === undefined) {
          buf = { U: event.firstSeq, u: event.seq, bids: new Map(), asks: new Map() }
          pair[speed] = buf
        }
        buf.u = event.seq
        for (const [p, q] of event.bids) buf.bids.set(p, q)
        for (const [p, q] of event.asks) buf.asks.set(p, q)
      }
      this.pushBookTicker(id, event.symbol, event.seq)
    } else if (event.type === 'trade') {
      this.pushTrade(event.trade)
    }
  }

  /** Sends the buffered @100ms depth diffs now instead of at the next window (benches pace messages with it). */
  flushFastDiffs(): void {
    this.flushDiffs('fast')
  }

  private flushDiffs(speed: Speed): void {
    const now = this.ctx.now()
    for (const [id, pair] of this.diffs) {
      const buf = pair[speed]
      if (buf === undefined) continue
      pair[speed] = undefined
      const stream = `${id.toLowerCase()}@depth${speed === 'fast' ? '@100ms' : ''}`
      const alias = speed === 'slow' ? `${id.toLowerCase()}@depth@1000ms` : undefined
      if (!this.has(stream) && (alias === undefined || !this.has(alias))) continue
      if (this.ctx.faults.takeSkip(id)) continue
      const msg = {
        e: 'depthUpdate',
        E: now,
        s: id,
        U: buf.U,
        u: buf.u,
        b: levels(buf.bids),
        a: levels(buf.asks),
      }
      this.publish(stream, msg)
      if (alias !== undefined) this.publish(alias, msg)
    }
  }

  private pushPartialBooks(suffix: '@100ms' | '@1000ms'): void {
    for (const spec of this.ctx.bySymbolId.values()) {
      const base = marketId(spec).toLowerCase()
      for (const n of [5, 10, 20]) {
        const names = suffix === '@100ms' ? [`${base}@depth${n}@100ms`] : [`${base}@depth${n}`, `${base}@depth${n}@1000ms`]
        if (!names.some((s) => this.has(s))) continue
        const book = this.ctx.engine.book(spec.symbol, n)
        const msg = {
          lastUpdateId: book.sequence ?? this.ctx.bookSeq.get(marketId(spec)) ?? 0,
          bids: book.bids.map(([p, q]) => [fmt(p), fmt(q)]),
          asks: book.asks.map(([p, q]) => [fmt(p), fmt(q)]),
        }
        for (const s of names) this.publish(s, msg)
      }
    }
  }

  private pushBookTicker(id: string, symbol: string, seq: number): void {
    const stream = `${id.toLowerCase()}@bookTicker`
    if (!this.has(stream)) return
    const book = this.ctx.engine.book(symbol, 1)
    const bid: BookLevel = book.bids[0] ?? ['0', '0']
    const ask: BookLevel = book.asks[0] ?? ['0', '0']
    const key = `${bid[0]}|${bid[1]}|${ask[0]}|${ask[1]}`
    if (this.lastTop.get(id) === key) return
    this.lastTop.set(id, key)
    this.publish(stream, { u: seq, s: id, b: fmt(bid[0]), B: fmt(bid[1]), a: fmt(ask[0]), A: fmt(ask[1]) })
  }

  private pushTrade(trade: PublicTrade): void {
    const id = marketId(this.ctx.engine.market(trade.symbol))
    const tradeId = this.ctx.tradeIds.id(trade.id)
    const base = id.toLowerCase()
    const now = this.ctx.now()
    if (this.has(`${base}@trade`)) {
      this.publish(`${base}@trade`, {
        e: 'trade',
        E: now,
        s: id,
        t: tradeId,
        p: fmt(trade.price),
        q: fmt(trade.amount),
        T: trade.timestamp,
        m: trade.side === 'sell',
        M: true,
      })
    }
    if (this.has(`${base}@aggTrade`)) {
      this.publish(`${base}@aggTrade`, {
        e: 'aggTrade',
        E: now,
        s: id,
        a: tradeId,
        p: fmt(trade.price),
        q: fmt(trade.amount),
        f: tradeId,
        l: tradeId,
        T: trade.timestamp,
        m: trade.side === 'sell',
        M: true,
      })
    }
  }

  private pushKlines(): void {
    const now = this.ctx.now()
    for (const [stream, set] of this.subscribers) {
      if (set.size === 0) continue
      const m = /^([a-z0-9]+)@kline_(.+)$/.exec(stream)
      if (m === null || m[1] === undefined || m[2] === undefined || !isTimeframe(m[2])) continue
      const spec = this.ctx.bySymbolId.get(m[1].toUpperCase())
      if (spec === undefined) continue
      const tf: Timeframe = m[2]
      const candle = this.ctx.engine.candles(spec.symbol, tf, { limit: 1 }).at(-1)
      if (candle === undefined) continue
      this.publish(stream, klineEvent(candle, marketId(spec), tf, now))
    }
  }

  private pushTickers(): void {
    const now = this.ctx.now()
    for (const spec of this.ctx.bySymbolId.values()) {
      const base = marketId(spec).toLowerCase()
      const full = this.has(`${base}@ticker`)
      const mini = this.has(`${base}@miniTicker`)
      if (!full && !mini) continue
      const s = this.ctx.tickerStats(spec)
      if (full) this.publish(`${base}@ticker`, tickerEvent(s, now))
      if (mini) {
        this.publish(`${base}@miniTicker`, {
          e: '24hrMiniTicker',
          E: now,
          s: s.symbol,
          c: s.lastPrice,
          o: s.openPrice,
          h: s.highPrice,
          l: s.lowPrice,
          v: s.volume,
          q: s.quoteVolume,
        })
      }
    }
  }

  // ---- WebSocket API (/ws-api/v3): user data stream subscription ----------------------------------------------

  private acceptWsApi(conn: Conn, req: IncomingMessage): void {
    const ip = req.socket.remoteAddress ?? '127.0.0.1'
    const subscriptions = new Map<number, () => void>()
    let nextSubscriptionId = 0
    conn.onClose(() => {
      for (const detach of subscriptions.values()) detach()
    })
    conn.socket.on('message', (data) => {
      let msg: { id?: unknown; method?: unknown; params?: unknown }
      try {
        msg = JSON.parse(data.toString()) as typeof msg
      } catch {
        conn.send({ id: null, status: 400, error: { code: -1135, msg: 'Invalid JSON Request' } })
        return
      }
      this.log(conn, 'message', msg)
      const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : null
      const params = typeof msg.params === 'object' && msg.params !== null ? (msg.params as Record<string, unknown>) : {}
      const reply = (result: unknown) => conn.send({ id, status: 200, result, rateLimits: [] })
      try {
        switch (msg.method) {
          case 'ping':
            reply({})
            return
          case 'time':
            reply({ serverTime: this.ctx.now() })
            return
          case 'userDataStream.subscribe.signature': {
            const account = this.ctx.auth.wsSigned(params, ip)
            const subscriptionId = nextSubscriptionId++
            const detach = this.userData.addSink({
              accountId: account.accountId,
              send: (event) => conn.send({ subscriptionId, event }),
            })
            subscriptions.set(subscriptionId, detach)
            reply({ subscriptionId })
            return
          }
          case 'userDataStream.unsubscribe': {
            const sid = params['subscriptionId']
            if (sid === undefined) {
              for (const d of subscriptions.values()) d()
              subscriptions.clear()
            } else {
              const d = subscriptions.get(Number(sid))
              if (d === undefined) throw new BinanceApiError(400, -2, 'Not subscribed to user data stream.')
              d()
              subscriptions.delete(Number(sid))
            }
            reply({})
            return
          }
          default:
            throw new BinanceApiError(400, -1020, 'This operation is not supported.')
        }
      } catch (e) {
        if (!(e instanceof BinanceApiError)) throw e
        conn.send({ id, status: e.status, error: { code: e.code, msg: e.message }, rateLimits: [] })
      }
    })
  }
}

function levels(m: Map<string, string>): [string, string][] {
  return [...m].map(([p, q]) => [fmt(p), fmt(q)])
}

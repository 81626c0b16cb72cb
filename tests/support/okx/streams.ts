import type { IncomingMessage } from 'node:http'
import Decimal from 'decimal.js'
import type { WebSocket } from 'ws'
import type { SimEvent, SimMarketSpec, SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { Fill, Timeframe } from '../../../src-main/venues/port'
import type { ServerContext } from './context'
import { BARS, bookChecksum, candle, fillFields, instIdOf, level, NO_FILL, num } from './format'
import { Conn } from './ws-conn'

// OKX v5 WebSocket: /ws/v5/public (books, books5, trades, tickers), /ws/v5/business (candle<bar>) and
// /ws/v5/private (login, orders). Requests are {"op":"subscribe"|"unsubscribe"|"login","args":[…]}; the
// text "ping" is answered "pong". `books` sends a snapshot (prevSeqId -1) and then, every `booksMs`, the
// levels that changed, with prevSeqId = the previous message's seqId, seqId = the engine's update id and the
// CRC32 checksum of the top 25 levels after the update.

export interface StreamTimings {
  /** `books` update cadence (OKX: 100 ms). */
  booksMs: number
  /** `tickers` cadence (OKX: 100 ms, when something changed). */
  tickersMs: number
  /** `candle<bar>` cadence (OKX: 500 ms). */
  candleMs: number
}

interface PendingBook {
  firstSeq: number
  seq: number
  ts: number
  bids: Map<string, string>
  asks: Map<string, string>
}

type Arg = Record<string, string>

const PUBLIC_CHANNELS = new Set(['books', 'books5', 'trades', 'tickers'])

export class Streams {
  private readonly conns = new Set<Conn>()
  private readonly pendingBooks = new Map<string, PendingBook>()
  private readonly pendingFills = new Map<string, Fill>()
  private readonly lastSent = new WeakMap<Conn, Map<string, string>>()
  /** `books` updates sent (to at least one subscriber), by instId. */
  private readonly bookUpdatesSent = new Map<string, number>()
  private bookTimer: NodeJS.Timeout | undefined
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    private readonly ctx: ServerContext,
    private readonly timings: StreamTimings,
  ) {
    this.timers.push(setInterval(() => this.pushTickers(), timings.tickersMs), setInterval(() => this.pushCandles(), timings.candleMs))
    for (const t of this.timers) t.unref()
    ctx.onSynthetic((accountId, order) => this.pushOrder(accountId, order, undefined))
  }

  accept(socket: WebSocket, req: IncomingMessage): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const kind = path.slice('/ws/v5/'.length)
    const conn = new Conn(socket, kind, path, this.ctx.faults)
    this.conns.add(conn)
    this.lastSent.set(conn, new Map())
    const log = this.ctx.faults.wsMessages
    log.push({ time: Date.now(), connection: conn.id, path, event: 'open' })
    conn.onClose(() => {
      this.conns.delete(conn)
      log.push({ time: Date.now(), connection: conn.id, path, event: 'close' })
    })
    socket.on('message', (raw) => {
      const text = String(raw)
      let data: unknown = text
      try {
        data = JSON.parse(text)
      } catch {
        // "ping" and garbage stay text
      }
      log.push({ time: Date.now(), connection: conn.id, path, event: 'message', data })
      this.onMessage(conn, text, data)
    })
  }

  /** How many logged-in private connections of the account have a spot `orders` subscription in place now. */
  orderSubscriptions(accountId: string): number {
    let n = 0
    for (const conn of this.conns) {
      if (conn.kind !== 'private' || conn.accountId !== accountId) continue
      if ([...conn.subscriptions.values()].some((arg) => arg['channel'] === 'orders' && (arg['instType'] === 'ANY' || arg['instType'] === 'SPOT'))) n++
    }
    return n
  }

  /** How many `books` updates of the market have gone out to its subscribers (a skipped one does not count). */
  bookUpdates(instId: string): number {
    return this.bookUpdatesSent.get(instId) ?? 0
  }

  dropAll(): void {
    for (const c of this.conns) c.terminate()
  }

  close(): void {
    if (this.bookTimer !== undefined) clearTimeout(this.bookTimer)
    for (const t of this.timers) clearInterval(t)
    this.dropAll()
  }

  // ---- client messages ------------------------------------------------------------------------------------

  private onMessage(conn: Conn, text: string, data: unknown): void {
    if (text === 'ping') {
      conn.send('pong')
      return
    }
    const msg = (typeof data === 'object' && data !== null ? data : undefined) as { op?: unknown; args?: unknown; id?: unknown } | undefined
    const error = (code: string, m: string) => conn.send({ event: 'error', msg: m, code, connId: conn.connId })
    if (msg === undefined) {
      error('60012', `Illegal request: ${text}`)
      return
    }
    const args = Array.isArray(msg.args) ? (msg.args as unknown[]) : undefined
    if (msg.op === 'login') {
      const result = this.ctx.auth.login(args?.[0])
      if ('code' in result) {
        error(result.code, result.msg)
        return
      }
      conn.accountId = result.account.accountId
      conn.send({ event: 'login', msg: '', code: '0', connId: conn.connId })
      return
    }
    if (msg.op !== 'subscribe' && msg.op !== 'unsubscribe') {
      error('60019', `Invalid op: op:${String(msg.op)}`)
      return
    }
    if (args === undefined || args.length === 0) {
      error('60013', 'Invalid args')
      return
    }
    for (const a of args) {
      if (typeof a !== 'object' || a === null) {
        error('60013', 'Invalid args')
        continue
      }
      const arg = Object.fromEntries(Object.entries(a as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
      if (msg.op === 'subscribe') this.subscribe(conn, arg, error)
      else {
        conn.subscriptions.delete(subKey(arg))
        conn.send({ event: 'unsubscribe', arg, connId: conn.connId })
      }
    }
  }

  private subscribe(conn: Conn, arg: Arg, error: (code: string, msg: string) => void): void {
    const channel = arg['channel'] ?? ''
    const instId = arg['instId']
    const wrong = () => error('60018', `Wrong URL or channel:${channel},instId:${instId ?? ''} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`)
    let spec: SimMarketSpec | undefined
    if (channel === 'orders') {
      if (conn.kind !== 'private') return wrong()
      if (conn.accountId === undefined) return error('60011', 'Please log in')
      const instType = arg['instType']
      if (instType !== 'ANY' && instType !== 'SPOT' && instType !== 'MARGIN' && instType !== 'SWAP' && instType !== 'FUTURES' && instType !== 'OPTION') return wrong()
      if (instId !== undefined && !this.ctx.byInstId.has(instId)) return wrong()
    } else {
      const business = channel.startsWith('candle') && BARS[channel.slice('candle'.length)] !== undefined
      if (business ? conn.kind !== 'business' : !PUBLIC_CHANNELS.has(channel) || conn.kind !== 'public') return wrong()
      spec = instId === undefined ? undefined : this.ctx.byInstId.get(instId)
      if (spec === undefined) return wrong()
    }
    if (channel === 'books' && spec !== undefined) {
      // Everything the engine did so far goes out to the other subscribers first, so the snapshot's seqId is
      // where the next update continues from; this connection's first message on the channel is the snapshot.
      conn.subscriptions.delete(subKey(arg))
      this.flushBook(instIdOf(spec))
    }
    conn.subscriptions.set(subKey(arg), arg)
    conn.send({ event: 'subscribe', arg, connId: conn.connId })
    if (spec === undefined) return
    if (channel === 'books') {
      const book = this.ctx.engine.book(spec.symbol, 400)
      const bids = book.bids.map(level)
      const asks = book.asks.map(level)
      conn.send({
        arg,
        action: 'snapshot',
        data: [{ asks, bids, ts: String(book.timestamp || this.ctx.now()), checksum: bookChecksum(bids, asks), prevSeqId: -1, seqId: book.sequence ?? 0 }],
      })
    } else if (channel === 'books5') this.sendBooks5(conn, arg, spec)
    else if (channel === 'tickers') this.sendTicker(conn, arg, spec, true)
    else if (channel.startsWith('candle')) this.sendCandle(conn, arg, spec, true)
  }

  // ---- engine events --------------------------------------------------------------------------------------

  onEngineEvent(event: SimEvent): void {
    switch (event.type) {
      case 'book': {
        const instId = instIdOf(this.ctx.engine.market(event.symbol))
        let p = this.pendingBooks.get(instId)
        if (p === undefined) {
          p = { firstSeq: event.firstSeq, seq: event.seq, ts: event.timestamp, bids: new Map(), asks: new Map() }
          this.pendingBooks.set(instId, p)
        }
        p.seq = event.seq
        p.ts = event.timestamp
        for (const [px, sz] of event.bids) p.bids.set(num(px), num(sz))
        for (const [px, sz] of event.asks) p.asks.set(num(px), num(sz))
        if (this.bookTimer === undefined) {
          this.bookTimer = setTimeout(() => {
            this.bookTimer = undefined
            for (const id of [...this.pendingBooks.keys()]) this.flushBook(id)
          }, this.timings.booksMs)
        }
        break
      }
      case 'trade': {
        const spec = this.ctx.engine.market(event.trade.symbol)
        const instId = instIdOf(spec)
        const t = event.trade
        const data = [{ instId, tradeId: t.id, px: num(t.price), sz: num(t.amount), side: t.side, ts: String(t.timestamp), count: '1', source: '0' }]
        for (const [conn, arg] of this.subscribers('trades', instId)) conn.send({ arg, data })
        break
      }
      case 'fill':
        this.pendingFills.set(`${event.accountId}|${event.fill.venueOrderId}`, event.fill)
        break
      case 'order': {
        const key = `${event.accountId}|${event.order.venueOrderId}`
        const fill = this.pendingFills.get(key)
        this.pendingFills.delete(key)
        this.pushOrder(event.accountId, event.order, fill)
        break
      }
      default:
        break
    }
  }

  /** Sends the market's pending `books` update (and `books5`) to its subscribers. */
  private flushBook(instId: string): void {
    const p = this.pendingBooks.get(instId)
    if (p === undefined) return
    this.pendingBooks.delete(instId)
    const spec = this.ctx.spec(instId)
    const books = this.subscribers('books', instId)
    if (books.length > 0 && !this.ctx.faults.takeSkip(instId)) {
      const top = this.ctx.engine.book(spec.symbol, 25)
      let checksum = bookChecksum(top.bids.map(level), top.asks.map(level))
      if (this.ctx.faults.takeCorruption(instId)) checksum = (checksum + 1) | 0
      const side = (m: Map<string, string>, desc: boolean) =>
        [...m.entries()]
          .sort(([a], [b]) => (desc ? new Decimal(b).cmp(a) : new Decimal(a).cmp(b)))
          .map(([px, sz]) => [px, sz, '0', sz === '0' ? '0' : '1'])
      const data = [{ asks: side(p.asks, false), bids: side(p.bids, true), ts: String(p.ts), checksum, prevSeqId: p.firstSeq - 1, seqId: p.seq }]
      for (const [conn, arg] of books) conn.send({ arg, action: 'update', data })
      this.bookUpdatesSent.set(instId, (this.bookUpdatesSent.get(instId) ?? 0) + 1)
    }
    for (const [conn, arg] of this.subscribers('books5', instId)) this.sendBooks5(conn, arg, spec)
  }

  private sendBooks5(conn: Conn, arg: Arg, spec: SimMarketSpec): void {
    const book = this.ctx.engine.book(spec.symbol, 5)
    conn.send({ arg, data: [{ asks: book.asks.map(level), bids: book.bids.map(level), instId: instIdOf(spec), ts: String(book.timestamp || this.ctx.now()), seqId: book.sequence ?? 0 }] })
  }

  private pushOrder(accountId: string, order: SimOrder, fill: Fill | undefined): void {
    const instId = instIdOf(this.ctx.engine.market(order.symbol))
    let data: unknown[] | undefined
    for (const conn of this.conns) {
      if (conn.kind !== 'private' || conn.accountId !== accountId) continue
      for (const arg of conn.subscriptions.values()) {
        if (arg['channel'] !== 'orders' || (arg['instType'] !== 'ANY' && arg['instType'] !== 'SPOT')) continue
        if (arg['instId'] !== undefined && arg['instId'] !== instId) continue
        data ??= [this.ctx.formatOrder(accountId, order, fill === undefined ? NO_FILL : fillFields(fill))]
        conn.send({ arg: { ...arg, uid: accountId }, data })
      }
    }
  }

  // ---- periodic channels ----------------------------------------------------------------------------------

  private pushTickers(): void {
    for (const conn of this.conns) {
      for (const arg of conn.subscriptions.values()) {
        if (arg['channel'] !== 'tickers') continue
        const spec = this.ctx.byInstId.get(arg['instId'] ?? '')
        if (spec !== undefined) this.sendTicker(conn, arg, spec, false)
      }
    }
  }

  private sendTicker(conn: Conn, arg: Arg, spec: SimMarketSpec, always: boolean): void {
    const ticker = this.ctx.ticker(spec)
    const { ts: _ts, ...content } = ticker
    if (this.changed(conn, `tickers|${ticker['instId']}`, JSON.stringify(content)) || always) conn.send({ arg, data: [ticker] })
  }

  private pushCandles(): void {
    for (const conn of this.conns) {
      for (const arg of conn.subscriptions.values()) {
        if (!(arg['channel'] ?? '').startsWith('candle')) continue
        const spec = this.ctx.byInstId.get(arg['instId'] ?? '')
        if (spec !== undefined) this.sendCandle(conn, arg, spec, false)
      }
    }
  }

  private sendCandle(conn: Conn, arg: Arg, spec: SimMarketSpec, always: boolean): void {
    const channel = arg['channel'] ?? ''
    const timeframe = BARS[channel.slice('candle'.length)] as Timeframe
    const last = this.ctx.engine.candles(spec.symbol, timeframe).at(-1)
    if (last === undefined) return
    const row = candle(last, timeframe, this.ctx.now())
    if (this.changed(conn, `${channel}|${arg['instId']}`, row.join(',')) || always) conn.send({ arg, data: [row] })
  }

  private changed(conn: Conn, key: string, value: string): boolean {
    const sent = this.lastSent.get(conn)
    if (sent === undefined || sent.get(key) === value) return false
    sent.set(key, value)
    return true
  }

  private subscribers(channel: string, instId: string): [Conn, Arg][] {
    const out: [Conn, Arg][] = []
    for (const conn of this.conns) {
      const arg = conn.subscriptions.get(`${channel}|${instId}`)
      if (arg !== undefined) out.push([conn, arg])
    }
    return out
  }
}

function subKey(arg: Arg): string {
  const channel = arg['channel'] ?? ''
  if (arg['instId'] !== undefined) return `${channel}|${arg['instId']}`
  return `${channel}|type:${arg['instType'] ?? ''}`
}

import { randomBytes } from 'node:crypto'
import Decimal from 'decimal.js'
import type { Balance, Fill } from '../../../src-main/venues/port'
import type { SimEvent, SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import { binanceTif, fmt, marketId, orderType, type BinanceOrderStatus } from './format'
import { err } from './http'

// User data streams. Two ways in, as on Binance spot:
//  - listenKey (POST /api/v3/userDataStream, then /ws/<listenKey> or /stream?streams=<listenKey>): raw events;
//  - WebSocket API (/ws-api/v3, userDataStream.subscribe.signature): events wrapped as {subscriptionId, event}.
//    ccxt.pro's binance uses this one for spot watchOrders/watchMyTrades/watchBalance.
// Engine events of one synchronous engine call are collected and turned into Binance's sequence at the next
// microtask: executionReport NEW, one executionReport TRADE per fill (cumulative z/Z), CANCELED/EXPIRED when
// the order ends that way, then outboundAccountPosition for the balances that changed.

export interface UserSink {
  accountId: string
  send(event: Record<string, unknown>): void
}

interface ListenKey {
  accountId: string
  expiresAt: number
}

const LISTEN_KEY_TTL_MS = 60 * 60_000

type AccountEvent = Extract<SimEvent, { type: 'order' | 'fill' | 'balance' }>

export class UserData {
  private readonly listenKeys = new Map<string, ListenKey>()
  private readonly sinks = new Set<UserSink>()
  private readonly pending = new Map<string, AccountEvent[]>()
  /** Orders whose NEW report went out and that are still open (forgotten once they end). */
  private readonly reported = new Set<string>()
  private flushScheduled = false
  private readonly listenKeyClosers = new Map<string, Set<() => void>>()

  constructor(private readonly ctx: ServerContext) {
    ctx.onSynthetic((accountId, order) => this.synthetic(accountId, order))
  }

  // ---- listen keys ----------------------------------------------------------------------------------------

  createListenKey(accountId: string): string {
    const now = this.ctx.now()
    for (const [key, lk] of this.listenKeys) {
      if (lk.accountId === accountId && lk.expiresAt > now) {
        lk.expiresAt = now + LISTEN_KEY_TTL_MS
        return key
      }
    }
    const key = randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 60).padEnd(60, 'x')
    this.listenKeys.set(key, { accountId, expiresAt: now + LISTEN_KEY_TTL_MS })
    return key
  }

  keepAlive(key: string, accountId: string): void {
    const lk = this.live(key)
    if (lk === undefined || lk.accountId !== accountId) throw err.badRequest(-1125, 'This listenKey does not exist.')
    lk.expiresAt = this.ctx.now() + LISTEN_KEY_TTL_MS
  }

  closeListenKey(key: string, accountId: string): void {
    const lk = this.live(key)
    if (lk === undefined || lk.accountId !== accountId) throw err.badRequest(-1125, 'This listenKey does not exist.')
    this.listenKeys.delete(key)
    for (const close of this.listenKeyClosers.get(key) ?? []) close()
    this.listenKeyClosers.delete(key)
  }

  /** The account behind a live listen key, if `name` is one. */
  listenKeyAccount(name: string): string | undefined {
    return this.live(name)?.accountId
  }

  /**
   * Attaches a sink for a listen key. When the key is closed the sink gets listenKeyExpired and `onExpired`
   * runs (the stream layer drops the subscription).
   */
  attachListenKey(key: string, sink: UserSink, onExpired: () => void): () => void {
    const detach = this.addSink(sink)
    let closers = this.listenKeyClosers.get(key)
    if (closers === undefined) {
      closers = new Set()
      this.listenKeyClosers.set(key, closers)
    }
    const closer = () => {
      sink.send({ e: 'listenKeyExpired', E: this.ctx.now(), listenKey: key })
      detach()
      onExpired()
    }
    closers.add(closer)
    return () => {
      detach()
      closers.delete(closer)
    }
  }

  /** How many live subscriptions (WebSocket API or listen-key stream) the account's events go to now. */
  sinkCount(accountId: string): number {
    let n = 0
    for (const sink of this.sinks) if (sink.accountId === accountId) n++
    return n
  }

  addSink(sink: UserSink): () => void {
    this.sinks.add(sink)
    return () => {
      this.sinks.delete(sink)
    }
  }

  private live(key: string): ListenKey | undefined {
    const lk = this.listenKeys.get(key)
    if (lk === undefined) return undefined
    if (lk.expiresAt <= this.ctx.now()) {
      this.listenKeys.delete(key)
      return undefined
    }
    return lk
  }

  // ---- engine events → Binance events -------------------------------------------------------------------------

  onEngineEvent(event: SimEvent): void {
    if (event.type !== 'order' && event.type !== 'fill' && event.type !== 'balance') return
    let list = this.pending.get(event.accountId)
    if (list === undefined) {
      list = []
      this.pending.set(event.accountId, list)
    }
    list.push(event)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      queueMicrotask(() => this.flush())
    }
  }

  private synthetic(accountId: string, order: SimOrder): void {
    this.onEngineEvent({ type: 'order', accountId, order })
  }

  private flush(): void {
    this.flushScheduled = false
    const batches = [...this.pending]
    this.pending.clear()
    for (const [accountId, events] of batches) {
      for (const event of this.translate(accountId, events)) this.deliver(accountId, event)
    }
  }

  private deliver(accountId: string, event: Record<string, unknown>): void {
    for (const sink of this.sinks) if (sink.accountId === accountId) sink.send(event)
  }

  private translate(accountId: string, events: AccountEvent[]): Record<string, unknown>[] {
    const groups = new Map<string, { order?: SimOrder; fills: Fill[]; symbol: string }>()
    const balances: { balances: Balance[]; timestamp: number }[] = []
    for (const e of events) {
      if (e.type === 'balance') {
        balances.push({ balances: e.balances, timestamp: e.timestamp })
        continue
      }
      const venueOrderId = e.type === 'order' ? e.order.venueOrderId : e.fill.venueOrderId
      const symbol = e.type === 'order' ? e.order.symbol : e.fill.symbol
      let g = groups.get(venueOrderId)
      if (g === undefined) {
        g = { fills: [], symbol }
        groups.set(venueOrderId, g)
      }
      if (e.type === 'order') g.order = e.order
      else g.fills.push(e.fill)
    }

    const out: Record<string, unknown>[] = []
    for (const [venueOrderId, g] of groups) {
      const order =
        g.order ?? (this.ctx.engine.hasAccount(accountId) ? this.ctx.engine.getOrder(accountId, g.symbol, { venueOrderId }) : undefined)
      if (order === undefined) continue
      let filled = new Decimal(order.filled)
      let cost = new Decimal(order.cost)
      for (const f of g.fills) {
        filled = filled.minus(f.amount)
        cost = cost.minus(new Decimal(f.price).times(f.amount))
      }
      if (filled.isNegative()) filled = new Decimal(0)
      if (cost.isNegative()) cost = new Decimal(0)

      if (!this.reported.has(venueOrderId)) {
        this.reported.add(venueOrderId)
        out.push(this.report(order, { x: 'NEW', X: 'NEW', filled, cost, onBook: order.type === 'limit' }))
      }
      const amount = new Decimal(order.amount)
      for (const f of g.fills) {
        filled = filled.plus(f.amount)
        cost = cost.plus(new Decimal(f.price).times(f.amount))
        const status: BinanceOrderStatus = filled.gte(amount) ? 'FILLED' : 'PARTIALLY_FILLED'
        out.push(
          this.report(order, {
            x: 'TRADE',
            X: status,
            filled,
            cost,
            fill: f,
            onBook: order.type === 'limit' && status !== 'FILLED' && order.status === 'open',
          }),
        )
      }
      const ending = { canceled: 'CANCELED', expired: 'EXPIRED', rejected: 'REJECTED' } as const
      if (order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected') {
        const s = ending[order.status]
        out.push(this.report(order, { x: s, X: s, filled, cost, onBook: false }))
      }
      if (order.status !== 'open') this.reported.delete(venueOrderId)
    }
    for (const b of balances) {
      out.push({
        e: 'outboundAccountPosition',
        E: this.ctx.now(),
        u: b.timestamp,
        B: b.balances.map((x) => ({ a: x.asset, f: fmt(x.free), l: fmt(x.used) })),
      })
    }
    return out
  }

  private report(
    order: SimOrder,
    r: { x: string; X: BinanceOrderStatus; filled: Decimal; cost: Decimal; fill?: Fill; onBook: boolean },
  ): Record<string, unknown> {
    const spec = this.ctx.engine.market(order.symbol)
    const f = r.fill
    const canceled = r.x === 'CANCELED'
    const now = this.ctx.now()
    return this.ctx.stops.report(order, {
      e: 'executionReport',
      E: now,
      s: marketId(spec),
      // On a cancel Binance puts the cancel request's id in c and the order's own id in C.
      c: canceled ? `web_${randomBytes(8).toString('hex')}` : order.clientOrderId,
      S: order.side.toUpperCase(),
      o: orderType(order),
      f: binanceTif(order),
      q: fmt(order.amount),
      p: fmt(order.price ?? '0'),
      P: fmt('0'),
      F: fmt('0'),
      g: -1,
      C: canceled ? order.clientOrderId : '',
      x: r.x,
      X: r.X,
      r: 'NONE',
      i: this.ctx.orderIds.id(order.venueOrderId),
      l: fmt(f?.amount ?? '0'),
      z: fmt(r.filled),
      L: fmt(f?.price ?? '0'),
      n: fmt(f?.fee.amount ?? '0'),
      N: f?.fee.asset ?? null,
      T: f?.timestamp ?? (r.x === 'NEW' ? order.createdAt : order.updatedAt),
      t: f === undefined ? -1 : this.ctx.tradeIds.id(f.tradeId),
      I: 0,
      w: r.onBook,
      m: f?.liquidity === 'maker',
      M: false,
      O: order.createdAt,
      Z: fmt(r.cost),
      Y: fmt(f === undefined ? '0' : new Decimal(f.price).times(f.amount)),
      Q: fmt('0'),
      W: order.createdAt,
      V: 'EXPIRE_MAKER',
    })
  }
}

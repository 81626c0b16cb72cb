import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import { terminalOrderStatuses, type ConditionalCreate, type ConditionalKind, type ConditionalLiveFigure, type ConditionalView } from '../../api/schemas/trading'
import { nativeStopKinds, type MarketInfo, type OrderTrigger } from '../../venues/port'
import { nativeRefusal, noNativeSupport, type NativeSupport } from '../../venues/native-support'
import type { MarketTick, OrderGateway, OrderIntent, OrderRecord, TickSource } from '../model'
import { IdSource } from './ids'
import type { StoredLeg } from './legs'
import { isLimitKind } from './semantics'
import type { ConditionalStore, LegsKey } from './store'
import { KEY_REUSED } from '../idempotency'
import { checkLeg } from './validate'
import { liveFiguresOf, viewOf, type LiveFigures } from './views'

// Conditional orders placed "on exchange": the venue itself holds a stop-loss or take-profit order (Binance
// spot: STOP_LOSS / STOP_LOSS_LIMIT / TAKE_PROFIT / TAKE_PROFIT_LIMIT) and triggers it on its last trade
// price, whether this app runs or not. The engine only keeps the leg (a row of conditional_orders with
// placement 'exchange') and follows the leg's order, which goes out through the order gateway like any
// other (risk checks, client id written before it is sent — here on the leg too —, reconciliation at start):
//   armed      its order is on the exchange, untriggered (or being placed)
//   triggered  its order has started to fill
//   done       filled;  canceled  canceled or expired on the exchange;  failed  refused or lost
//   left-on-exchange  its account was removed: the order may still be live there, out of the app's reach
// Cancel cancels the order on the exchange; the leg ends when the venue confirms it. The kill switch
// cancels every open order, these included. What cannot be native (the venue has no such order through
// ccxt here): trailing stops, OCO and brackets (the contract takes 'exchange' for single orders only), and
// triggers other than the last trade price. They are refused with a specific message; "in app" holds them.
//
// Wiring: engine.ts builds one with its store, starts it with the stored legs whose placement is
// 'exchange', delegates create / cancel of those legs and merges their views into its active list.

export interface NativeDeps {
  store: ConditionalStore
  bus: EventBus
  log: Logger
  now: () => number
  gateway: OrderGateway
  ticks: TickSource
  labelOf: (venueId: string) => string
  /** Which native stop orders the venue takes (true: all, false: none). */
  nativeStops: (venueId: string) => boolean | NativeSupport
  every: (ms: number, fn: () => void) => () => void
}

type SingleCreate = Extract<ConditionalCreate, { type: 'single' }>

const LIVE_EVERY_MS = 250
const TERMINAL = new Set<string>(terminalOrderStatuses)

/** The native order a leg kind becomes: a stop-loss or a take-profit trigger (market or limit order). */
export function triggerKindOf(kind: ConditionalKind): OrderTrigger['kind'] | null {
  if (kind === 'stop-market' || kind === 'stop-limit') return 'stop-loss'
  if (kind === 'take-profit-market' || kind === 'take-profit-limit') return 'take-profit'
  return null
}

/** Why this single order cannot be held on the venue (AppError BAD_INPUT), or nothing when it can. */
export function refuseNative(input: SingleCreate, label: string, venueHolds: boolean | NativeSupport): void {
  const support = venueHolds === true ? { kinds: nativeStopKinds, note: null } : venueHolds === false ? noNativeSupport : venueHolds
  if (support.kinds.length === 0) throw new AppError('BAD_INPUT', nativeRefusal(label, 'stop-market', support) as string)
  if (input.leg.kind === 'trailing-stop') {
    throw new AppError('BAD_INPUT', `A trailing stop cannot be placed on ${label} from this app (only stop and take-profit orders can); choose in app`)
  }
  const refusal = nativeRefusal(label, input.leg.kind, support)
  if (refusal !== null) throw new AppError('BAD_INPUT', refusal)
  if (input.leg.trigger !== 'last') {
    throw new AppError('BAD_INPUT', `${label} triggers its stop orders on the last trade price: choose the trigger "last", or in app to trigger on the ${input.leg.trigger}`)
  }
}

interface MarketWatch {
  stop: () => void
  last: string | null
  moved: boolean
  legs: number
}

export class NativeLegs {
  /** Active native legs by id. */
  private readonly legs = new Map<string, StoredLeg>()
  /** The same legs by their order's client id. */
  private readonly byOrder = new Map<string, StoredLeg>()
  /** Legs being created: their order's updates wait for the gateway's answer (a refusal leaves no leg). */
  private readonly creating = new Set<string>()
  /** Legs whose cancel the user asked for (the leg ends when the venue confirms). */
  private readonly canceling = new Set<string>()
  private readonly markets = new Map<string, MarketWatch>()
  private readonly offs: (() => void)[] = []
  private readonly ids = new IdSource()
  private running = false

  constructor(private readonly deps: NativeDeps) {}

  /** Follows the stored native legs (their orders are the gateway's; start it first). */
  start(stored: readonly StoredLeg[]): void {
    if (this.running) return
    this.running = true
    const { bus } = this.deps
    this.offs.push(
      bus.on('orderChanged', (e) => this.onOrder(e.order)),
      bus.on('orderFilled', (e) => {
        if (e.order !== null) this.onOrder(e.order)
      }),
      this.deps.every(LIVE_EVERY_MS, () => this.flushLive()),
    )
    for (const leg of stored) {
      if (leg.status !== 'armed' && leg.status !== 'waiting' && leg.status !== 'triggered') continue
      this.follow({ ...leg })
    }
    for (const leg of [...this.legs.values()]) {
      const id = leg.clientOrderId as string
      const rec = this.deps.gateway.get(id)
      if (rec !== undefined) this.apply(leg, rec)
      else {
        // Written, never handed to the gateway (the app stopped in between): send it now, same client id.
        this.deps.log.warn('conditional order on exchange was stored but its order never sent: sending it now', { id: leg.id, clientOrderId: id })
        void this.send(leg).catch((err: unknown) => this.refused(leg, err))
      }
    }
  }

  stop(): void {
    if (!this.running) return
    this.running = false
    for (const off of this.offs.splice(0)) off()
    for (const m of this.markets.values()) m.stop()
    this.markets.clear()
    this.legs.clear()
    this.byOrder.clear()
    this.canceling.clear()
    this.creating.clear()
  }

  has(id: string): boolean {
    return this.legs.has(id)
  }

  /**
   * Stores the leg (with its order's client id), then places its order through the gateway. A refusal
   * (risk, the venue) removes the leg and rejects; a venue that does not answer leaves the leg following its
   * order (the gateway settles it when the venue answers).
   */
  async create(input: SingleCreate, info: MarketInfo, keyed?: LegsKey): Promise<ConditionalView[]> {
    const label = this.deps.labelOf(input.venueId)
    checkLeg(input.leg, info)
    refuseNative(input, label, this.deps.nativeStops(input.venueId))
    const l = input.leg
    if (l.kind === 'trailing-stop') throw new Error('unreachable: refused above')
    const now = this.deps.now()
    const leg: StoredLeg = {
      id: this.ids.legId(),
      groupId: null,
      groupType: 'single',
      venueId: input.venueId,
      symbol: input.symbol,
      kind: l.kind,
      side: l.side,
      amount: new Decimal(l.amount).toFixed(),
      trigger: l.trigger,
      placement: 'exchange',
      triggerPrice: new Decimal(l.triggerPrice).toFixed(),
      limitPrice: l.kind === 'stop-limit' || l.kind === 'take-profit-limit' ? new Decimal(l.limitPrice).toFixed() : null,
      trailing: null,
      status: 'armed',
      reason: `being placed on ${label}`,
      cancelCause: null,
      heldUntil: null,
      // Written with the leg, before the order is sent: a restart finds the order by it.
      clientOrderId: this.ids.clientOrderId(now),
      filled: null,
      entryClientOrderId: null,
      entryFilled: null,
      createdAt: now,
      updatedAt: now,
    }
    if (!this.deps.store.insert([leg], keyed)) throw new AppError('CONFLICT', KEY_REUSED)
    this.follow(leg)
    let rec: OrderRecord
    this.creating.add(leg.id)
    try {
      rec = await this.send(leg)
    } catch (err) {
      this.creating.delete(leg.id)
      const known = this.deps.gateway.get(leg.clientOrderId as string)
      if (known === undefined || known.status === 'rejected') {
        // Refused: nothing is on the venue, so nothing stays here either.
        this.forget(leg)
        this.deps.store.delete([leg.id])
        throw err
      }
      // It may be on the venue: keep following it.
      this.apply(leg, known)
      this.setReason(leg, `sent to ${label}, no answer yet: ${messageOf(err)}`)
      return [this.view(leg)]
    }
    this.creating.delete(leg.id)
    const announced = this.apply(leg, this.deps.gateway.get(rec.clientOrderId) ?? rec)
    if (!announced) this.emit(leg) // unchanged since it was stored (still being placed): announce it
    return [this.view(leg)]
  }

  /** Cancels a native leg's order on the venue; undefined when `id` is no active native leg. */
  cancel(id: string): Promise<ConditionalView[]> | undefined {
    const leg = this.legs.get(id)
    if (leg === undefined) return undefined
    return this.cancelLeg(leg)
  }

  /** An active native leg's view; undefined when `id` is none. */
  viewById(id: string): ConditionalView | undefined {
    const leg = this.legs.get(id)
    return leg === undefined ? undefined : this.view(leg)
  }

  /** Active native legs, as views. */
  list(q: { venueId?: string | undefined; symbol?: string | undefined }): ConditionalView[] {
    return [...this.legs.values()]
      .filter((l) => (q.venueId === undefined || l.venueId === q.venueId) && (q.symbol === undefined || l.symbol === q.symbol))
      .map((l) => this.view(l))
  }

  /** Live price / distance of native legs whose market moved: one conditionalLive batch (≤ 4/s; public for tests). */
  flushLive(): void {
    const listening = this.deps.bus.listenerCount('conditionalLive') > 0
    const moved = new Set<string>()
    for (const [key, m] of this.markets) {
      if (!m.moved) continue
      m.moved = false
      if (listening) moved.add(key)
    }
    if (moved.size === 0) return
    const figures: ConditionalLiveFigure[] = []
    for (const leg of this.legs.values()) if (moved.has(marketKey(leg))) figures.push({ id: leg.id, ...liveFiguresOf(leg, this.liveOf(leg)) })
    if (figures.length > 0) this.deps.bus.emit('conditionalLive', { figures })
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  private async cancelLeg(leg: StoredLeg): Promise<ConditionalView[]> {
    const id = leg.clientOrderId as string
    const rec = this.deps.gateway.get(id)
    if (rec === undefined) {
      // Never handed to the gateway: nothing is on the venue.
      this.end(leg, 'canceled', 'canceled by you')
      return [this.view(leg)]
    }
    this.canceling.add(leg.id)
    try {
      const after = await this.deps.gateway.cancel(id)
      this.apply(leg, after)
    } catch (err) {
      this.canceling.delete(leg.id)
      const now = this.deps.gateway.get(id)
      if (now !== undefined) this.apply(leg, now)
      throw err
    }
    return [this.view(leg)]
  }

  private send(leg: StoredLeg): Promise<OrderRecord> {
    const limit = isLimitKind(leg.kind)
    const intent: OrderIntent = {
      venueId: leg.venueId,
      symbol: leg.symbol,
      side: leg.side,
      type: limit ? 'limit' : 'market',
      timeInForce: 'GTC',
      postOnly: false,
      amount: leg.amount,
      ...(limit ? { price: leg.limitPrice as string } : {}),
      origin: { kind: 'conditional', ref: leg.id },
      clientOrderId: leg.clientOrderId as string,
      trigger: { kind: triggerKindOf(leg.kind) as OrderTrigger['kind'], price: leg.triggerPrice as string },
    }
    try {
      return this.deps.gateway.submit(intent)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** A send at start that failed: the leg fails unless its order is out after all. */
  private refused(leg: StoredLeg, err: unknown): void {
    const rec = this.deps.gateway.get(leg.clientOrderId as string)
    if (rec !== undefined) {
      this.apply(leg, rec)
      return
    }
    this.end(leg, 'failed', `its order was refused: ${messageOf(err)}`)
  }

  private onOrder(rec: OrderRecord): void {
    if (!this.running || rec.origin.kind !== 'conditional') return
    const leg = this.byOrder.get(rec.clientOrderId)
    if (leg === undefined || this.creating.has(leg.id)) return
    try {
      this.apply(leg, rec)
    } catch (err) {
      this.deps.log.error('conditional orders on exchange: handling an order update failed', err)
    }
  }

  /** The leg as its order now is; true when that changed it (written and announced). */
  private apply(leg: StoredLeg, rec: OrderRecord): boolean {
    if (!this.legs.has(leg.id)) return false
    const label = this.deps.labelOf(leg.venueId)
    if (TERMINAL.has(rec.status)) {
      const filled = `${new Decimal(rec.filled).toFixed()} of ${leg.amount} filled`
      leg.filled = rec.filled
      if (rec.status === 'filled') this.end(leg, 'done', null)
      else if (rec.status === 'canceled' || rec.status === 'expired') {
        const byUser = this.canceling.has(leg.id)
        this.end(leg, 'canceled', byUser ? 'canceled by you' : `its order was ${rec.status} on ${label} (${filled})`, byUser ? 'user' : null)
      } else if (rec.status === 'left-on-exchange') this.end(leg, 'left-on-exchange', rec.error)
      else this.end(leg, 'failed', `its order was ${rec.status}${rec.error ? ` (${rec.error})` : ''} with ${filled}`)
      return true
    }
    const status = new Decimal(rec.filled).gt(0) ? 'triggered' : 'armed'
    const reason =
      rec.status === 'pending' || rec.status === 'submitting'
        ? `being placed on ${label}${rec.error ? `: ${rec.error}` : ''}`
        : rec.status === 'canceling'
          ? `being canceled on ${label}`
          : null
    const filled = status === 'triggered' ? rec.filled : leg.filled
    if (leg.status === status && leg.reason === reason && leg.filled === filled) return false
    leg.status = status
    leg.reason = reason
    leg.filled = filled
    this.save(leg)
    return true
  }

  private end(leg: StoredLeg, status: 'done' | 'canceled' | 'failed' | 'left-on-exchange', reason: string | null, cause: 'user' | null = null): void {
    leg.status = status
    leg.reason = reason
    leg.cancelCause = status === 'canceled' ? cause : null
    if (leg.filled === null) leg.filled = '0'
    this.save(leg)
    this.forget(leg)
  }

  private setReason(leg: StoredLeg, reason: string): void {
    if (leg.reason === reason) return
    leg.reason = reason
    this.save(leg)
  }

  private save(leg: StoredLeg): void {
    leg.updatedAt = this.deps.now()
    this.deps.store.save([leg])
    this.emit(leg)
  }

  private follow(leg: StoredLeg): void {
    this.legs.set(leg.id, leg)
    this.byOrder.set(leg.clientOrderId as string, leg)
    const key = marketKey(leg)
    const m = this.markets.get(key)
    if (m !== undefined) {
      m.legs++
      return
    }
    const watch: MarketWatch = { stop: () => {}, last: null, moved: false, legs: 1 }
    this.markets.set(key, watch)
    try {
      watch.stop = this.deps.ticks.watch(leg.venueId, leg.symbol, (t: MarketTick) => {
        // The venue triggers on its last trade price: that is the one shown (a stale book shows none).
        const last = t.health === 'live' ? t.last : null
        if (last !== watch.last) {
          watch.last = last
          watch.moved = true
        }
      })
    } catch (err) {
      this.deps.log.warn('conditional orders on exchange: cannot watch the market for live prices', { venueId: leg.venueId, symbol: leg.symbol, error: messageOf(err) })
    }
  }

  private forget(leg: StoredLeg): void {
    if (!this.legs.delete(leg.id)) return
    this.byOrder.delete(leg.clientOrderId as string)
    this.canceling.delete(leg.id)
    this.creating.delete(leg.id)
    const key = marketKey(leg)
    const m = this.markets.get(key)
    if (m !== undefined && --m.legs <= 0) {
      m.stop()
      this.markets.delete(key)
    }
  }

  private emit(leg: StoredLeg): void {
    this.deps.bus.emit('conditionalChanged', { view: this.view(leg) })
  }

  private view(leg: StoredLeg): ConditionalView {
    const label = this.deps.labelOf(leg.venueId)
    return viewOf(leg, label, this.liveOf(leg))
  }

  private liveOf(leg: StoredLeg): LiveFigures | null {
    if (!this.legs.has(leg.id)) return null
    return { currentPrice: this.markets.get(marketKey(leg))?.last ?? null, reference: null }
  }
}

function marketKey(leg: { venueId: string; symbol: string }): string {
  return `${leg.venueId}|${leg.symbol}`
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

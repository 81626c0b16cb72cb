import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { Db } from '../../store/open'
import type { MarketInfo } from '../../venues/port'
import { terminalOrderStatuses, type ConditionalAmend, type ConditionalCreate, type ConditionalLeg, type ConditionalLiveFigure, type ConditionalView, type TriggerSource } from '../../api/schemas/trading'
import type { ArmCheck, ArmedBuy, ArmedOrder, IdempotencyKey, MarketTick, OrderGateway, OrderIntent, OrderRecord, TickSource } from '../model'
import { warmUpTriggerPathsOnce } from './warm-up'
import { FiringRehearsal } from './firing-rehearsal'
import { FireQueue, microtask, type Defer, type FireBatch } from './fire-queue'
import { IdSource } from './ids'
import { isActive, isArmable, toLeg, type GroupType, type Leg, type StoredLeg } from './legs'
import { MarketState, marketKey } from './market-state'
import { CancelRetries } from './cancel-retries'
import { NativeLegs } from './native'
import { directionOf, isLimitKind, roleOf, sourceIndexOf } from './semantics'
import { amendedTerms, refuseCrossed, type AmendedTerms } from './amend-terms'
import { refuseChangedElsewhere } from './amend-expected'
import { ConditionalStore, type LegsKey } from './store'
import { fingerprintOf, IDEMPOTENCY_KEY_TTL_MS, KEY_REUSED } from '../idempotency'
import { toUnits, unitsToText } from './units'
import { checkAmount, checkBracketExits, checkLeg, checkMarketableBracketExits, checkOcoPrices, checkOcoShape, checkPrice, sourceWord } from './validate'
import { armedBuysOf } from './exposure'
import { amendedOrderOf, armedOrderOf, legName } from './arm-orders'
import { liveFiguresOf, trailingTriggerText, viewOf, type LiveFigures } from './views'
import type { NativeSupport } from '../../venues/native-support'
import { SIM_ACCOUNT_LABEL } from '../../venues/sim/label'
import { HaltedRefusal, RateHoldRefusal, RateLimitRefusal } from '../rate-refusal'
import { utcTime } from '../risk/clock'

// The conditional-order engine: stop, stop-limit, take-profit (market / limit), trailing stop, OCO and
// bracket orders held in the app (semantics.ts says exactly when each fires). It watches a market's ticks
// while it has an active order there, finds the crossed triggers through a per-(market, source) index
// (trigger-index.ts), and sends each triggered order through the OrderGateway (risk checks, intent written
// before sending). Every state change is written to conditional_orders and announced on the bus
// (conditionalChanged); live prices and distances of the orders whose market moved in one batch at most 4
// times a second (conditionalLive).
//
// Wiring (core.ts, by the desk):
//   const engine = new ConditionalEngine({ db, bus, log, now, gateway: orderManager, ticks: new MarketTickSource(market),
//     markets: (v, s) => rules.resolve(v, s).then((r) => r.market), labelOf: (v) => rules.label(v),
//     nativeStops: (v) => ... })     // placement 'exchange': native.ts
//   await orderManager.start(); await engine.start()     // the gateway must know its orders first
//   handlers: create(input) / cancel(id) / list(query) / disarmAll(); on shutdown engine.stop().
//
// Rules kept here:
//  - A tick whose book is not live never triggers; the order shows 'waiting' with the book's reason, and
//    when the book is live again the current prices are applied at once (a gap through a trigger fires).
//  - OCO: the leg that triggers cancels its partner in the same transaction that records the trigger,
//    before its order is sent. If the gateway refuses the order, or the order ends canceled / expired /
//    rejected with part unfilled, the partner re-arms for what is left — the position is never left
//    unprotected by our own race. A leg triggers at most once.
//  - OCO / bracket with a take-profit-limit: its limit order may rest unfilled, so its partner stays armed
//    beside it (for what that order has not filled yet) until it fills completely. When the partner
//    triggers meanwhile, the resting order is canceled first and the partner is sent only once that order
//    ended, for what it left unfilled (afterCancel) — the two never sell the same coins.
//  - Bracket: the entry is sent at once (with our client id, written on the legs first); its take-profit and
//    stop-loss (an OCO pair) arm at the entry's first fill, sized to what it filled, and grow with later
//    fills; an entry canceled after a partial fill leaves them armed for what filled; canceled before any
//    fill cancels them. When an exit triggers while the entry still works, the entry's rest is canceled;
//    what it fills before that cancel lands is guarded too, whichever message comes first (the group stays
//    in memory while its entry works, and is loaded again at start, and the exit its partner canceled re-arms
//    for the fills not exited).
//  - A triggered leg writes its order's client id before sending it; at start a triggered leg whose order
//    the gateway does not know is sent again with that same id (the gateway makes that idempotent).
//  - A tick only finds what fires (the trigger index, straight into the fire queue); the ticks of one turn are
//    settled together right after the tick handling (drain(), a microtask): which legs still fire, one
//    transaction, then the orders (fire-queue.ts). After that, a firing rehearsal on scratch stops keeps the
//    firing path's code cached for the next real fire (firing-rehearsal.ts).

export interface ConditionalEngineDeps {
  db: Db
  bus: EventBus
  log: Logger
  now: () => number
  gateway: OrderGateway
  ticks: TickSource
  /** The market's rules; throws AppError NOT_FOUND for an unknown venue or market. */
  markets: (venueId: string, symbol: string) => Promise<MarketInfo>
  /** The venue's name for people ("Binance main"). */
  labelOf: (venueId: string) => string
  /** Which stop orders the venue can hold itself (true: all, false: none; its capabilities). Default: none. */
  nativeStops?: (venueId: string) => boolean | NativeSupport
  /** Runs `fn` every `ms` until the returned stop is called (default setInterval, unref'd). Tests drive it. */
  every?: (ms: number, fn: () => void) => () => void
  /** Why nothing may be armed now (the kill switch's halt, in its words), or null. Default: never halted. */
  halted?: () => string | null
  /**
   * The risk gate's check of a conditional order being armed: the max order notional of each order it may
   * send, and the max position of what it may buy (held + working buys + `buy`, in base units); refuses with
   * AppError. Default: none. Asked once the order is otherwise valid, before it is stored.
   */
  checkArm?: (arm: ArmCheck) => Promise<void>
  /** How long create() waits for a first live price when it needs one (OCO, market-entry bracket). */
  priceWaitMs?: number
  /** Runs the settle of what ticks decided, right after the tick handling (default: a microtask; fire-queue.ts). */
  defer?: Defer
  /**
   * The clock a take-profit's cancel retries and a stop's held send count down on within a run: the order
   * manager's rate holds (its `holdClock`, monotonic in the app) end on it, so the computer's clock set back
   * must not keep a stop unsent after the exchange's window. Default: `now`.
   */
  holdClock?: () => number
}

export interface ConditionalQuery {
  venueId?: string | undefined
  symbol?: string | undefined
  scope: 'active' | 'history'
  limit: number
}

/** A conditionalLive batch being built: the markets that moved, where it is in them, what it has so far. */
interface LivePass {
  markets: MarketState[]
  market: number
  /** The legs of markets[market] (taken when the pass reached it), or null before. */
  legs: Leg[] | null
  leg: number
  /**
   * Figures so far, by leg id. A leg whose view is sent before the pass ends (emit: amended, triggered…)
   * is dropped from here: the batch must not overwrite that view with figures computed before it.
   */
  figures: Map<string, ConditionalLiveFigure>
}

/** A bracket's entry order as the engine follows it. */
interface EntryState {
  clientOrderId: string
  legs: Leg[]
  filled: Decimal
  /** The entry order ended (filled, canceled, ...). */
  done: boolean
  /** Its market's rules, once known (to re-arm an exit after both left their market). */
  info: MarketInfo | null
}

const LIVE_EVERY_MS = 250
/** Orders a live-figure slice looks at before the event loop gets a turn (a few ms at most). */
const LIVE_SLICE_LEGS = 500
/** Orders whose trailing reference one slice of the reference pass reads and writes (flushReferences). */
const REFERENCE_SLICE_LEGS = 1000
const REFERENCE_EVERY_MS = 1000
const MARKET_RETRY_MS = 15_000
/** How often failed cancels of resting take-profit orders are checked for a retry that is due. */
const CANCEL_RETRY_EVERY_MS = 1000
const TERMINAL_ORDER = new Set<string>(terminalOrderStatuses)
/** Why a paper reset canceled an armed order (shown in its row). */
export const PAPER_RESET_REASON = `the ${SIM_ACCOUNT_LABEL} balance was reset`

function defaultEvery(ms: number, fn: () => void): () => void {
  const h = setInterval(fn, ms)
  h.unref?.()
  return () => clearInterval(h)
}

/** Queues the firing rehearsal as a microtask (a resolved promise's then: no AsyncResource per call, fire-queue.ts). */
const rehearsalTurn = Promise.resolve()

export class ConditionalEngine {
  private readonly store: ConditionalStore
  private readonly bus: EventBus
  private readonly log: Logger
  private readonly now: () => number
  private readonly gateway: OrderGateway
  private readonly ticks: TickSource
  private readonly every: (ms: number, fn: () => void) => () => void
  private readonly priceWaitMs: number
  /** Legs of every group that is still alive (some leg armed, waiting or triggered, or re-armable). */
  private readonly legs = new Map<string, Leg>()
  private readonly markets = new Map<string, MarketState>()
  /** Triggered legs by the client id of the order they sent. */
  private readonly byOrder = new Map<string, Leg>()
  /**
   * Legs that triggered while their take-profit's limit order rested, by that order's client id: that order
   * is being canceled, and they are sent for what it left unfilled once it ended (onLegOrder).
   */
  private readonly afterCancel = new Map<string, Leg>()
  /** Those resting orders' cancels that failed, asked again until the order ends (cancel-retries.ts). */
  private readonly cancelRetries: CancelRetries<Leg>
  /**
   * Triggered stops whose order a rate hold refused (nothing was sent), by their client id: sent once the
   * hold ends, on the same hold-aware schedule as those cancels (timer, and ticks of their market).
   */
  private readonly heldSends: CancelRetries<Leg>
  /**
   * Client ids of legs' orders whose submit has not answered yet. Their 'rejected' update waits for that
   * answer: a rate limit's refusal (RateLimitRefusal) is sent again after the hold, not failed.
   */
  private readonly sending = new Set<string>()
  /** Bracket entries by their client id. */
  private readonly entries = new Map<string, EntryState>()
  /** Legs whose market rules could not be loaded yet (start), by market key. */
  private readonly unplaced = new Map<string, Leg[]>()
  private readonly offs: (() => void)[] = []
  private running = false
  private readonly ids = new IdSource()
  /** Creations under an idempotency key still running, by venue and key: a resend waits for their answer. */
  private readonly creatingKeys = new Map<string, Promise<ConditionalView[]>>()
  /** Orders placed on the exchange itself (placement 'exchange'; native.ts). */
  private readonly native: NativeLegs
  /** What ticks decided (fired, partners canceled, trails started), written and sent by drain(). */
  private readonly queue: FireQueue
  /** Keeps the firing path's machine code cached between real fires: run after the ticks of a turn (firing-rehearsal.ts). */
  readonly rehearsal = new FiringRehearsal()
  /** A rehearsal is queued for this turn — or rehearsals are off (one failed): onTick then queues none. */
  private rehearsalQueued = false
  /** A settle ran since the last rehearsal (drain): that turn's firing code is warm, and its orders' sends
   *  (after an await in the order manager) would come after the rehearsal — so it skips. */
  private settledSinceRehearsal = false
  private readonly rehearse = (): void => {
    try {
      if (this.settledSinceRehearsal) this.settledSinceRehearsal = false
      else this.rehearsal.run()
      this.rehearsalQueued = false
    } catch (err) {
      // A scratch index that does not fire as it must: said once, and no more rehearsals (the real orders
      // never touch it; the real index is tested on its own).
      this.log.error('conditional engine: the firing rehearsal failed; it is off until restart', err)
    }
  }
  /** The conditionalLive batch being built, slice by slice (flushLive), or null. */
  private livePass: LivePass | null = null
  /** The trailing-reference pass being written, slice by slice (flushReferences), or null. */
  private refPass: { markets: MarketState[]; market: number; legs: Leg[] | null; leg: number } | null = null

  constructor(private readonly deps: ConditionalEngineDeps) {
    this.store = new ConditionalStore(deps.db)
    this.bus = deps.bus
    this.log = deps.log
    this.now = deps.now
    this.gateway = deps.gateway
    this.ticks = deps.ticks
    this.every = deps.every ?? defaultEvery
    this.priceWaitMs = deps.priceWaitMs ?? 5000
    this.native = new NativeLegs({
      store: this.store,
      bus: deps.bus,
      log: deps.log,
      now: deps.now,
      gateway: deps.gateway,
      ticks: deps.ticks,
      labelOf: deps.labelOf,
      nativeStops: deps.nativeStops ?? (() => false),
      every: this.every,
    })
    this.queue = new FireQueue(deps.defer ?? microtask, () => this.drain())
    this.cancelRetries = new CancelRetries<Leg>({
      now: deps.holdClock ?? deps.now,
      holdMs: (venueId) => deps.gateway.rateHoldMs?.(venueId) ?? 0,
      ask: (resting) => this.cancelResting(resting),
    })
    this.heldSends = new CancelRetries<Leg>({
      now: deps.holdClock ?? deps.now,
      holdMs: (venueId) => deps.gateway.rateHoldMs?.(venueId) ?? 0,
      ask: (leg) => this.sendHeld(leg),
    })
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────────────

  /** Re-arms every armed / waiting order from SQLite and follows the triggered ones. Start the gateway first. */
  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    // Compiles the firing path before a real order needs it (warm-up.ts; in slices, after this turn).
    warmUpTriggerPathsOnce((err) => this.log.warn('conditional engine: the trigger-path warm-up stopped', { error: messageOf(err) }))
    this.offs.push(
      this.bus.on('orderChanged', (e) => this.onOrder(e.order)),
      this.bus.on('orderFilled', (e) => {
        if (e.order !== null) this.onOrder(e.order)
      }),
      this.bus.on('paperReset', ({ venueId }) => {
        const n = this.paperReset(venueId)
        if (n > 0) this.log.info(`${SIM_ACCOUNT_LABEL} balance reset: ${n} conditional order${n === 1 ? '' : 's'} canceled`)
      }),
      this.bus.on('killSwitchEngaged', () => {
        const n = this.disarmAll()
        if (n > 0) this.log.info(`Kill switch: ${n} conditional order${n === 1 ? '' : 's'} disarmed`)
      }),
      this.every(LIVE_EVERY_MS, () => this.flushLive()),
      this.every(REFERENCE_EVERY_MS, () => this.flushReferences()),
      this.every(MARKET_RETRY_MS, () => void this.placeUnplaced()),
      this.every(CANCEL_RETRY_EVERY_MS, () => {
        this.cancelRetries.due()
        this.heldSends.due()
      }),
    )
    const { stored, endedWhileDown } = this.liveAtStart()
    this.native.start(stored.filter((l) => l.placement === 'exchange'))
    const legs = stored.filter((l) => l.placement !== 'exchange').map(toLeg)
    for (const leg of legs) this.legs.set(leg.id, leg)
    this.link(legs)
    for (const leg of legs) {
      if (leg.entryClientOrderId === null || this.entries.has(leg.entryClientOrderId)) continue
      const group = legs.filter((l) => l.entryClientOrderId === leg.entryClientOrderId)
      const filled = Decimal.max(...group.map((l) => new Decimal(l.entryFilled ?? '0')))
      this.entries.set(leg.entryClientOrderId, { clientOrderId: leg.entryClientOrderId, legs: group, filled, done: false, info: null })
    }
    this.disarmIfHalted(legs)
    for (const leg of legs) if (isArmable(leg.status) || leg.status === 'triggered') this.queueUnplaced(leg)
    // Triggered legs: follow their orders; send again (same client id) those the gateway never got.
    // (Before the markets load: that needs no market rules, and loading them may take a while.)
    // A leg that triggered while its take-profit's limit order rested waits for that order to end (never sent beside it).
    const waits = legs.filter((l) => this.waitsForResting(l))
    for (const leg of waits) this.afterCancel.set(leg.sibling?.clientOrderId as string, leg)
    for (const leg of legs) {
      if (leg.status !== 'triggered' || leg.clientOrderId === null || waits.includes(leg)) continue
      this.byOrder.set(leg.clientOrderId, leg)
      const rec = this.gateway.get(leg.clientOrderId)
      if (rec !== undefined && refusedForRateLimit(rec) && waitsForHold(leg)) this.renewAtStart(leg, rec)
      else if (rec !== undefined) this.onLegOrder(leg, rec)
      else if (leg.heldUntil !== null && leg.heldUntil > this.now()) this.stillHeld(leg, leg.heldUntil)
      else {
        this.log.warn('conditional order triggered before the engine stopped but its order was never sent: sending it now', { id: leg.id, clientOrderId: leg.clientOrderId })
        this.submitLeg(leg)
      }
    }
    // Its cancel may have been lost with the process: asked again.
    for (const leg of waits) if (leg.status === 'triggered' && leg.sibling?.status === 'triggered') this.cancelResting(leg.sibling)
    for (const entry of [...this.entries.values()]) {
      if (endedWhileDown.has(entry.clientOrderId)) continue
      const rec = this.gateway.get(entry.clientOrderId)
      if (rec !== undefined) this.onEntryOrder(entry, rec)
      else if (entry.filled.isZero()) this.endEntry(entry, 'the entry order was never sent (the engine stopped while sending it)')
    }
    await this.placeUnplaced()
    await this.entriesEndedWhileDown(endedWhileDown)
    const armed = legs.filter((l) => l.status === 'armed').length
    const waiting = legs.filter((l) => l.status === 'waiting').length
    const triggered = legs.filter((l) => l.status === 'triggered').length
    this.log.info(`Conditional orders re-armed on start: ${armed + waiting}`, { armed, waiting, triggered })
  }

  /**
   * What start follows: every group with an active leg, and the brackets whose entry still works although
   * both exits ended (one sold the first fills, its partner canceled) — the entry's later fills re-arm the
   * canceled exit (onEntryOrder), as they would have without the restart. Also such brackets whose entry
   * ended while the app was down after filling more than their legs know of (`endedWhileDown`, by entry).
   */
  private liveAtStart(): { stored: StoredLeg[]; endedWhileDown: Set<string> } {
    const stored = this.store.live()
    const loaded = new Set(stored.map((l) => l.id))
    const working = this.gateway
      .open()
      .filter((o) => o.origin.kind === 'conditional')
      .map((o) => o.clientOrderId)
    for (const leg of this.store.ofEntries(working)) {
      if (loaded.has(leg.id)) continue
      stored.push(leg)
      loaded.add(leg.id)
    }
    const endedWhileDown = new Set<string>()
    const byEntry = new Map<string, StoredLeg[]>()
    for (const leg of this.store.partnerCanceledBrackets()) {
      if (loaded.has(leg.id) || leg.entryClientOrderId === null) continue
      byEntry.set(leg.entryClientOrderId, [...(byEntry.get(leg.entryClientOrderId) ?? []), leg])
    }
    for (const [entryId, group] of byEntry) {
      const rec = this.gateway.get(entryId)
      if (rec !== undefined && !TERMINAL_ORDER.has(rec.status)) continue
      // A first cut (a buy's fee in the coin bought left out, not yet rounded to the step): onEntryOrder decides.
      const fee = rec?.side === 'buy' ? (this.gateway.baseFeePaid?.(entryId) ?? '0') : '0'
      const known = Decimal.max(...group.map((l) => new Decimal(l.entryFilled ?? '0')))
      // Nothing more (or no record of the entry to ever learn more from): settled — a bracket from before
      // entries were marked ended — and not read at later starts.
      if (rec === undefined || new Decimal(rec.filled).minus(fee).lte(known)) {
        const groupId = group[0]?.groupId
        if (groupId !== null && groupId !== undefined) this.store.markEntryEnded(groupId)
        continue
      }
      stored.push(...group)
      endedWhileDown.add(entryId)
    }
    return { stored, endedWhileDown }
  }

  /**
   * Start: entries that filled more and ended while the app was down, handled as their fills would have
   * been (the exit canceled as its partner filled re-arms for them), once their market's step is known —
   * without it a fee paid in the coin bought would leave dust to arm an exit for.
   */
  private async entriesEndedWhileDown(entryIds: Set<string>): Promise<void> {
    for (const id of entryIds) {
      const entry = this.entries.get(id)
      const rec = this.gateway.get(id)
      if (entry === undefined || rec === undefined || !this.running) continue
      const leg = entry.legs[0] as Leg
      try {
        entry.info = await this.marketOf(leg.venueId, leg.symbol)
      } catch (err) {
        this.log.warn('bracket entry filled while the app was down: its market rules could not be loaded; its exit is sized without the step', { entry: id, error: messageOf(err) })
      }
      if (this.running) this.onEntryOrder(entry, rec)
    }
  }

  /**
   * At start while the kill switch holds trading: what the switch does while running (disarmAll) — armed and
   * waiting legs, and triggered ones whose order never reached the gateway (the app ended between trigger and
   * send, or while waiting for a hold or a take-profit's cancel), are canceled by it, nothing sent; a partner
   * canceled when its leg triggered does not re-arm. (The halt is written before the disarm: an app that ended
   * between them left legs armed.)
   */
  private disarmIfHalted(legs: Leg[]): void {
    if ((this.deps.halted?.() ?? null) === null) return
    const changed: Leg[] = []
    for (const leg of legs) {
      const neverSent = leg.status === 'triggered' && (leg.clientOrderId === null || this.gateway.get(leg.clientOrderId) === undefined)
      if (isArmable(leg.status) || neverSent) {
        leg.status = 'canceled'
        leg.cancelCause = 'kill-switch'
        leg.reason = 'disarmed by the kill switch'
        leg.clientOrderId = null
        leg.heldUntil = null
        changed.push(leg)
      }
    }
    for (const leg of legs) {
      if (leg.status === 'canceled' && leg.cancelCause === 'sibling') {
        keepDisarmed(leg)
        changed.push(leg)
      }
    }
    if (changed.length > 0) this.log.info(`Kill switch: trading is halted; ${changed.length} conditional order leg(s) disarmed at start`)
    this.commit(changed)
  }

  /** At start: a triggered leg never sent whose partner's order (a resting take-profit) is known — it waits for that order to end. */
  private waitsForResting(leg: Leg): boolean {
    const sib = leg.sibling
    if (leg.status !== 'triggered' || leg.clientOrderId === null || this.gateway.get(leg.clientOrderId) !== undefined) return false
    return sib !== null && sib.status === 'triggered' && sib.clientOrderId !== null && this.gateway.get(sib.clientOrderId) !== undefined
  }

  /** Settles what ticks decided, writes the trailing references, stops watching. Orders stay in SQLite for the next start. */
  stop(): void {
    if (!this.running) return
    this.drain()
    this.queue.clear()
    this.flushReferencesNow()
    this.running = false
    this.livePass = null
    this.cancelRetries.clear()
    this.heldSends.clear()
    this.sending.clear()
    this.native.stop()
    for (const off of this.offs.splice(0)) off()
    for (const m of this.markets.values()) {
      m.released = true
      m.stopWatch?.()
      m.waiters.clear()
    }
    this.markets.clear()
    this.legs.clear()
    this.byOrder.clear()
    this.afterCancel.clear()
    this.entries.clear()
    this.unplaced.clear()
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Checks, stores and arms a conditional order; returns its legs. Nothing is stored when it is refused.
   * With an idempotency key its account used within a day, returns the legs created then (as they are now)
   * instead; the same key with other terms is refused. A refused creation leaves its key unused.
   */
  async create(input: ConditionalCreate): Promise<ConditionalView[]> {
    this.assertRunning()
    const { idempotencyKey, ...order } = input
    if (idempotencyKey === undefined) return this.createNew(order, undefined)
    const idem = { key: idempotencyKey, fingerprint: fingerprintOf(order) }
    const slot = `${order.venueId} ${idempotencyKey}`
    // A send with this key is still being created (its answer was lost on the way): its answer is ours.
    for (let running = this.creatingKeys.get(slot); running !== undefined; running = this.creatingKeys.get(slot)) {
      await running.catch(() => undefined)
    }
    const prior = this.replay(order.venueId, idem)
    if (prior !== undefined) return prior
    const run = this.createNew(order, idem)
    this.creatingKeys.set(slot, run)
    try {
      return await run
    } finally {
      this.creatingKeys.delete(slot)
    }
  }

  private async createNew(input: ConditionalCreate, idem: IdempotencyKey | undefined): Promise<ConditionalView[]> {
    this.assertNotHalted()
    const info = await this.marketOf(input.venueId, input.symbol)
    const keyed = idem === undefined ? undefined : this.legsKey(input.venueId, idem)
    if (input.type === 'single') return this.createSingle(input, info, keyed)
    if (input.type === 'oco') return this.createOco(input, info, keyed)
    return this.createBracket(input, info, keyed)
  }

  /** The legs created under this account's key (undefined: a new key); CONFLICT for a key used for other terms. */
  private replay(venueId: string, idem: IdempotencyKey): ConditionalView[] | undefined {
    const prior = this.store.keyed(venueId, idem.key, this.now() - IDEMPOTENCY_KEY_TTL_MS)
    if (prior === undefined) return undefined
    if (prior.fingerprint !== idem.fingerprint) throw new AppError('CONFLICT', KEY_REUSED)
    const views: ConditionalView[] = []
    for (const id of prior.legIds) {
      const live = this.legs.get(id)
      const view = live !== undefined ? this.view(live) : this.native.viewById(id)
      const stored = view === undefined ? this.store.get(id) : undefined
      if (view !== undefined) views.push(view)
      else if (stored !== undefined) views.push(viewOf(stored, this.deps.labelOf(stored.venueId), null))
    }
    return views
  }

  private legsKey(venueId: string, idem: IdempotencyKey): LegsKey {
    const at = this.now()
    return { venueId, ...idem, at, forgetBefore: at - IDEMPOTENCY_KEY_TTL_MS }
  }

  /** Cancels a conditional order by leg id or group id: every leg of the group that has not fired. */
  async cancel(id: string): Promise<ConditionalView[]> {
    this.assertRunning()
    const onExchange = this.native.cancel(id)
    if (onExchange !== undefined) return onExchange
    const first = this.legs.get(id) ?? [...this.legs.values()].find((l) => l.groupId === id)
    const group = first === undefined ? [] : first.sibling === null ? [first] : [first, first.sibling].sort((a, b) => a.createdAt - b.createdAt)
    if (group.length === 0) {
      const stored = this.store.group(id)
      if (stored.length === 0) throw new AppError('NOT_FOUND', `No conditional order "${id}"`)
      throw new AppError('CONFLICT', `Conditional order ${id} has already ended (${stored.map((s) => s.status).join(', ')})`)
    }
    const changed: Leg[] = []
    for (const leg of group) {
      if (isArmable(leg.status) || this.unsent(leg)) {
        this.unindex(leg)
        leg.status = 'canceled'
        leg.cancelCause = 'user'
        leg.reason = 'canceled by you'
        changed.push(leg)
      } else if (leg.status === 'canceled' && leg.cancelCause === 'sibling') {
        leg.cancelCause = 'user' // its partner's order is out: no re-arm after the user canceled the group
        changed.push(leg)
      }
    }
    if (changed.length === 0) {
      const sent = group.find((l) => l.status === 'triggered')
      // (A bracket's ended exits stay in memory while its entry works.)
      if (sent === undefined) throw new AppError('CONFLICT', `Conditional order ${id} has already ended (${((first as Leg).id === id ? [first as Leg] : group).map((l) => l.status).join(', ')})`)
      throw new AppError('CONFLICT', `Conditional order ${id} has already triggered${sent?.clientOrderId ? `: cancel its order ${sent.clientOrderId} instead` : ''}`)
    }
    const entry = this.entryOf(group[0] as Leg)
    this.commit(changed)
    if (entry !== undefined && !entry.done) {
      try {
        await this.gateway.cancel(entry.clientOrderId)
      } catch (err) {
        this.log.warn('could not cancel the entry order of a canceled bracket', { entry: entry.clientOrderId, error: messageOf(err) })
      }
    }
    return group.map((l) => this.view(l))
  }

  /**
   * Moves an armed or waiting conditional order held in the app: a stop's or take-profit's trigger price
   * and, for a limit kind, its limit price; a trailing stop's distance (in its unit; the reference stays).
   * Checked as at creation (tick, the order value at its limit or trigger) and against the trigger source's
   * current price (while the book is stale, the last one seen): a trigger the market has already crossed is
   * refused (it would fire at once, or as the book comes back). The order it may send is held to the max
   * order notional at its new price, as when it was armed (its amount, and so the max position, does not
   * change), and a buy to a daily loss limit already reached. Written before the index moves; an OCO / bracket partner is left as it is.
   */
  async amend(input: ConditionalAmend): Promise<ConditionalView[]> {
    this.assertRunning()
    const first = this.amendable(input)
    const order = amendedOrderOf(first.leg, first.terms, this.amendedAmount(first.leg))
    // A buy is held to the daily loss limit as at creation (a bracket's exit closes what its entry opened).
    const buys = first.leg.side === 'buy' && first.leg.groupType !== 'bracket'
    const checked = (order !== null || buys) && this.deps.checkArm !== undefined
    if (checked) {
      await this.deps.checkArm?.({ venueId: first.leg.venueId, symbol: first.leg.symbol, orders: order === null ? [] : [order], buy: null, buys })
      this.assertRunning()
    }
    // The leg may have fired, ended or been amended, or the market moved, while the limits were checked.
    const { leg, terms } = checked ? this.amendable(input) : first
    const updatedAt = this.now()
    // A trail's reference goes with its new distance: a restart re-arms the trigger that was shown.
    const trailingReference = leg.trailing?.reference ?? null
    this.store.saveTerms(leg.id, { ...terms, trailingReference, updatedAt })
    leg.savedReference = trailingReference
    this.unindex(leg)
    leg.triggerPrice = terms.triggerPrice
    leg.limitPrice = terms.limitPrice
    if (leg.trailing !== null && terms.trailingValue !== null) {
      leg.trailing.value = terms.trailingValue
      leg.triggerFor = null // the trigger text cached for the reference no longer holds
    }
    leg.updatedAt = updatedAt
    this.arm(leg)
    this.emit(leg)
    return [this.view(leg)]
  }

  /** The armed or waiting leg `input` amends and its new terms, or the refusal (amend-terms.ts). */
  private amendable(input: ConditionalAmend): { leg: Leg; terms: AmendedTerms } {
    const { id } = input
    if (this.native.has(id)) throw new AppError('CONFLICT', 'This order is held on the exchange: cancel it and place a new one')
    const leg = this.legs.get(id)
    if (leg === undefined) {
      const stored = this.store.group(id).find((s) => s.id === id)
      if (stored === undefined) throw new AppError('NOT_FOUND', `No conditional order "${id}"`)
      throw new AppError('CONFLICT', `Conditional order ${id} has already ended (${stored.status})`)
    }
    if (!isArmable(leg.status)) throw new AppError('CONFLICT', `Conditional order ${id} has already ${leg.status === 'triggered' ? 'triggered' : 'ended'}`)
    const m = leg.market as MarketState
    // A bracket exit waits for its entry's first fill: checked against the entry's price, not the market's.
    const entry = this.entryOf(leg)
    const against =
      entry !== undefined && entry.filled.isZero() && !entry.done
        ? { entryPrice: this.gateway.get(entry.clientOrderId)?.price ?? null }
        : { current: m.priceText(sourceIndexOf(leg.trigger)), ...(m.health !== null && m.health !== 'live' ? { stale: m.healthReason !== null ? `${m.health}: ${m.healthReason}` : m.health } : {}) }
    this.syncReference(leg)
    refuseChangedElsewhere(leg, input.expected)
    return { leg, terms: amendedTerms(leg, m.info, input, against) }
  }

  /** What an amended leg may trade: a bracket exit whose entry still works may sell (or buy back) all of it. */
  private amendedAmount(leg: Leg): string {
    const entry = this.entryOf(leg)
    if (entry === undefined || entry.done) return leg.amount
    return this.gateway.get(entry.clientOrderId)?.amount ?? leg.amount
  }

  /** Active (armed, waiting, triggered) from memory, or history (done, canceled, failed) from SQLite. */
  list(q: ConditionalQuery): ConditionalView[] {
    if (q.scope === 'history') return this.store.history(q).map((s) => viewOf(s, this.deps.labelOf(s.venueId), null))
    const own = [...this.legs.values()]
      .filter((l) => isActive(l.status) && (q.venueId === undefined || l.venueId === q.venueId) && (q.symbol === undefined || l.symbol === q.symbol))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, q.limit)
      .map((l) => this.view(l))
    const onExchange = this.native.list(q)
    if (onExchange.length === 0) return own
    return [...own, ...onExchange].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)).slice(0, q.limit)
  }

  /** Kill switch: cancels every armed or waiting leg (and stops any re-arm). Returns how many were disarmed. */
  disarmAll(): number {
    const changed: Leg[] = []
    let n = 0
    for (const leg of this.legs.values()) {
      if (isArmable(leg.status) || this.unsent(leg)) {
        this.unindex(leg)
        leg.status = 'canceled'
        leg.cancelCause = 'kill-switch'
        leg.reason = 'disarmed by the kill switch'
        changed.push(leg)
        n++
      } else if (leg.status === 'canceled' && leg.cancelCause === 'sibling') {
        keepDisarmed(leg)
        changed.push(leg)
      }
    }
    this.commit(changed)
    return n
  }

  /**
   * The account of `venueId` was removed: its armed and waiting legs held in the app are canceled with
   * `reason` (nothing could send their orders now). Legs already triggered and orders held on the exchange
   * are left: those orders are on the exchange. Returns how many were canceled.
   */
  venueRemoved(venueId: string, reason: string): number {
    return this.cancelOnVenue(venueId, 'account-removed', reason)
  }

  /**
   * The paper account of `venueId` started over (paper.reset): its armed and waiting legs were sized for
   * holdings that are gone, so they are canceled rather than left to sell a position bought afterwards.
   * (The reset itself cancels the account's open orders, triggered legs' orders among them.)
   */
  paperReset(venueId: string): number {
    return this.cancelOnVenue(venueId, 'paper-reset', PAPER_RESET_REASON)
  }

  private cancelOnVenue(venueId: string, cause: 'account-removed' | 'paper-reset', reason: string): number {
    const changed: Leg[] = []
    let n = 0
    for (const leg of this.legs.values()) {
      if (leg.venueId !== venueId) continue
      if (isArmable(leg.status) || this.unsent(leg)) {
        this.unindex(leg)
        leg.status = 'canceled'
        leg.cancelCause = cause
        leg.reason = reason
        changed.push(leg)
        n++
      } else if (leg.status === 'canceled' && leg.cancelCause === 'sibling') {
        leg.cancelCause = cause // no re-arm: what it protected is gone
        changed.push(leg)
      }
    }
    this.commit(changed)
    return n
  }

  /**
   * True (and it is forgotten as waiting) for a leg that triggered but waits for its take-profit's resting
   * order to be canceled: it has sent nothing, so it is canceled like an armed one.
   */
  private unsent(leg: Leg): boolean {
    if (leg.status === 'triggered' && leg.clientOrderId !== null && this.heldSends.has(leg.clientOrderId)) {
      // Its send was refused by a rate hold and waits for it to end: nothing is out.
      this.heldSends.done(leg.clientOrderId)
      leg.clientOrderId = null
      leg.heldUntil = null
      return true
    }
    const id = leg.sibling?.clientOrderId
    if (leg.status !== 'triggered' || id === undefined || id === null || this.afterCancel.get(id) !== leg) return false
    this.afterCancel.delete(id)
    this.cancelRetries.done(id)
    leg.clientOrderId = null
    return true
  }

  /** Armed or waiting legs held in the app on this venue (what removing its account would cancel). */
  armedOn(venueId: string): number {
    let n = 0
    for (const leg of this.legs.values()) if (leg.venueId === venueId && isArmable(leg.status)) n++
    return n
  }

  /** The conditional buys on a market that may still send an order (the max position counts them; exposure.ts). */
  armedBuys(filter: { venueId: string; symbol: string }): ArmedBuy[] {
    const key = marketKey(filter.venueId, filter.symbol)
    const legs = [...(this.markets.get(key)?.legs ?? []), ...(this.unplaced.get(key) ?? [])]
    return armedBuysOf(legs, (id) => this.gateway.get(id) !== undefined)
  }

  /**
   * Live price / distance of orders whose market moved: one conditionalLive batch (timer, ≤ 4/s; public for
   * tests). Built LIVE_SLICE_LEGS orders at a time, the rest after the event loop's next turn: with thousands
   * of armed orders the whole batch takes tens of ms, and a tick that arrives meanwhile — and the order it
   * fires — must not wait for it. A pass still under way when the timer comes again is left to finish.
   */
  flushLive(): void {
    if (this.livePass !== null) return
    if (this.bus.listenerCount('conditionalLive') === 0) {
      for (const m of this.markets.values()) m.moved = false
      return
    }
    const moved: MarketState[] = []
    for (const m of this.markets.values()) if (m.moved) moved.push(m)
    if (moved.length === 0) return
    this.livePass = { markets: moved, market: 0, legs: null, leg: 0, figures: new Map() }
    this.continueLive()
  }

  private continueLive(): void {
    const pass = this.livePass
    if (pass === null) return
    if (!this.running) {
      this.livePass = null
      return
    }
    let budget = LIVE_SLICE_LEGS
    for (; pass.market < pass.markets.length; pass.market++) {
      const m = pass.markets[pass.market] as MarketState
      if (pass.legs === null) {
        if (m.released) continue
        m.moved = false
        pass.legs = [...m.legs]
        pass.leg = 0
      }
      const legs = pass.legs
      while (pass.leg < legs.length) {
        if (budget-- === 0) {
          setImmediate(() => this.continueLive())
          return
        }
        const leg = legs[pass.leg++] as Leg
        // Triggered ones too: shown while their order works (a take-profit's limit order may rest a while).
        if (!isActive(leg.status) || leg.market !== m) continue
        this.syncReference(leg)
        const shown = `${m.priceText(sourceIndexOf(leg.trigger)) ?? ''}|${leg.trailing?.reference ?? ''}`
        if (shown === leg.shown) continue
        leg.shown = shown
        pass.figures.set(leg.id, { id: leg.id, ...liveFiguresOf(leg, this.liveOf(leg)) })
      }
      pass.legs = null
    }
    this.livePass = null
    if (pass.figures.size > 0) this.bus.emit('conditionalLive', { figures: [...pass.figures.values()] })
  }

  /**
   * Writes trailing references that moved (timer, once a second; public for tests). Like the live figures,
   * REFERENCE_SLICE_LEGS orders at a time, each slice its own write, the rest after the event loop's next
   * turn: with 10,000 orders one pass took 25–40 ms, and a tick arriving meanwhile (and the stop it fires)
   * waited for it. A pass still under way when the timer comes again is left to finish.
   */
  flushReferences(): void {
    if (this.refPass !== null) return
    this.refPass = { markets: [...this.markets.values()], market: 0, legs: null, leg: 0 }
    this.continueReferences(REFERENCE_SLICE_LEGS)
  }

  /** A whole pass now (at stop: every moved reference is written before the engine lets go; a pass under way is started over). */
  private flushReferencesNow(): void {
    this.refPass = { markets: [...this.markets.values()], market: 0, legs: null, leg: 0 }
    this.continueReferences(Infinity)
  }

  private continueReferences(slice: number): void {
    const pass = this.refPass
    if (pass === null) return
    const dirty: Leg[] = []
    let budget = slice
    let done = true
    outer: for (; pass.market < pass.markets.length; pass.market++) {
      const m = pass.markets[pass.market] as MarketState
      if (pass.legs === null) {
        if (m.released) continue
        pass.legs = [...m.legs]
        pass.leg = 0
      }
      const legs = pass.legs
      while (pass.leg < legs.length) {
        if (budget-- <= 0) {
          done = false
          break outer
        }
        const leg = legs[pass.leg++] as Leg
        // (One that fired or was canceled since the pass began has no handle: its row was written then.)
        if (leg.trailing === null || leg.handle === null || leg.market !== m) continue
        this.syncReference(leg)
        if (leg.trailing.reference !== leg.savedReference) dirty.push(leg)
      }
      pass.legs = null
    }
    if (done) this.refPass = null
    if (dirty.length > 0) {
      try {
        this.store.saveReferences(dirty)
      } catch (err) {
        // (A busy or full disk.) The pass ends here; the next one, a second later, writes these again.
        if (this.refPass === pass) this.refPass = null
        this.log.error('conditional engine: could not write trailing references; trying again in a second', err)
        return
      }
      for (const leg of dirty) leg.savedReference = leg.trailing?.reference ?? null
    }
    if (!done)
      setImmediate(() => {
        if (this.refPass === pass && this.running) this.continueReferences(REFERENCE_SLICE_LEGS)
      })
  }

  // ── creation ────────────────────────────────────────────────────────────────────────────────────────

  private async marketOf(venueId: string, symbol: string): Promise<MarketInfo> {
    let info: MarketInfo
    try {
      info = await this.deps.markets(venueId, symbol)
    } catch (err) {
      if (err instanceof AppError) throw err
      throw new AppError('UNAVAILABLE', `Could not load the markets of ${this.deps.labelOf(venueId)}: ${messageOf(err)}`)
    }
    if (info === undefined || info === null) throw new AppError('NOT_FOUND', `No market ${symbol} on ${this.deps.labelOf(venueId)}`)
    if (!info.active) throw new AppError('CONFLICT', `${symbol} on ${this.deps.labelOf(venueId)} is not trading now`)
    return info
  }

  private async createSingle(input: Extract<ConditionalCreate, { type: 'single' }>, info: MarketInfo, keyed?: LegsKey): Promise<ConditionalView[]> {
    if (input.placement === 'exchange') return this.native.create(input, info, keyed)
    const l = input.leg
    const leg = () => this.newLeg(input.venueId, input.symbol, null, 'single', l, null, input.placement)
    if (l.kind !== 'trailing-stop') {
      checkLeg(l, info)
      const m = this.ensureMarket(input.venueId, input.symbol, info)
      m.holds++
      try {
        // The first order on a market not watched yet has no price to check against: the first live one is
        // waited for (briefly; refused without one rather than armed blind).
        const source = sourceIndexOf(l.trigger)
        if (m.priceText(source) === null) await this.waitForPrices(m, [source], 'the trigger price cannot be checked against the current price')
        // Already crossed would fire at once: refused, as an amend there is (a typo must not be a market order).
        this.refuseCrossedNow(l, m)
        await this.checkArming(input.venueId, input.symbol, [l], [armedOrderOf(l, legName(l), noPrice)])
        this.refuseCrossedNow(l, m) // the market may have moved while the limits were checked
        return this.insertAndArm([leg()], info, keyed)
      } finally {
        m.holds--
        this.releaseIfIdle(m)
      }
    }
    if (l.activationPrice !== undefined) {
      checkLeg(l, info)
      await this.checkArming(input.venueId, input.symbol, [l], [armedOrderOf(l, legName(l), noPrice)])
      return this.insertAndArm([leg()], info, keyed)
    }
    // A trail starts from the price now: its order value is checked there, against the market's minimum.
    checkLeg(l, info, { amountKnown: false })
    const m = this.ensureMarket(input.venueId, input.symbol, info)
    m.holds++
    try {
      await this.waitForPrices(m, [sourceIndexOf(l.trigger)], 'the trailing stop cannot be checked against the current price')
      const now = m.priceText(sourceIndexOf(l.trigger)) as string
      checkLeg(l, info, { price: new Decimal(now) })
      await this.checkArming(input.venueId, input.symbol, [l], [armedOrderOf(l, legName(l), () => now)])
      return this.insertAndArm([leg()], info, keyed)
    } finally {
      m.holds--
      this.releaseIfIdle(m)
    }
  }

  /**
   * A fixed trigger against its source's price now (while the book is stale, the last live one). Creation
   * waits for a first price before asking; nothing to check without one.
   */
  private refuseCrossedNow(l: Extract<ConditionalLeg, { triggerPrice: string }>, m: MarketState): void {
    const price = m.priceText(sourceIndexOf(l.trigger))
    if (price === null) return
    const stale = m.health !== null && m.health !== 'live' ? (m.healthReason !== null ? `${m.health}: ${m.healthReason}` : m.health) : undefined
    refuseCrossed(l, new Decimal(l.triggerPrice), { price, stale }, 'trigger price')
  }

  private async createOco(input: Extract<ConditionalCreate, { type: 'oco' }>, info: MarketInfo, keyed?: LegsKey): Promise<ConditionalView[]> {
    checkOcoShape(input.legs, info)
    const m = this.ensureMarket(input.venueId, input.symbol, info)
    m.holds++
    try {
      const sources = input.legs.map((l) => sourceIndexOf(l.trigger))
      await this.waitForPrices(m, sources, 'the OCO legs cannot be checked against the current price')
      const priceOf = (s: TriggerSource) => new Decimal(m.priceText(sourceIndexOf(s)) as string)
      checkOcoPrices(input.legs, priceOf)
      // A trailing leg starts from the price now, like a single one: checked there (its trigger, its value).
      for (const l of input.legs) if (l.kind === 'trailing-stop' && l.activationPrice === undefined) checkLeg(l, info, { price: priceOf(l.trigger) })
      const orders = input.legs.map((l, i) => armedOrderOf(l, legName(l, i + 1), (s) => m.priceText(sourceIndexOf(s)) as string))
      await this.checkArming(input.venueId, input.symbol, input.legs, orders)
      const groupId = this.ids.legId()
      const [a, b] = input.legs.map((l) => this.newLeg(input.venueId, input.symbol, groupId, 'oco', l, null, 'app')) as [Leg, Leg]
      a.sibling = b
      b.sibling = a
      return this.insertAndArm([a, b], info, keyed)
    } finally {
      m.holds--
      this.releaseIfIdle(m)
    }
  }

  private async createBracket(input: Extract<ConditionalCreate, { type: 'bracket' }>, info: MarketInfo, keyed?: LegsKey): Promise<ConditionalView[]> {
    const e = input.entry
    if (e.size.unit === 'percent') {
      throw new AppError('BAD_INPUT', 'A bracket entry is sized in base or quote units; a percentage of the balance is for the order ticket')
    }
    if (e.type === 'limit') checkPrice(e.price as string, info, 'entry price')
    const m = this.ensureMarket(input.venueId, input.symbol, info)
    m.holds++
    try {
      let entryPrice: Decimal
      if (e.type === 'limit') entryPrice = new Decimal(e.price as string)
      else {
        const touch = e.side === 'buy' ? 2 : 1
        await this.waitForPrices(m, [touch], 'the bracket cannot be sized and checked against the entry price')
        entryPrice = new Decimal(m.priceText(touch) as string)
      }
      const amount =
        e.size.unit === 'base'
          ? checkAmount(e.size.value, info)
          : checkAmount(new Decimal(e.size.value).div(entryPrice).div(info.stepSize).floor().times(info.stepSize), info)
      checkBracketExits({ entryPrice, side: e.side, takeProfit: input.takeProfit, stopLoss: input.stopLoss }, info)
      if (e.type === 'limit' && m.health === 'live') {
        const touch = m.priceText(e.side === 'buy' ? 2 : 1)
        if (touch !== null) {
          const priceOf = (s: TriggerSource) => {
            const p = m.priceText(sourceIndexOf(s))
            return p === null ? null : new Decimal(p)
          }
          checkMarketableBracketExits({ entryPrice, side: e.side, takeProfit: input.takeProfit, stopLoss: input.stopLoss, touch: new Decimal(touch) }, priceOf)
        }
      }
      const exit = e.side === 'buy' ? 'sell' : 'buy'
      // Each exit may sell (or buy back) all the entry fills: checked for that much before the entry is sent.
      const whole = amount.toFixed()
      const exitOrder = (name: string, x: typeof input.takeProfit): ArmedOrder =>
        x.limitPrice !== undefined ? { name, amount: whole, price: x.limitPrice, at: 'limit price' } : { name, amount: whole, price: x.triggerPrice, at: 'trigger price' }
      await this.deps.checkArm?.({
        venueId: input.venueId,
        symbol: input.symbol,
        orders: [
          { name: "the bracket's entry", amount: whole, price: entryPrice.toFixed(), at: 'entry price' },
          exitOrder("the bracket's take-profit", input.takeProfit),
          exitOrder("the bracket's stop-loss", input.stopLoss),
        ],
        // Its entry is counted by its own order's check; a sell bracket's buy exits only buy back what it sold.
        buy: null,
        buys: false,
      })
      const groupId = this.ids.legId()
      const entryId = this.ids.clientOrderId(this.now())
      const tp: ConditionalLeg =
        input.takeProfit.limitPrice !== undefined
          ? { kind: 'take-profit-limit', side: exit, amount: '0', trigger: input.takeProfit.trigger, triggerPrice: input.takeProfit.triggerPrice, limitPrice: input.takeProfit.limitPrice }
          : { kind: 'take-profit-market', side: exit, amount: '0', trigger: input.takeProfit.trigger, triggerPrice: input.takeProfit.triggerPrice }
      const sl: ConditionalLeg =
        input.stopLoss.limitPrice !== undefined
          ? { kind: 'stop-limit', side: exit, amount: '0', trigger: input.stopLoss.trigger, triggerPrice: input.stopLoss.triggerPrice, limitPrice: input.stopLoss.limitPrice }
          : { kind: 'stop-market', side: exit, amount: '0', trigger: input.stopLoss.trigger, triggerPrice: input.stopLoss.triggerPrice }
      const legs = [tp, sl].map((l) => this.newLeg(input.venueId, input.symbol, groupId, 'bracket', l, entryId, 'app')) as [Leg, Leg]
      legs[0].sibling = legs[1]
      legs[1].sibling = legs[0]
      const entry: EntryState = { clientOrderId: entryId, legs, filled: new Decimal(0), done: false, info }
      // Legs first (they name the entry's client id), then the entry: a crash in between leaves legs
      // that the next start cancels, never an entry without its exits.
      this.insertLegs(legs, m, keyed)
      this.entries.set(entryId, entry)
      const intent: OrderIntent = {
        venueId: input.venueId,
        symbol: input.symbol,
        side: e.side,
        type: e.type,
        timeInForce: e.timeInForce,
        postOnly: e.postOnly,
        amount: amount.toFixed(),
        ...(e.type === 'limit' ? { price: e.price as string } : {}),
        origin: { kind: 'conditional', ref: groupId },
        clientOrderId: entryId,
      }
      let rec: OrderRecord
      try {
        rec = await this.gateway.submit(intent)
      } catch (err) {
        const known = this.gateway.get(entryId)
        if (known !== undefined && known.status !== 'rejected') {
          // No answer in time, but it may be on the venue (the gateway keeps following it): the exits stay
          // and arm if it fills, as they would had it answered.
          this.log.warn('bracket entry sent without an answer yet: its exits follow it', { clientOrderId: entryId, error: messageOf(err) })
          for (const leg of legs) this.emit(leg)
          this.onEntryOrder(entry, known)
          return legs.map((l) => this.view(l))
        }
        // Refused: nothing was sent, so nothing stays.
        this.entries.delete(entryId)
        for (const leg of legs) {
          this.legs.delete(leg.id)
          this.untrack(leg)
        }
        this.store.delete(legs.map((l) => l.id))
        throw err
      }
      for (const leg of legs) this.emit(leg)
      this.onEntryOrder(entry, rec)
      return legs.map((l) => this.view(l))
    } finally {
      m.holds--
      this.releaseIfIdle(m)
    }
  }

  /**
   * Refused now rather than when the market moves: each order the legs may send against the max order
   * notional, and a conditional buy against the max position with what is held and already working (an
   * OCO by its larger buy leg: one cancels the other), and a buy against a daily loss limit already
   * reached. Their orders are checked again when they fire.
   */
  private async checkArming(venueId: string, symbol: string, legs: readonly ConditionalLeg[], orders: ArmedOrder[]): Promise<void> {
    if (this.deps.checkArm === undefined) return
    const buys = legs.filter((l) => l.side === 'buy').map((l) => new Decimal(l.amount))
    await this.deps.checkArm({ venueId, symbol, orders, buy: buys.length === 0 ? null : Decimal.max(...buys).toFixed(), buys: buys.length > 0 })
  }

  private newLeg(
    venueId: string,
    symbol: string,
    groupId: string | null,
    groupType: GroupType,
    l: ConditionalLeg,
    entryClientOrderId: string | null,
    placement: 'app' | 'exchange',
  ): Leg {
    const now = this.now()
    const stored: StoredLeg = {
      id: this.ids.legId(),
      groupId,
      groupType,
      venueId,
      symbol,
      kind: l.kind,
      side: l.side,
      amount: new Decimal(l.amount).toFixed(),
      trigger: l.trigger,
      placement,
      triggerPrice: l.kind === 'trailing-stop' ? null : new Decimal(l.triggerPrice).toFixed(),
      limitPrice: l.kind === 'stop-limit' || l.kind === 'take-profit-limit' ? new Decimal(l.limitPrice).toFixed() : null,
      trailing:
        l.kind === 'trailing-stop'
          ? {
              unit: l.distance.unit,
              value: new Decimal(l.distance.value).toFixed(),
              activationPrice: l.activationPrice === undefined ? null : new Decimal(l.activationPrice).toFixed(),
              activated: false,
              reference: null,
            }
          : null,
      status: 'armed',
      reason: null,
      cancelCause: null,
      heldUntil: null,
      clientOrderId: null,
      filled: null,
      entryClientOrderId,
      entryFilled: entryClientOrderId === null ? null : '0',
      createdAt: now,
      updatedAt: now,
    }
    return toLeg(stored)
  }

  /** Stores new legs (with the idempotency key they are created under) and tracks them in their market (statuses as they start). */
  private insertLegs(legs: Leg[], m: MarketState, keyed?: LegsKey): void {
    for (const leg of legs) {
      this.track(leg, m)
      const s = this.effective(leg)
      leg.status = s.status
      leg.reason = s.reason
    }
    try {
      if (!this.store.insert(legs, keyed)) throw new AppError('CONFLICT', KEY_REUSED)
    } catch (err) {
      for (const leg of legs) this.untrack(leg)
      throw err
    }
    for (const leg of legs) this.legs.set(leg.id, leg)
  }

  /**
   * The kill switch disarmed everything: a stop armed after it would be shown as protecting a position and
   * then be refused when it fires. Asked again right before legs are written (create() may have waited for prices).
   */
  private assertNotHalted(): void {
    const halted = this.deps.halted?.() ?? null
    if (halted !== null) throw new AppError('CONFLICT', `${halted} (no conditional order is armed while trading is halted)`)
  }

  private insertAndArm(legs: Leg[], info: MarketInfo, keyed?: LegsKey): ConditionalView[] {
    this.assertNotHalted()
    const m = this.ensureMarket(legs[0]?.venueId as string, legs[0]?.symbol as string, info)
    this.insertLegs(legs, m, keyed)
    for (const leg of legs) this.arm(leg)
    for (const leg of legs) this.emit(leg)
    // Already past its trigger (re-armed, or created before its market had a price)? It fires now, as on the next tick.
    this.evaluateNow(m)
    return legs.map((l) => this.view(l))
  }

  private waitForPrices(m: MarketState, sources: number[], what: string): Promise<void> {
    const ready = () => m.health === 'live' && sources.every((s) => m.priceText(s) !== null)
    if (ready()) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!ready()) return
        clearTimeout(timer)
        m.waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        m.waiters.delete(check)
        // A live book with no trade yet has no last price: waiting helps only once one prints, so say that.
        const label = this.deps.labelOf(m.venueId)
        const missing = sources.filter((s) => m.priceText(s) === null)
        if (m.health === 'live' && missing.length === 1 && missing[0] === sourceIndexOf('last')) {
          return reject(new AppError('UNAVAILABLE', `No trade has printed on ${m.symbol} on ${label} since the app began watching it (its book is live): ${what}; trigger on bid, ask or mid instead, or try again after a trade`))
        }
        const why = m.health === null ? 'no data yet' : m.health !== 'live' ? `book ${m.health}${m.healthReason ? `: ${m.healthReason}` : ''}` : 'no price yet'
        reject(new AppError('UNAVAILABLE', `No live price for ${m.symbol} on ${label} (${why}): ${what}; try again in a moment`))
      }, this.priceWaitMs)
      m.waiters.add(check)
    })
  }

  // ── markets and ticks ───────────────────────────────────────────────────────────────────────────────

  private ensureMarket(venueId: string, symbol: string, info: MarketInfo): MarketState {
    const key = marketKey(venueId, symbol)
    let m = this.markets.get(key)
    if (m !== undefined) return m
    const state = new MarketState(key, venueId, symbol, info)
    this.markets.set(key, state)
    try {
      state.stopWatch = this.ticks.watch(venueId, symbol, (tick) => this.onTick(state, tick))
    } catch (err) {
      this.markets.delete(key)
      throw err instanceof AppError ? err : new AppError('UNAVAILABLE', `Cannot watch ${symbol} on ${this.deps.labelOf(venueId)}: ${messageOf(err)}`)
    }
    m = state
    return m
  }

  private releaseIfIdle(m: MarketState): void {
    if (m.legs.size > 0 || m.holds > 0 || m.released) return
    m.released = true
    this.markets.delete(m.key)
    m.stopWatch?.()
    m.stopWatch = null
  }

  /** The hot path: one tick of one market. */
  private onTick(m: MarketState, t: MarketTick): void {
    if (m.released) return
    // Failed cancels of this market's resting take-profit orders: asked again after the tick, when due.
    if (this.cancelRetries.size > 0) queueMicrotask(() => this.cancelRetries.due(m.key))
    if (this.heldSends.size > 0) queueMicrotask(() => this.heldSends.due(m.key))
    if (t.health !== 'live') {
      if (m.health !== t.health || m.healthReason !== t.reason) {
        m.health = t.health
        m.healthReason = t.reason
        this.restatusMarket(m)
      }
      if (m.waiters.size > 0) for (const w of [...m.waiters]) w()
      return
    }
    let force = false
    if (m.health !== 'live') {
      // Live again (or for the first time): statuses back, and every price is evaluated at once.
      force = true
      m.health = 'live'
      m.healthReason = null
      this.restatusMarket(m)
    }
    // The tick's part of a trigger: the legs the index fired (they left it, so no later tick can fire them
    // again) and the trails it started go straight into the fire queue's batch, nothing else. A firing
    // tick's cost is the memory it touches, and the legs' is cold by then, so everything else waits for the
    // settle right after the tick handling: which of them still fire (one canceled since, or the OCO
    // partner of one that fired before it in the batch, does not), their client ids, the partners'
    // cancels, one write, then the orders. (The index part of a tick calls nothing outside this engine.)
    const queue = this.queue
    const { fired, started } = queue.current
    const before = fired.length + started.length
    m.setPrice(0, t.last, force, fired, started)
    m.setPrice(1, t.bid, force, fired, started)
    m.setPrice(2, t.ask, force, fired, started)
    m.setMid(force, fired, started)
    // The tick only decides; the write and the sends follow right after it (drain, fire-queue.ts).
    queue.queuedSince(before)
    // After this turn's ticks: keep the firing path cached (skipped on a turn whose settle ran: rehearse).
    if (!this.rehearsalQueued) {
      this.rehearsalQueued = true
      void rehearsalTurn.then(this.rehearse)
    }
    if (m.waiters.size > 0) for (const w of [...m.waiters]) w()
  }

  /** Apply the market's current prices now (new legs armed, legs re-armed); what fires is sent at once. */
  private evaluateNow(m: MarketState): void {
    if (m.health !== 'live') return
    const { fired, started } = this.queue.current
    const before = fired.length + started.length
    m.applyAll(fired, started)
    if (fired.length + started.length !== before) {
      this.queue.queued()
      this.drain()
    }
  }

  /** Settles what ticks decided since the last drain (queued by ticks; runs right after the tick). */
  private drain(): void {
    const batch = this.queue.take()
    if (batch === null) return
    this.settledSinceRehearsal = true
    try {
      this.settle(batch)
    } catch (err) {
      this.log.error('conditional engine: settling triggered orders failed', err)
    }
  }

  /** One transaction for the whole batch (triggers, client ids, partners' cancels, trails' starts), then the orders. */
  private settle(batch: FireBatch): void {
    const changed: Leg[] = []
    for (const leg of batch.started) {
      if (leg.trailing === null || !isActive(leg.status)) continue
      leg.trailing.activated = true
      this.syncReference(leg)
      this.restatus(leg)
      changed.push(leg)
    }
    // In the order they fired: an OCO leg whose partner fired before it in the batch finds itself canceled.
    const sent: Leg[] = []
    const partners: (Leg | null)[] = []
    /** Legs that triggered while their take-profit's limit order rested: sent once it is canceled. */
    const waiting: Leg[] = []
    for (const leg of batch.fired) {
      // A trail: the reference it fired from (the index kept it; later ticks may have lifted its group's).
      const h = leg.handle
      const ref = h !== null && h.kind === 'trail' ? ((leg.market as MarketState | null)?.indexes[sourceIndexOf(leg.trigger)]?.reference(h) ?? NaN) : NaN
      leg.handle = null
      // Canceled since the tick (by the user, the kill switch) or by its partner: not sent. ('waiting': a
      // trail that started in this turn, or a book that went stale after the tick that fired it.)
      if (!isArmable(leg.status)) continue
      const sib = leg.sibling
      // Its partner fired earlier in this batch (a tick crossing both): one order, as for any OCO — except
      // a take-profit limit order, which may rest unfilled: then this leg waits for its cancel (below).
      if (sib !== null && sib.status === 'triggered' && sent.includes(sib) && sib.kind !== 'take-profit-limit') {
        leg.status = 'canceled'
        leg.cancelCause = 'sibling'
        leg.reason = `its ${roleOf(sib.kind)} partner triggered`
        partners[sent.indexOf(sib)] = leg // (re-armed with it, should the write fail)
        changed.push(leg)
        continue
      }
      leg.status = 'triggered'
      leg.reason = null
      this.takeReference(leg, ref)
      // (Already set if something else wrote the leg as triggered since: write() names the order then.)
      leg.clientOrderId ??= this.ids.clientOrderId(this.now())
      changed.push(leg)
      if (sib !== null && sib.status === 'triggered') {
        // Its take-profit's limit order rests: that order is canceled first, and this one is sent for what
        // it left unfilled once the cancel is confirmed (onLegOrder) — never both selling the same coins.
        leg.reason = `sends once its ${roleOf(sib.kind)}'s order is canceled, for what that order left unfilled`
        waiting.push(leg)
        continue
      }
      this.byOrder.set(leg.clientOrderId, leg)
      sent.push(leg)
      let partner: Leg | null = null
      // A take-profit limit order may rest unfilled: its partner stays armed until that order fills.
      if (sib !== null && isArmable(sib.status) && leg.kind !== 'take-profit-limit') {
        sib.status = 'canceled'
        sib.cancelCause = 'sibling'
        sib.reason = `its ${roleOf(leg.kind)} partner triggered`
        this.unindex(sib)
        partner = sib
        changed.push(sib)
      }
      partners.push(partner)
    }
    let written: Leg[]
    try {
      written = this.write(changed, true)
    } catch (err) {
      // Nothing was written, so nothing may be sent: the legs go back to the index as they were.
      this.unfire(sent, partners, waiting)
      this.log.error('conditional engine: could not record triggered orders; they stay armed', err)
      return
    }
    // Written before anything is sent; the orders go out before the news does.
    for (const leg of sent) this.submitLeg(leg)
    this.announce(written)
    for (const leg of waiting) {
      const resting = leg.sibling as Leg
      this.afterCancel.set(resting.clientOrderId as string, leg)
      this.cancelResting(resting)
    }
    for (const leg of sent) {
      const entry = this.entryOf(leg)
      if (entry === undefined || entry.done) continue
      const id = entry.clientOrderId
      this.gateway.cancel(id).catch((err: unknown) => this.log.warn('could not cancel the rest of a bracket entry after an exit triggered', { entry: id, error: messageOf(err) }))
    }
  }

  /** The batch's write failed: its legs (and the partners they canceled) are armed again, unsent. */
  private unfire(sent: Leg[], partners: (Leg | null)[], waiting: Leg[]): void {
    const back: Leg[] = []
    for (const leg of waiting) {
      leg.clientOrderId = null
      leg.status = 'armed'
      back.push(leg)
    }
    for (let i = 0; i < sent.length; i++) {
      const leg = sent[i] as Leg
      if (leg.status === 'triggered' && leg.clientOrderId !== null) {
        this.byOrder.delete(leg.clientOrderId)
        leg.clientOrderId = null
        leg.status = 'armed'
        back.push(leg)
      }
      const partner = partners[i]
      if (partner !== null && partner !== undefined && partner.status === 'canceled' && partner.cancelCause === 'sibling') {
        partner.status = 'armed'
        partner.cancelCause = null
        partner.reason = null
        back.push(partner)
      }
    }
    for (const leg of back) {
      this.arm(leg)
      this.restatus(leg)
    }
  }

  // ── orders ──────────────────────────────────────────────────────────────────────────────────────────

  private submitLeg(leg: Leg): void {
    if (leg.status === 'triggered' && (leg.reason !== null || leg.heldUntil !== null)) {
      // Its order goes out now: the row no longer says what it waited for (a restart sends it, a hold ended).
      leg.reason = null
      leg.heldUntil = null
      this.commit([leg])
    }
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
      // A sell reduces what is held; a bracket's exit closes what its entry opened (either side).
      ...(leg.side === 'sell' || leg.groupType === 'bracket' ? { protective: true } : {}),
    }
    const id = intent.clientOrderId as string
    let sent: Promise<OrderRecord>
    this.sending.add(id)
    try {
      sent = this.gateway.submit(intent)
    } catch (err) {
      sent = Promise.reject(err)
    }
    sent.then(
      (rec) => {
        this.sending.delete(id)
        this.guard(() => this.onOrder(rec))
      },
      (err: unknown) => {
        this.sending.delete(id)
        this.guard(() => this.onLegRefused(leg, err))
      },
    )
  }

  private guard(fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.log.error('conditional engine: handling an order update failed', err)
    }
  }

  /** Any order update (bus or submit result): a triggered leg's order, or a bracket's entry. */
  private onOrder(rec: OrderRecord): void {
    if (!this.running || rec.origin.kind !== 'conditional') return
    const leg = this.byOrder.get(rec.clientOrderId)
    if (leg !== undefined) this.onLegOrder(leg, rec)
    const entry = this.entries.get(rec.clientOrderId)
    if (entry !== undefined) this.onEntryOrder(entry, rec)
    else if (leg === undefined && TERMINAL_ORDER.has(rec.status)) this.afterEntryEnded(rec)
  }

  /**
   * A finished order no longer followed changed: if it is a bracket's entry (its origin names the group) whose
   * fills now add up to more than its legs recorded when it ended (a late fill, fills a reconcile fetched),
   * its bracket is no longer settled: the next start reads it and re-arms its exit for the rest.
   */
  private afterEntryEnded(rec: OrderRecord): void {
    const groupId = rec.origin.ref
    if (groupId === null) return
    // As at start: a buy's fee in the coin bought is not in the legs' figure (a first cut; start decides).
    const fee = rec.side === 'buy' ? (this.gateway.baseFeePaid?.(rec.clientOrderId) ?? '0') : '0'
    try {
      const reopened = this.store.reopenEntry(groupId, rec.clientOrderId, (known) => new Decimal(rec.filled).minus(fee).gt(known))
      if (reopened) this.log.warn('bracket entry shows more filled after it ended: the next start re-arms its exit for what its exits have not covered', { entry: rec.clientOrderId, filled: rec.filled })
    } catch (err) {
      this.log.warn('could not reopen a bracket whose entry filled more after it ended', { entry: rec.clientOrderId, error: messageOf(err) })
    }
  }

  private onLegOrder(leg: Leg, rec: OrderRecord): void {
    if (leg.status !== 'triggered') return
    // Refused while its submit is still answering: the answer tells whether a rate limit refused it (onLegRefused).
    if (rec.status === 'rejected' && this.sending.has(rec.clientOrderId)) return
    if (!TERMINAL_ORDER.has(rec.status)) {
      if (rec.status === 'open' || rec.status === 'partially-filled') this.cancelReverted(leg, rec)
      return this.onRestingFill(leg, rec)
    }
    this.byOrder.delete(rec.clientOrderId)
    leg.filled = rec.filled
    const changed: Leg[] = [leg]
    const waiting = this.afterCancel.get(rec.clientOrderId)
    if (waiting !== undefined) this.afterCancel.delete(rec.clientOrderId)
    this.cancelRetries.done(rec.clientOrderId)
    if (rec.status === 'filled') {
      leg.status = 'done'
      leg.reason = null
    } else if (rec.status === 'left-on-exchange') {
      // Its account was removed while the order worked: not canceled, just out of reach.
      leg.status = 'left-on-exchange'
      leg.cancelCause = null
      leg.reason = rec.error
    } else {
      leg.status = rec.status === 'rejected' || rec.status === 'lost' ? 'failed' : 'canceled'
      leg.cancelCause = null
      const why = waiting !== undefined && rec.status === 'canceled' ? ` when its ${roleOf(waiting.kind)} partner triggered,` : `${rec.error ? ` (${rec.error})` : ''}`
      leg.reason = `its order was ${rec.status}${why} with ${new Decimal(rec.filled).toFixed()} of ${leg.amount} filled`
    }
    const rearmed = this.rearmPartner(leg, changed)
    this.resizePartner(leg, changed)
    const send = waiting !== undefined && this.releaseWaiting(leg, waiting, changed)
    this.commit(changed)
    if (send) this.submitLeg(waiting)
    if (rearmed !== null) this.evaluateNow(rearmed)
  }

  /**
   * A triggered take-profit's limit order filled part: the partner still armed beside it now covers only
   * what is left (shown, and stored for a restart).
   */
  private onRestingFill(leg: Leg, rec: OrderRecord): void {
    const sib = leg.sibling
    if (sib === null || !isArmable(sib.status) || new Decimal(rec.filled).eq(leg.filled ?? '0')) return
    leg.filled = rec.filled
    const changed: Leg[] = [leg]
    const remaining = this.remainingAfter(leg)
    if (remaining.gt(0) && !remaining.eq(sib.amount)) {
      sib.amount = remaining.toFixed()
      changed.push(sib)
    }
    this.commit(changed)
  }

  /**
   * A take-profit limit order ended while its partner stayed armed: the partner keeps guarding what that
   * order left unsold, or, when nothing is left, is canceled.
   */
  private resizePartner(leg: Leg, changed: Leg[]): void {
    const sib = leg.sibling
    if (sib === null || !isArmable(sib.status)) return
    const remaining = this.remainingAfter(leg)
    if (remaining.gt(0)) {
      if (!remaining.eq(sib.amount)) {
        sib.amount = remaining.toFixed()
        changed.push(sib)
      }
      return
    }
    this.unindex(sib)
    sib.status = 'canceled'
    sib.cancelCause = 'sibling'
    sib.reason = `its ${roleOf(leg.kind)} partner filled`
    changed.push(sib)
  }

  /**
   * The resting take-profit order that `leg` waited for has ended: `leg` is sent for what that order left
   * unfilled (true), or, when it filled everything before the cancel landed, ends canceled unsent.
   */
  private releaseWaiting(resting: Leg, leg: Leg, changed: Leg[]): boolean {
    if (leg.status !== 'triggered') return false
    changed.push(leg)
    const remaining = this.remainingAfter(resting)
    if (remaining.lte(0)) {
      leg.status = 'canceled'
      leg.cancelCause = 'sibling'
      leg.reason = `its ${roleOf(resting.kind)} partner filled before its order could be canceled`
      leg.clientOrderId = null // never sent
      return false
    }
    leg.amount = remaining.toFixed()
    leg.reason = null
    this.byOrder.set(leg.clientOrderId as string, leg)
    return true
  }

  /**
   * Asks the venue to cancel a take-profit's resting order (its partner triggered and waits for it to end).
   * A failed ask is repeated (cancel-retries.ts) while the partner waits; the order's end releases it.
   */
  private cancelResting(resting: Leg): void {
    const id = resting.clientOrderId as string
    const waiter = this.afterCancel.get(id)
    if (waiter === undefined || waiter.status !== 'triggered') return this.cancelRetries.done(id)
    if (resting.status !== 'triggered') {
      // It ended without releasing its partner (e.g. its order was refused): the partner is sent now.
      const changed: Leg[] = []
      const send = this.releaseAfter(resting, changed)
      this.commit(changed)
      if (send !== null) this.submitLeg(send)
      return
    }
    const key = marketKey(resting.venueId, resting.symbol)
    // New orders are held for a rate limit (cancels are not): canceling now would leave the position with
    // neither order until the hold ends (the partner is refused), so the order rests until then.
    const holdMs = this.gateway.rateHoldMs?.(resting.venueId) ?? 0
    if (holdMs > 0) {
      this.cancelRetries.later(id, resting, resting.venueId, key, holdMs)
      waiter.reason = `new orders are held for ${Math.ceil(holdMs / 1000)} s (rate limit): its ${roleOf(resting.kind)}'s order ${id} keeps resting until then, then is canceled and this one sent for what it left unfilled`
      return this.commit([waiter])
    }
    this.cancelRetries.asking(id, resting, resting.venueId, key)
    let asked: Promise<OrderRecord>
    try {
      asked = this.gateway.cancel(id)
    } catch (err) {
      asked = Promise.reject(err)
    }
    asked.then(
      // Taken: the order's end ('canceled', or filled first) comes as an order update. Accepted but still
      // 'canceling' (OKX/Bybit): kept, so that the order turning out still open is asked again (onLegOrder).
      (rec) =>
        this.guard(() => {
          if (TERMINAL_ORDER.has(rec.status)) return this.cancelRetries.done(id)
          this.cancelRetries.accepted(id)
          if (rec.status !== 'canceling') this.cancelReverted(resting, rec)
        }),
      (err: unknown) =>
        this.guard(() => {
          const rec = this.gateway.get(id)
          // E.g. it filled before it could be canceled: the partner is released for what it left (nothing).
          if (rec !== undefined && TERMINAL_ORDER.has(rec.status)) {
            this.cancelRetries.done(id)
            return this.onLegOrder(resting, rec)
          }
          const leg = this.afterCancel.get(id)
          if (leg === undefined || leg.status !== 'triggered' || !this.running) return this.cancelRetries.done(id)
          const waitMs = this.cancelRetries.failed(id)
          this.log.warn('could not cancel a take-profit order whose partner triggered; asking again', { clientOrderId: id, error: messageOf(err), retryInMs: waitMs })
          leg.reason = `could not cancel its ${roleOf(resting.kind)}'s order ${id} yet (${messageOf(err)}): asked again in ${Math.ceil(waitMs / 1000)} s; it is sent for what that order leaves unfilled once it ends`
          this.commit([leg])
        }),
    )
  }

  /**
   * A take-profit order whose cancel the venue had accepted is open again (the cancel did not go through):
   * the cancel is asked again after a backoff, so its waiting partner is not left unsent.
   */
  private cancelReverted(resting: Leg, rec: OrderRecord): void {
    const id = rec.clientOrderId
    const waiter = this.afterCancel.get(id)
    if (waiter === undefined || waiter.status !== 'triggered') return
    const waitMs = this.cancelRetries.reopened(id)
    if (waitMs === null) return
    this.log.warn('a take-profit order whose partner triggered is still open after its cancel; asking again', { clientOrderId: id, error: rec.error, retryInMs: waitMs })
    waiter.reason = `its ${roleOf(resting.kind)}'s order ${id} is still open after its cancel${rec.error ? ` (${rec.error})` : ''}: asked again in ${Math.ceil(waitMs / 1000)} s; it is sent for what that order leaves unfilled once it ends`
    this.commit([waiter])
  }

  private onLegRefused(leg: Leg, err: unknown): void {
    if (leg.status !== 'triggered') return
    // Its own send met the rate limit and started the hold: certainly not placed, but its client id is
    // taken by that refused order, so it waits under a new one (an OCO's take-profit fails, as below). Also
    // when the answer comes while the app closes (the engine stops before the order manager): written on its
    // row, the next start waits for the hold and sends it.
    if (err instanceof RateLimitRefusal && waitsForHold(leg) && leg.clientOrderId !== null) {
      if (this.cancelIfHalted(leg)) return
      return this.renewAfterRefusal(leg, err)
    }
    // Its send was to be made again (a rate limit the retries covered, a lost answer) when the kill switch halted
    // trading: not made, not placed. Canceled by the switch as above, not failed (its partner stays disarmed).
    if (err instanceof HaltedRefusal && this.cancelIfHalted(leg)) return
    const rec = leg.clientOrderId === null ? undefined : this.gateway.get(leg.clientOrderId)
    if (rec !== undefined && TERMINAL_ORDER.has(rec.status)) return this.onLegOrder(leg, rec)
    if (rec !== undefined) return // it is out after all; its updates will tell
    if (leg.clientOrderId !== null) this.byOrder.delete(leg.clientOrderId)
    // Refused (nothing stored, so nothing sent) while the account's new orders are held for a rate limit: a
    // stop (or a standalone take-profit) waits for the hold to end rather than fail (waitsForHold). Only the
    // hold's own refusal (RateHoldRefusal) waits: the risk gate is asked first, and its refusal (no price
    // while the feed is stale; markets that could not be loaded, UNAVAILABLE too) is no rate limit, nor is an
    // exchange not reached or locked credentials, so those fail as at any other time.
    const holdMs = this.gateway.rateHoldMs?.(leg.venueId) ?? 0
    if (holdMs > 0 && err instanceof RateHoldRefusal && waitsForHold(leg) && leg.clientOrderId !== null && this.running) {
      if (this.cancelIfHalted(leg)) return
      return this.holdSend(leg, holdMs)
    }
    leg.status = 'failed'
    leg.filled = '0'
    leg.reason = `its order was refused: ${messageOf(err)}`
    const changed: Leg[] = [leg]
    const rearmed = this.rearmPartner(leg, changed)
    // A take-profit limit whose partner triggered in the same batch: that partner waited for this order's
    // cancel; there is no order, so it is sent now.
    const send = this.releaseAfter(leg, changed)
    this.commit(changed)
    if (send !== null) this.submitLeg(send)
    if (rearmed !== null) this.evaluateNow(rearmed)
  }

  /** A triggered stop's send was refused by a rate hold: sent again (same client id) once the hold ends. */
  private holdSend(leg: Leg, holdMs: number): void {
    leg.heldUntil = this.now() + holdMs
    leg.reason = `waiting for the exchange's rate limit, sends at ${clockTime(leg.heldUntil)}`
    this.log.warn('a triggered stop was refused during a rate hold; sent once it ends', { id: leg.id, clientOrderId: leg.clientOrderId, holdMs })
    // Written first: the id it will be sent under is on its row before anything can send it.
    this.commit([leg])
    if (!this.running) return // stopped meanwhile: the next start reads held_until
    this.heldSends.later(leg.clientOrderId as string, leg, leg.venueId, marketKey(leg.venueId, leg.symbol), holdMs)
  }

  /**
   * At start, a triggered stop that waited for a rate limit's hold (its row says until when) still does:
   * sending inside the exchange's Retry-After window may get the account's IP banned (Binance's 418). Its
   * end is wall-clock time, so after the computer's clock was set back it waits no longer than the order
   * manager's hold of that account (which keeps how long the exchange asked); none left, it is sent now.
   */
  private stillHeld(leg: Leg, heldUntil: number): void {
    const kept = this.gateway.rateHoldMs?.(leg.venueId)
    const waitMs = Math.min(heldUntil - this.now(), kept ?? Infinity)
    if (waitMs <= 0) return this.submitLeg(leg)
    if (kept !== undefined && waitMs < heldUntil - this.now()) {
      leg.heldUntil = this.now() + waitMs
      leg.reason = `waiting for the exchange's rate limit, sends at ${clockTime(leg.heldUntil)}`
      this.commit([leg])
    }
    this.heldSends.later(leg.clientOrderId as string, leg, leg.venueId, marketKey(leg.venueId, leg.symbol), waitMs)
  }

  /**
   * A triggered stop's own send met the rate limit (stored 'rejected', never placed): it takes a new client
   * id — the refused one stays that order's — and is sent under it once the hold ends (holdSend).
   */
  private renewAfterRefusal(leg: Leg, err: RateLimitRefusal): void {
    const refused = leg.clientOrderId as string
    this.byOrder.delete(refused)
    leg.clientOrderId = this.ids.clientOrderId(this.now())
    const holdMs = Math.max(this.gateway.rateHoldMs?.(leg.venueId) ?? 0, err.holdMs)
    this.log.warn('a triggered stop was refused by the rate limit it met; sent under a new client id once the hold ends', { id: leg.id, refused, clientOrderId: leg.clientOrderId })
    this.holdSend(leg, holdMs)
  }

  /**
   * At start: the stop's own send met the rate limit (its order stored refused, `retryAfterMs` on it) but the
   * app ended before the stop took its new client id (renewAfterRefusal's write): it takes one now and waits
   * for what is left of the account's hold, or is sent now when it is over.
   */
  private renewAtStart(leg: Leg, rec: OrderRecord): void {
    if (this.cancelIfHalted(leg)) return
    this.byOrder.delete(rec.clientOrderId)
    leg.clientOrderId = this.ids.clientOrderId(this.now())
    this.byOrder.set(leg.clientOrderId, leg)
    const holdMs = this.gateway.rateHoldMs?.(leg.venueId) ?? 0
    this.log.warn('a triggered stop refused by the rate limit before the app stopped takes a new client id', { id: leg.id, refused: rec.clientOrderId, clientOrderId: leg.clientOrderId, holdMs })
    if (holdMs > 0) return this.holdSend(leg, holdMs)
    this.commit([leg]) // the new id on its row before it is sent
    this.submitLeg(leg)
  }

  /** The hold a stop's send waited for is over (or its retry is due): sent now. A refusal again waits again (onLegRefused). */
  private sendHeld(leg: Leg): void {
    const id = leg.clientOrderId
    if (id === null) return
    this.heldSends.done(id)
    if (leg.status !== 'triggered' || !this.running) return
    if (this.cancelIfHalted(leg)) return
    leg.reason = null
    leg.heldUntil = null
    this.commit([leg])
    this.byOrder.set(id, leg)
    this.submitLeg(leg)
  }

  /**
   * A triggered stop whose send was refused (nothing out) while trading is halted: canceled as the kill
   * switch cancels what it disarms, rather than waiting for the hold and selling once trading resumes (the
   * switch may have been pulled while that send was in flight, after disarmAll passed it by). True if so.
   */
  private cancelIfHalted(leg: Leg): boolean {
    if ((this.deps.halted?.() ?? null) === null) return false
    if (leg.clientOrderId !== null) this.byOrder.delete(leg.clientOrderId)
    leg.clientOrderId = null
    leg.heldUntil = null
    leg.status = 'canceled'
    leg.cancelCause = 'kill-switch'
    leg.reason = 'disarmed by the kill switch'
    const changed: Leg[] = [leg]
    // Its partner, canceled when it triggered, is not re-armed either.
    const sib = leg.sibling
    if (sib !== null && sib.status === 'canceled' && sib.cancelCause === 'sibling') {
      keepDisarmed(sib)
      changed.push(sib)
    }
    this.commit(changed)
    return true
  }

  /**
   * A partner about to re-arm while trading is halted (the kill switch's disarm did not reach it: it failed, or
   * the halt came without it): canceled by the kill switch instead, as disarmAll would have. True if so.
   */
  private stopHalted(sib: Leg, changed: Leg[]): boolean {
    if ((this.deps.halted?.() ?? null) === null) return false
    keepDisarmed(sib)
    changed.push(sib)
    return true
  }

  /** `resting` ended: the leg waiting for its order's cancel (if any) stops waiting; returns it when it is to be sent. */
  private releaseAfter(resting: Leg, changed: Leg[]): Leg | null {
    const id = resting.clientOrderId
    const waiter = id === null ? undefined : this.afterCancel.get(id)
    if (id === null || waiter === undefined) return null
    this.afterCancel.delete(id)
    this.cancelRetries.done(id)
    return this.releaseWaiting(resting, waiter, changed) ? waiter : null
  }

  /**
   * After a triggered leg ended: its partner (canceled by the trigger) re-arms for what is still open — not
   * while trading is halted: the kill switch keeps it canceled, also once trading resumes (stopHalted).
   */
  private rearmPartner(leg: Leg, changed: Leg[]): MarketState | null {
    const sib = leg.sibling
    if (sib === null || sib.status !== 'canceled' || sib.cancelCause !== 'sibling') return null
    const remaining = this.remainingAfter(leg)
    if (remaining.lte(0)) return null
    if (this.stopHalted(sib, changed)) return null
    sib.amount = remaining.toFixed()
    sib.status = 'armed'
    sib.cancelCause = null
    sib.reason = null
    changed.push(sib)
    const m = leg.market as MarketState | null
    if (m === null) {
      // Restored at start while its market's rules could not be loaded: armed as soon as they are.
      this.queueUnplaced(sib)
      return null
    }
    this.track(sib, m)
    this.arm(sib)
    this.restatus(sib)
    return m
  }

  /** What the group still holds after this leg's order ended. */
  private remainingAfter(leg: Leg): Decimal {
    const entry = this.entryOf(leg)
    if (entry !== undefined || leg.groupType === 'bracket') {
      const filled = entry?.filled ?? new Decimal(leg.entryFilled ?? '0')
      return filled.minus(this.exited(leg))
    }
    return new Decimal(leg.amount).minus(leg.filled ?? '0')
  }

  /** What the exits of a bracket sold (or bought back) so far (a resting take-profit's fills included). */
  private exited(leg: Leg): Decimal {
    let sum = new Decimal(0)
    for (const l of [leg, leg.sibling]) {
      if (l !== null && l.filled !== null && !isArmable(l.status)) sum = sum.plus(l.filled)
    }
    return sum
  }

  /**
   * What the entry put in the account to exit: its fills, less the fees a buy paid in the coin bought (the
   * simulated exchange and Binance charge buyers that way), down to the market's step — an exit sized to
   * the gross fill would be refused for want of the fee's worth.
   */
  private entryHolding(entry: EntryState, rec: OrderRecord): Decimal {
    const filled = new Decimal(rec.filled)
    if (rec.side !== 'buy' || filled.isZero() || this.gateway.baseFeePaid === undefined) return filled
    const fee = new Decimal(this.gateway.baseFeePaid(rec.clientOrderId))
    if (fee.isZero()) return filled
    const step = (entry.legs.find((l) => l.market !== null)?.market as MarketState | undefined)?.info.stepSize ?? entry.info?.stepSize
    const net = Decimal.max(filled.minus(fee), 0)
    return step === undefined ? net : net.div(step).floor().times(step)
  }

  private onEntryOrder(entry: EntryState, rec: OrderRecord): void {
    const filled = this.entryHolding(entry, rec)
    const changed: Leg[] = []
    let armed: MarketState | null = null
    if (filled.gt(entry.filled)) {
      entry.filled = filled
      for (const leg of entry.legs) {
        leg.entryFilled = filled.toFixed()
        changed.push(leg)
        if (!isArmable(leg.status)) continue
        const amount = filled.minus(this.exited(leg))
        if (amount.lte(0)) continue
        leg.amount = amount.toFixed()
        if (leg.handle === null) {
          this.arm(leg)
          if (leg.handle !== null) armed = leg.market as MarketState
        }
        this.restatus(leg)
      }
      // Both exits ended (one sold what had filled, canceling the other) before the entry's cancel landed:
      // what it filled since is guarded by the canceled one, as after a partial exit (rearmPartner).
      if (!entry.legs.some((l) => isActive(l.status))) armed = this.rearmForEntry(entry, changed) ?? armed
    }
    if (TERMINAL_ORDER.has(rec.status) && !entry.done) {
      entry.done = true
      this.entries.delete(entry.clientOrderId)
      if (filled.isZero()) {
        this.endEntry(entry, `the entry order was ${rec.status}${rec.error ? ` (${rec.error})` : ''} before anything filled`)
      }
    }
    this.commit(changed)
    if (entry.done) this.entryEnded(entry)
    // Kept while the entry worked (forgetIfEnded): let go now if nothing re-armed.
    if (entry.done) for (const leg of entry.legs) if (!isActive(leg.status)) this.forgetIfEnded(leg)
    if (armed !== null) this.evaluateNow(armed)
  }

  /** The exit its partner canceled re-arms for the entry's fills not yet exited; its market, when at hand. */
  private rearmForEntry(entry: EntryState, changed: Leg[]): MarketState | null {
    const leg = entry.legs.find((l) => l.status === 'canceled' && l.cancelCause === 'sibling')
    if (leg === undefined) return null
    const remaining = entry.filled.minus(this.exited(leg))
    if (remaining.lte(0)) return null
    if (this.stopHalted(leg, changed)) return null
    leg.amount = remaining.toFixed()
    leg.status = 'armed'
    leg.cancelCause = null
    leg.reason = null
    leg.clientOrderId = null // (a stop that waited for a take-profit's cancel, never sent)
    changed.push(leg)
    const m = this.markets.get(marketKey(leg.venueId, leg.symbol)) ?? (entry.info !== null ? this.ensureMarket(leg.venueId, leg.symbol, entry.info) : null)
    if (m === null) {
      this.queueUnplaced(leg)
      void this.placeUnplaced()
      return null
    }
    this.track(leg, m)
    this.arm(leg)
    this.restatus(leg)
    return m
  }

  /** The entry will never fill: its exits are canceled. */
  private endEntry(entry: EntryState, reason: string): void {
    entry.done = true
    this.entries.delete(entry.clientOrderId)
    const changed: Leg[] = []
    for (const leg of entry.legs) {
      if (!isArmable(leg.status)) continue
      this.unindex(leg)
      leg.status = 'canceled'
      leg.cancelCause = 'entry'
      leg.reason = reason
      changed.push(leg)
    }
    this.commit(changed)
    this.entryEnded(entry)
  }

  /** The entry's last fill is written on its legs: start need not look at this bracket again (partnerCanceledBrackets). */
  private entryEnded(entry: EntryState): void {
    const groupId = entry.legs[0]?.groupId
    if (groupId === null || groupId === undefined) return
    try {
      this.store.markEntryEnded(groupId)
    } catch (err) {
      // Only costs a look at the next start.
      this.log.warn('could not mark a bracket entry as ended', { entry: entry.clientOrderId, error: messageOf(err) })
    }
  }

  private entryOf(leg: Leg): EntryState | undefined {
    return leg.entryClientOrderId === null ? undefined : this.entries.get(leg.entryClientOrderId)
  }

  // ── legs in markets and in the index ────────────────────────────────────────────────────────────────

  private link(legs: Leg[]): void {
    const byGroup = new Map<string, Leg[]>()
    for (const leg of legs) {
      if (leg.groupId === null) continue
      const list = byGroup.get(leg.groupId) ?? []
      list.push(leg)
      byGroup.set(leg.groupId, list)
    }
    for (const list of byGroup.values()) {
      if (list.length !== 2) continue
      const [a, b] = list as [Leg, Leg]
      a.sibling = b
      b.sibling = a
    }
  }

  private queueUnplaced(leg: Leg): void {
    const key = marketKey(leg.venueId, leg.symbol)
    const list = this.unplaced.get(key) ?? []
    list.push(leg)
    this.unplaced.set(key, list)
  }

  /** Loads the market rules of legs restored at start and arms them (retried until it works). */
  private async placeUnplaced(): Promise<void> {
    await Promise.all([...this.unplaced].map(([key, legs]) => this.place(key, legs)))
  }

  private async place(key: string, legs: Leg[]): Promise<void> {
    const first = legs[0] as Leg
    let info: MarketInfo
    try {
      info = await this.marketOf(first.venueId, first.symbol)
    } catch (err) {
      const reason = `waiting for the market rules: ${messageOf(err)}`
      const changed = legs.filter((l) => isArmable(l.status) && (l.status !== 'waiting' || l.reason !== reason))
      for (const l of changed) {
        l.status = 'waiting'
        l.reason = reason
      }
      this.commit(changed)
      return
    }
    if (!this.running || this.unplaced.get(key) !== legs) return
    this.unplaced.delete(key)
    const m = this.ensureMarket(first.venueId, first.symbol, info)
    const changed: Leg[] = []
    for (const leg of legs) {
      const entry = this.entryOf(leg)
      if (entry !== undefined) entry.info = info
      if (!isActive(leg.status)) continue
      this.track(leg, m)
      this.arm(leg)
      if (this.restatus(leg)) changed.push(leg)
    }
    this.commit(changed)
    this.evaluateNow(m)
  }

  private track(leg: Leg, m: MarketState): void {
    m.legs.add(leg)
    leg.market = m
  }

  private untrack(leg: Leg): void {
    const m = leg.market as MarketState | null
    if (m === null) return
    this.unindex(leg)
    m.legs.delete(leg)
    leg.market = null
    this.releaseIfIdle(m)
  }

  /** Into the trigger index, if it can fire (armed or waiting for activation, with an amount). */
  private arm(leg: Leg): void {
    const m = leg.market as MarketState | null
    if (m === null || leg.handle !== null || !isArmable(leg.status)) return
    if (new Decimal(leg.amount).lte(0)) return // a bracket exit before its entry fills
    const idx = m.index(sourceIndexOf(leg.trigger))
    const digits = m.scale.digits
    const t = leg.trailing
    if (t === null) {
      leg.handle = idx.addLevel(leg, toUnits(leg.triggerPrice as string, digits), directionOf(leg.kind, leg.side))
      return
    }
    const reference = t.activated && t.reference !== null ? toUnits(t.reference, digits) : null
    leg.handle = idx.addTrail(leg, {
      side: leg.side,
      percent: t.unit === 'percent' ? t.value : null,
      distance: t.unit === 'price' ? toUnits(t.value, digits) : null,
      activation: !t.activated && t.activationPrice !== null ? toUnits(t.activationPrice, digits) : null,
      reference,
    })
    leg.refUnits = reference ?? NaN
  }

  private unindex(leg: Leg): void {
    const h = leg.handle
    if (h === null) return
    this.syncReference(leg)
    const m = leg.market as MarketState | null
    m?.indexes[sourceIndexOf(leg.trigger)]?.remove(h)
    leg.handle = null
  }

  /** Copies a trail's live reference from the index to the leg (as text, only when it moved). */
  private syncReference(leg: Leg): void {
    const h = leg.handle
    const m = leg.market as MarketState | null
    if (h === null || h.kind !== 'trail' || m === null || leg.trailing === null) return
    this.takeReference(leg, m.indexes[sourceIndexOf(leg.trigger)]?.reference(h) ?? NaN)
  }

  /** A trail's reference in units (NaN: none) into the leg, as text (only when it moved). */
  private takeReference(leg: Leg, u: number): void {
    const m = leg.market as MarketState | null
    if (Number.isNaN(u) || u === leg.refUnits || m === null || leg.trailing === null) return
    leg.refUnits = u
    leg.trailing.reference = unitsToText(u, m.scale)
    leg.trailing.activated = true
  }

  /** The status an armed / waiting leg shows now. */
  private effective(leg: Leg): { status: 'armed' | 'waiting'; reason: string | null } {
    if (leg.groupType === 'bracket' && new Decimal(leg.amount).lte(0)) return { status: 'waiting', reason: 'arms when the entry order fills' }
    const m = leg.market as MarketState | null
    if (m !== null && m.health !== null && m.health !== 'live') {
      return { status: 'waiting', reason: `book ${m.health}${m.healthReason ? `: ${m.healthReason}` : ''}` }
    }
    const t = leg.trailing
    if (t !== null && !t.activated && t.activationPrice !== null) {
      return { status: 'waiting', reason: `activates when the ${sourceWord(leg.trigger)} is ${leg.side === 'sell' ? 'at or above' : 'at or below'} ${t.activationPrice}` }
    }
    return { status: 'armed', reason: null }
  }

  /** Recomputes an armed / waiting leg's status; true when it changed. */
  private restatus(leg: Leg): boolean {
    if (!isArmable(leg.status)) return false
    const s = this.effective(leg)
    if (s.status === leg.status && s.reason === leg.reason) return false
    leg.status = s.status
    leg.reason = s.reason
    return true
  }

  private restatusMarket(m: MarketState): void {
    const changed: Leg[] = []
    for (const leg of m.legs) if (this.restatus(leg)) changed.push(leg)
    this.commit(changed)
  }

  /** Writes the legs (one transaction), announces them, and lets go of the ones that ended. */
  private commit(changed: Leg[]): void {
    this.announce(this.write(changed))
  }

  /** One transaction for all these legs; returns them without duplicates. `statusOnly`: only status fields changed. */
  private write(changed: Leg[], statusOnly = false): Leg[] {
    if (changed.length === 0) return changed
    const legs = changed.length === 1 ? changed : [...new Set(changed)]
    const now = this.now()
    for (const leg of legs) {
      leg.updatedAt = now
      this.syncReference(leg)
      // A trigger decided by a tick but not yet settled (a tick, then drain): its row names its order from the first write on.
      if (leg.status === 'triggered' && leg.clientOrderId === null) leg.clientOrderId = this.ids.clientOrderId(now)
    }
    if (statusOnly) this.store.saveStatus(legs)
    else this.store.save(legs)
    for (const leg of legs) leg.savedReference = leg.trailing?.reference ?? null
    return legs
  }

  /** conditionalChanged for each (its state now), then lets go of the legs that ended. */
  private announce(legs: Leg[]): void {
    for (const leg of legs) this.emit(leg)
    for (const leg of legs) {
      if (isActive(leg.status)) continue
      this.untrack(leg)
      this.forgetIfEnded(leg)
    }
  }

  /** A group whose legs all ended (and cannot re-arm) leaves memory. */
  private forgetIfEnded(leg: Leg): void {
    const group = leg.sibling === null ? [leg] : [leg, leg.sibling]
    const reArmable = (l: Leg) => l.status === 'canceled' && l.cancelCause === 'sibling' && l.sibling !== null && l.sibling.status === 'triggered'
    if (group.some((l) => isActive(l.status) || reArmable(l))) return
    // A bracket whose entry still works may fill more: an exit re-arms for that (onEntryOrder).
    const entry = this.entryOf(leg)
    if (entry !== undefined && !entry.done) return
    for (const l of group) this.legs.delete(l.id)
    if (leg.entryClientOrderId !== null) this.entries.delete(leg.entryClientOrderId)
  }

  private emit(leg: Leg): void {
    const view = this.view(leg)
    leg.shown = `${view.currentPrice ?? ''}|${leg.trailing?.reference ?? ''}`
    // Figures a live pass still under way computed before this view are older than it (LivePass.figures).
    this.livePass?.figures.delete(leg.id)
    this.bus.emit('conditionalChanged', { view })
  }

  private view(leg: Leg): ConditionalView {
    this.syncReference(leg)
    return viewOf(leg, this.deps.labelOf(leg.venueId), this.liveOf(leg))
  }

  /** An active leg's live figures from its market (reference synced by the caller); null when it has none. */
  private liveOf(leg: Leg): LiveFigures | null {
    const m = leg.market as MarketState | null
    if (m === null || !isActive(leg.status)) return null
    const reference = leg.trailing?.reference ?? null
    if (leg.trailing !== null && leg.triggerFor !== reference) {
      leg.triggerFor = reference
      leg.triggerText = trailingTriggerText(leg, reference)
    }
    return {
      currentPrice: m.priceText(sourceIndexOf(leg.trigger)),
      reference,
      ...(leg.trailing !== null ? { trailingTrigger: leg.triggerText } : {}),
    }
  }

  private assertRunning(): void {
    if (!this.running) throw new AppError('UNAVAILABLE', 'The conditional order engine is not running')
  }
}

/**
 * A leg its partner's trigger canceled (and that would re-arm for what that partner's order leaves) while the
 * kill switch holds trading: canceled by the switch, its row saying so; it never re-arms, also once trading
 * resumes — the trader creates again what they want.
 */
function keepDisarmed(leg: Leg): void {
  leg.cancelCause = 'kill-switch'
  leg.reason = `${leg.reason ?? 'canceled'}; disarmed by the kill switch, it does not re-arm`
}

/** The current price, for a leg that does not trail from it (armedOrderOf asks it only of a trailing stop without activation price). */
function noPrice(): string {
  throw new Error('a trailing stop without activation price is checked at the price now')
}

/**
 * Whether a triggered leg whose send a rate limit refused waits for the hold rather than fail: a stop (it
 * guards the position), and a take-profit on its own (it closes the position; failing would drop it). An OCO's
 * or bracket's take-profit fails: its stop, canceled when it triggered, re-arms and guards the position
 * meanwhile — waiting instead would leave a late take-profit limit resting with no stop behind it.
 */
function waitsForHold(leg: Leg): boolean {
  return roleOf(leg.kind) !== 'take-profit' || leg.sibling === null
}

/** An order the exchange refused for its rate limit (nothing placed; the order manager marks it with the wait asked). */
function refusedForRateLimit(rec: OrderRecord): boolean {
  return rec.status === 'rejected' && rec.retryAfterMs !== undefined && new Decimal(rec.filled).isZero()
}

/** 'HH:MM:SS UTC' (when a held order is sent: seconds away, so no date), as the app's other times. */
function clockTime(ms: number): string {
  return utcTime(ms, ms)
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

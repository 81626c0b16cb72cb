import Decimal from 'decimal.js'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { Db } from '../../store/open'
import { AppError } from '../../api/errors'
import { KeyRejectedError, NotSentError, VenueError, nativeStopKindOf, type OnVenueDropped, type OrderKindRef, type OrderRequest, type OrderTrigger, type Venue, type VenueDrop, type VenueErrorKind, type VenueOrder } from '../../venues/port'
import { nativeRefusal, nativeSupportOf } from '../../venues/native-support'
import { timeInForceRefusal } from '../../venues/time-in-force'
import type { FillRecord, IdempotencyKey, OrderGateway, OrderIntent, OrderRecord, RiskGate } from '../model'
import type { VenueView } from '../../api/contract'
import { IDEMPOTENCY_KEY_TTL_MS, KEY_REUSED } from '../idempotency'
import { isValidClientOrderId, newClientOrderId } from './client-ids'
import { OrderUpdater } from './order-updates'
import { matchReport, reconcileVenue, type ReconcileResult } from './reconcile'
import { RateHolds, holdTimerMs, seconds, type HoldScope } from './rate-holds'
import { RateHoldStore } from './rate-hold-store'
import { orderHoldScope, withLimitHit } from './rate-limit-hit'
import { HaltedRefusal, RateHoldRefusal, RateLimitRefusal } from '../rate-refusal'
import { CANCEL_FOLLOW_MS, followCancel } from './cancel-follow'
import { HaltedRecancels } from './halted-recancel'
import { cancelOnItsWay, isTerminal } from './status-table'
import { endedBeforeCancel, type EndedFirst } from './ended-before-cancel'
import { utcTime } from '../risk/clock'
import { OrderStore, type FillQuery, type OrderQuery } from './store'
import { VenueLink } from './venue-link'
import { FollowConnected } from './follow-connected'
import type { FollowFailure } from '../../venues/private-streams'

// The order manager: every order goes out through submit() and is followed until it is finished.
//  - The intent is written to SQLite (status 'pending', with our client id) before anything is sent, and
//    every retry reuses that id, so a crash or a timeout can never send an order twice.
//  - Updates come from the venue's own streams (orders and fills), from the replies to our requests, and
//    from reconciliation (at start, after a reconnect or a stream error, periodically); all of them are
//    merged through the status table (status-table.ts, order-updates.ts).
//  - An order the venue does not know is looked at once more before it is declared lost; a 'pending' row
//    left by a crash is never re-sent silently.
//
// Wiring (core.ts): `new OrderManager({ db: store.db, bus, log, now, venues /* the VenueRegistry */, risk,
// venueLabel })`, then `void manager.start()` once the registry exists (it resolves after the first
// reconciliation of each venue with unfinished orders; failures are logged and retried, never thrown),
// and `await manager.stop()` before the registry stops. Views: average price = cost / filled (null when
// nothing filled); the venue's label is not on OrderRecord.

export type { ReconcileResult } from './reconcile'
export type { OrderQuery, FillQuery } from './store'

/** An amend's new price and/or total amount. */
export type AmendChange = { price?: string; amount?: string }

export interface OrderManagerDeps {
  db: Db
  bus: EventBus
  log: Logger
  now?: () => number
  /**
   * The clock rate holds count down on within a run (a Retry-After's wait). Default: `now` when given (a test's
   * clock), else the monotonic clock. core.ts passes the monotonic clock beside the wall clock, so the computer's
   * clock set forward does not end a hold early (orders inside the exchange's window earn Binance's IP ban).
   */
  holdClock?: () => number
  /**
   * The accounts' rate holds, when shared with the venues (core.ts: every request of an account in an `all` hold
   * waits for it there); default the manager's own, on `holdClock`.
   */
  holds?: RateHolds
  /**
   * Where orders go: the venue registry (or anything that opens a Venue by id). `onDropped` tells when a
   * venue object it handed out was dropped (its account edited: 'replaced', or 'removed').
   */
  venues: {
    open(venueId: string): Promise<Venue>
    onDropped?: OnVenueDropped
    /**
     * Told when opening a connected account to follow its order and fill stream failed (`failure`: what, since
     * when, the next try), and with null once it is followed or no longer tried: the account's status shows it.
     */
    followFailed?(venueId: string, failure: FollowFailure | null): void
  }
  risk: RiskGate
  /** Waits between attempts when the venue rate-limits or cannot be reached (one entry per retry). Default 250, 500, 1000, 2000 ms. */
  retryDelaysMs?: readonly number[]
  /** Wait before the second look at an order the venue does not know, before it is declared lost. Default 5 s. */
  lostRecheckMs?: number
  /** After an order/fill stream error, reconcile this much later (the stream reconnects meanwhile). Default 1 s. */
  resyncDelayMs?: number
  /** Waits between looks at an order whose cancel the venue accepted but has not processed yet (cancel-follow.ts). */
  cancelFollowMs?: readonly number[]
  /**
   * Waits before sending a cancel again that the venue did not take because it was still processing an earlier
   * change to the order (Bybit 110079: an amend of it). One entry per resend. Default 250, 500, 1000, 2000 ms.
   */
  busyRetryMs?: readonly number[]
  /** Waits before canceling again, while the kill switch holds trading, an order whose accepted cancel did not go through. */
  haltedRecancelMs?: readonly number[]
  /** Reconcile venues with unfinished orders this often as a safety net; 0 turns it off. Default 60 s. */
  reconcileEveryMs?: number
  /** A reconciliation that failed (venue unreachable) is tried again after this. Default 10 s. */
  reconcileRetryMs?: number
  /** Waits between tries to open a connected account whose open failed, to follow its streams (the last repeats). Default 2 s … 60 s. */
  followRetryMs?: readonly number[]
  /** Fills are fetched from this long before the oldest unfinished order. Default 5 min. */
  fillsMarginMs?: number
  /** Names a venue in messages ("Binance main"); default its id. */
  venueLabel?: (venueId: string) => string
}

export interface CancelAllResult {
  /** Orders the venue confirmed canceled. */
  canceled: number
  /**
   * Those of `canceled` that had partly filled first: what filled stays bought or sold, so the screen says how
   * much ("canceled after 0.4 of 1 BTC filled"). `filled` and `amount` are the order row's decimal strings.
   */
  partlyFilled: { clientOrderId: string; venueId: string; symbol: string; filled: string; amount: string }[]
  /**
   * Orders whose cancel the venue accepted but has not processed yet (OKX, Bybit): still 'canceling', they
   * may yet fill. Named so that the screen can tell how each ended; updatedAt is the 'canceling' row's, so
   * that a later row of the order (back to open: the cancel did not go through) that reached the screen
   * before this reply is still told as news.
   */
  awaiting: { clientOrderId: string; venueId: string; updatedAt: number }[]
  /**
   * Orders that ended on their own (filled, expired, rejected) before their cancel reached them: not open, so no
   * failure; `how` says how ("filled before the cancel reached it").
   */
  ended: ({ clientOrderId: string; venueId: string } & EndedFirst)[]
  /** Orders that may still be open: the venue would not cancel them (or could not be reached), with its words. */
  failed: { clientOrderId: string; venueId: string; error: string }[]
}

/** Kinds of venue error that mean "refused": the order was certainly not placed. */
const REFUSALS = new Set<VenueErrorKind>(['invalid-order', 'insufficient-funds', 'invalid-key', 'invalid-signature', 'permission-denied', 'ip-not-allowed', 'order-not-found'])

const FILL_CHECK_WINDOW_MS = 24 * 60 * 60 * 1000

class Stopped extends Error {}

/** A cancel that failed in a way the kill switch does not ask again (the reconcile settles the order). */
class NotAskedAgain extends AppError {}

/** A cancel refused because the exchange has no such open order (it filled, was canceled, or never landed). */
class NotThereToCancel extends NotAskedAgain {
  constructor(message: string) {
    super('CONFLICT', message)
  }
}

/**
 * A cancel that found the order ended on its own (filled, expired, rejected) before the cancel reached it. The
 * engine's callers (conditional orders, copy, amend) see a CONFLICT saying how it ended; the trader's cancel
 * (cancelByTrader) answers with the order instead, as cancel-all counts such an order "already ended".
 */
class EndedBeforeCancel extends AppError {
  constructor(readonly order: OrderRecord) {
    super('CONFLICT', alreadyFinished(order))
  }
}

/** How an order's row says its kill-switch cancel waits for a rate hold (cancelAfterHold). */
const HELD_CANCEL = 'kill switch: the cancel waits for'

/** How an order's row says a start while halted found it open and cancels it (cancelOpenWhileHalted). */
const OPEN_WHILE_HALTED = 'Trading is halted by the kill switch and this order was still open after the app restarted: it is canceled (asked again while trading stays halted)'

/** How an order's row says it turned up open on the exchange while halted and is canceled (turnedUpOpen). */
const TURNED_UP_OPEN = 'Trading is halted by the kill switch and this order turned up open on the exchange: it is canceled (asked again while trading stays halted)'

/** Whether an order's row says a kill-switch cancel of it is still to come (waits for a hold, or a start's). */
const saysCancelComing = (error: string | null): boolean => error?.startsWith(HELD_CANCEL) === true || error === OPEN_WHILE_HALTED || error === TURNED_UP_OPEN

/** Milliseconds on a clock that only moves forward, whatever the computer's clock is set to. */
export const monotonicNow = (): number => performance.now()

export class OrderManager implements OrderGateway {
  private readonly store: OrderStore
  private readonly updater: OrderUpdater
  private readonly now: () => number
  private readonly retryDelaysMs: readonly number[]
  private readonly lostRecheckMs: number
  private readonly resyncDelayMs: number
  private readonly cancelFollowMs: readonly number[]
  private readonly busyRetryMs: readonly number[]
  /** Orders whose accepted cancel the venue has not processed yet, followed until they end (by client id). */
  private readonly cancelFollows = new Map<string, Promise<OrderRecord>>()
  private readonly reconcileEveryMs: number
  private readonly reconcileRetryMs: number
  private readonly fillsMarginMs: number
  private readonly label: (venueId: string) => string
  /** Accounts whose exchange asked to wait (Retry-After), however short. */
  private readonly holds: RateHolds

  private running = false
  /** Submits and cancels in flight, by client id (reconciliation leaves these orders alone). */
  private readonly inflight = new Map<string, Promise<unknown>>()
  /** The cancels among them: a second cancel of the same order gets the answer of the one on its way. */
  private readonly cancelsInFlight = new Map<string, Promise<OrderRecord>>()
  /** Amends in flight, by the client id of the order they replace. */
  private readonly amending = new Map<string, Promise<unknown>>()
  private readonly links = new Map<string, VenueLink>()
  private readonly reconciling = new Map<string, Promise<ReconcileResult>>()
  private readonly queuedReconciles = new Map<string, Promise<ReconcileResult>>()
  private readonly reconcileTimers = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>()
  private readonly rechecks = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly sleeps = new Set<{ timer: ReturnType<typeof setTimeout>; reject: (err: Error) => void }>()
  private readonly lastReconcileError = new Map<string, string>()
  /** The last look-up failure logged per order (reconcile): the same one again is not logged again. */
  private readonly lastLookupError = new Map<string, string>()
  /** Venues whose account was removed: never asked again (account ids are not reused). */
  private readonly removed = new Set<string>()
  private periodic: ReturnType<typeof setInterval> | undefined
  private offDropped: (() => void) | undefined
  private offChanged: (() => void) | undefined
  /** Trading resumed (riskChanged, not halted): the kill switch's cancels waiting for a rate hold are dropped. */
  private offRisk: (() => void) | undefined
  private offVenues: (() => void) | undefined
  /** Connected accounts opened to follow their streams, and tried again when that fails (followConnected). */
  private readonly following: FollowConnected
  private readonly recancels: HaltedRecancels

  constructor(private readonly deps: OrderManagerDeps) {
    this.now = deps.now ?? Date.now
    this.store = new OrderStore(deps.db)
    this.updater = new OrderUpdater({ store: this.store, bus: deps.bus, log: deps.log, now: this.now })
    this.retryDelaysMs = deps.retryDelaysMs ?? [250, 500, 1000, 2000]
    this.lostRecheckMs = deps.lostRecheckMs ?? 5000
    this.resyncDelayMs = deps.resyncDelayMs ?? 1000
    this.cancelFollowMs = deps.cancelFollowMs ?? CANCEL_FOLLOW_MS
    this.busyRetryMs = deps.busyRetryMs ?? [250, 500, 1000, 2000]
    this.reconcileEveryMs = deps.reconcileEveryMs ?? 60_000
    this.reconcileRetryMs = deps.reconcileRetryMs ?? 10_000
    this.fillsMarginMs = deps.fillsMarginMs ?? 5 * 60_000
    this.label = deps.venueLabel ?? ((id) => id)
    this.holds = deps.holds ?? new RateHolds(this.now, new RateHoldStore(deps.db), deps.holdClock ?? deps.now ?? monotonicNow)
    this.following = new FollowConnected({
      open: (venueId) => this.deps.venues.open(venueId),
      follow: (venueId, venue) => {
        this.link(venueId, venue)
      },
      followed: (venueId) => this.links.has(venueId),
      report: (venueId, failure) => this.deps.venues.followFailed?.(venueId, failure),
      label: (venueId) => this.label(venueId),
      log: deps.log,
      now: this.now,
      ...(deps.followRetryMs !== undefined ? { delaysMs: deps.followRetryMs } : {}),
    })
    this.recancels = new HaltedRecancels({
      halted: () => this.halted(),
      now: this.now,
      cancel: (id) => this.cancelOne(id),
      get: (id) => this.store.get(id),
      log: deps.log,
      delaysMs: deps.haltedRecancelMs,
      gone: (err) => err instanceof NotAskedAgain,
      notAsked: (id) => {
        // Trading resumed before the hold ended (or before a start's cancel of an order found open was sent):
        // the row no longer says the cancel is on its way.
        const order = this.store.get(id)
        if (order === undefined || isTerminal(order.status)) return
        if (saysCancelComing(order.error)) this.updater.patch(order, { error: null })
      },
    })
  }

  /** Whether the kill switch holds trading (the risk gate refuses at once). */
  private halted(): boolean {
    try {
      this.deps.risk.assertOpen?.()
      return false
    } catch {
      return true
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /**
   * Follows and reconciles every venue with an unfinished order in SQLite. Resolves once each has been
   * reconciled or has failed to (a failure is logged and retried later; it does not reject).
   */
  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    this.offDropped = this.deps.venues.onDropped?.((venueId, how) => this.venueDropped(venueId, how))
    this.recancels.start()
    this.offChanged = this.deps.bus.on('orderChanged', (e) => {
      this.recancels.changed(e.order, e.previous)
      this.turnedUpOpen(e.order, e.previous)
      // Ended some other way (filled, expired) while its row said the kill switch's cancel of it is coming:
      // the history must not go on saying it is being canceled.
      if (isTerminal(e.order.status) && saysCancelComing(e.order.error)) this.updater.patch(e.order, { error: null })
    })
    this.following.start()
    this.offVenues = this.deps.bus.on('venueChanged', (e) => this.followConnected(e.view))
    this.offRisk = this.deps.bus.on('riskChanged', (e) => {
      if (!e.view.halted) this.recancels.resumed()
    })
    // A cancel accepted before a restart is only known from the stored status: if the start-up reconcile finds
    // such an order open again while the kill switch still holds trading, it is asked again as in the same run.
    for (const order of this.store.active()) {
      if (order.status === 'canceling') this.recancels.cancelAccepted(order.clientOrderId)
    }
    // Orders whose kill-switch cancel a cancel's own 429 held back: still halted, still held, canceled when it ends;
    // the hold over while the app was closed (the row still says the cancel waits), canceled now.
    if (this.halted()) {
      for (const order of this.store.active()) {
        if (order.status === 'canceling') continue
        const left = this.holds.remainingMs(order.venueId, 'all')
        if (left > 0) this.cancelAfterHold(order, left, '')
        else if (order.error?.startsWith(HELD_CANCEL) === true) this.recancels.afterHold(order.venueId, order.clientOrderId, 0)
      }
    } else {
      // Resumed before such a cancel was sent (the app closed meanwhile): it never will be; the row stops saying so.
      for (const order of this.store.active()) if (order.error?.startsWith(HELD_CANCEL) === true) this.updater.patch(order, { error: null })
    }
    if (this.reconcileEveryMs > 0) {
      this.periodic = setInterval(() => {
        for (const venueId of this.store.venuesWithActiveOrders()) this.scheduleReconcile(venueId, 0)
      }, this.reconcileEveryMs)
      this.periodic.unref?.()
    }
    await Promise.all(
      this.store.venuesWithActiveOrders().map(async (venueId) => {
        await this.reconcileQuietly(venueId)
        this.cancelOpenWhileHalted(venueId)
      }),
    )
  }

  /**
   * Started while halted, the venue reconciled (or not reachable: as stored): no order can be placed while
   * halted, so every order still resting there is one the kill switch meant to cancel — its failed cancel's
   * asking again was in the last run's memory. It is asked (halted-recancel.ts), and its row says why. Not one
   * with a cancel on its way (accepted, followed, sent) or waiting for a rate hold (start() has that one).
   */
  private cancelOpenWhileHalted(venueId: string): void {
    if (!this.running || !this.halted()) return
    for (const order of this.store.active({ venueId })) {
      const id = order.clientOrderId
      if (order.status !== 'open' && order.status !== 'partially-filled') continue
      if (this.cancelsInFlight.has(id) || this.cancelFollows.has(id) || this.inflight.has(id)) continue
      if (order.error?.startsWith(HELD_CANCEL) === true) continue
      if (this.recancels.openAtStart(id)) this.updater.patch(order, { error: OPEN_WHILE_HALTED })
    }
  }

  /**
   * While halted, an order that turns up open on the exchange — never acknowledged until now (its send's answer was
   * lost; e.g. left 'submitting' by a restart and shown open by the order stream or a later reconcile) or found
   * again after it was marked lost — is one the kill switch means to cancel: none can be placed while halted. It
   * is asked as one a start found open, and its row says why. Not while a request of ours for it is on its way
   * (its submit's own answer: a cancel waiting for that submit sends next; a cancel's look-up).
   */
  private turnedUpOpen(order: OrderRecord, previous: OrderRecord['status'] | null): void {
    if (order.status !== 'open' && order.status !== 'partially-filled') return
    if (previous !== 'pending' && previous !== 'submitting' && previous !== 'lost') return
    const id = order.clientOrderId
    if (!this.running || this.inflight.has(id) || this.cancelsInFlight.has(id) || this.cancelFollows.has(id) || !this.halted()) return
    if (this.recancels.turnedUpOpen(id)) this.updater.patch(this.fresh(order), { error: TURNED_UP_OPEN })
  }

  /** Stops following venues and every timer; requests in flight end with UNAVAILABLE (their rows stay for the next start). */
  async stop(): Promise<void> {
    this.running = false
    this.offDropped?.()
    this.offDropped = undefined
    this.offChanged?.()
    this.offChanged = undefined
    this.offRisk?.()
    this.offRisk = undefined
    this.offVenues?.()
    this.offVenues = undefined
    this.following.stop()
    this.recancels.stop()
    clearInterval(this.periodic)
    for (const { timer } of this.reconcileTimers.values()) clearTimeout(timer)
    this.reconcileTimers.clear()
    for (const timer of this.rechecks.values()) clearTimeout(timer)
    this.rechecks.clear()
    for (const sleep of [...this.sleeps]) {
      clearTimeout(sleep.timer)
      sleep.reject(new Stopped())
    }
    this.sleeps.clear()
    for (const link of this.links.values()) link.stop()
    this.links.clear()
    await Promise.allSettled([...this.inflight.values(), ...this.reconciling.values()])
  }

  // ---- queries --------------------------------------------------------------------------------------

  /** How long (ms) new orders to `venueId` are still held for its Retry-After; 0 when not. */
  rateHoldMs(venueId: string): number {
    return Math.max(0, this.holds.remainingMs(venueId, 'new-orders'))
  }

  get(clientOrderId: string): OrderRecord | undefined {
    return this.store.get(clientOrderId)
  }

  baseFeePaid(clientOrderId: string): string {
    const order = this.store.get(clientOrderId)
    return order === undefined ? '0' : this.store.baseFees(order).toFixed()
  }

  quoteFeePaid(clientOrderId: string): string {
    const order = this.store.get(clientOrderId)
    return order === undefined ? '0' : this.store.quoteFees(order).toFixed()
  }

  /** Unfinished orders (pending, submitting, open, partially-filled, canceling), oldest first. */
  open(filter: { venueId?: string; symbol?: string } = {}): OrderRecord[] {
    return this.store.active(filter)
  }

  /** Newest first; 'open' = unfinished, 'history' = filled, canceled, rejected, expired, lost, left on the exchange. */
  list(query: OrderQuery): OrderRecord[] {
    return this.store.list(query)
  }

  /** Recorded fills, newest first; `before` pages back by timestamp. */
  fills(query: FillQuery): FillRecord[] {
    return this.store.fills(query)
  }

  // ---- submit ---------------------------------------------------------------------------------------

  /**
   * Checks risk, writes the intent (status 'pending'), then sends it and follows it. An intent carrying a
   * client id that exists already returns that order (nothing is sent). Rejects with AppError: the risk
   * gate's refusal (nothing stored), CONFLICT with the venue's words when the venue refuses (the order stays
   * as 'rejected' history), UNAVAILABLE when the venue cannot be reached after the retries (the order
   * stays 'submitting' and is settled by reconciliation). An intent with an idempotency key its account
   * used within a day gets that order's answer instead (replay); the key is written with the intent.
   */
  async submit(intent: OrderIntent): Promise<OrderRecord> {
    this.assertRunning()
    if (intent.idempotency !== undefined) {
      const prior = this.replay(intent.venueId, intent.idempotency)
      if (prior !== undefined) return prior
    }
    if (intent.clientOrderId !== undefined) {
      if (!isValidClientOrderId(intent.clientOrderId)) {
        throw new AppError('BAD_INPUT', `clientOrderId: letters and digits only, at most 32 (got ${JSON.stringify(intent.clientOrderId.slice(0, 40))})`)
      }
      const existing = this.store.get(intent.clientOrderId)
      if (existing) return existing
    }
    // Everything to the account held (a cancel's 429): refused before the risk gate reads its balances and books,
    // requests inside the window too (its venue would refuse them with a read's error, not the hold's).
    this.assertNotHeld(intent.venueId, 'all')
    await this.deps.risk.check(intent)
    this.assertNotHeld(intent.venueId)
    const venue = await this.openVenue(intent.venueId)
    if (intent.trigger !== undefined) refuseNativeStop(intent, venue, this.label(intent.venueId))
    if (intent.type === 'limit') {
      const refusal = timeInForceRefusal(this.label(intent.venueId), intent.timeInForce, venue.capabilities)
      if (refusal !== null) throw new AppError('BAD_INPUT', refusal)
    }
    const clientOrderId = intent.clientOrderId ?? this.freshClientOrderId()
    // The kill switch may have been engaged while the checks above read balances and books: asked again
    // here, with nothing awaited between this and the write.
    this.deps.risk.assertOpen?.()
    const now = this.now()
    const inserted = this.store.insertIntent(clientOrderId, intent, now, now - IDEMPOTENCY_KEY_TTL_MS)
    if (inserted === 'id-exists') return this.store.get(clientOrderId)!
    if (inserted === 'key-used') {
      // Another send with this key got there first while this one was being checked: its answer is ours.
      const prior = this.replay(intent.venueId, intent.idempotency!)
      if (prior === undefined) throw new Error(`idempotency key of ${intent.venueId} taken but not found`)
      return prior
    }
    const order = this.store.get(clientOrderId)!
    this.deps.bus.emit('orderChanged', { order, previous: null })
    return this.track(clientOrderId, async () => {
      // Streams only listen once the venue has confirmed them: an order sent meanwhile (a market order fills
      // at once) would have its fill pushed before anyone listened. One look by REST, once they have had
      // time to start, catches it.
      if (this.link(intent.venueId, venue)) this.scheduleReconcile(intent.venueId, this.resyncDelayMs)
      const sent = await this.send(order, venue)
      this.expectFills(sent)
      return sent
    })
  }

  /**
   * The answer already given for this account's key: the order as it is now (once a send still in flight
   * settles), or the venue's refusal again; undefined when the key is new or older than a day. Rejects
   * with CONFLICT when the key was used for an order with other parameters.
   */
  replay(venueId: string, idempotency: IdempotencyKey): Promise<OrderRecord> | undefined {
    const prior = this.store.byIdempotencyKey(venueId, idempotency.key, this.now() - IDEMPOTENCY_KEY_TTL_MS)
    if (prior === undefined) return undefined
    if (prior.fingerprint !== idempotency.fingerprint) return Promise.reject(new AppError('CONFLICT', KEY_REUSED))
    return this.answerOf(prior.clientOrderId)
  }

  private async answerOf(clientOrderId: string): Promise<OrderRecord> {
    await this.inflight.get(clientOrderId)?.catch(() => undefined)
    const order = this.store.get(clientOrderId)
    if (order === undefined) throw new AppError('NOT_FOUND', `No order ${clientOrderId}`)
    if (order.status === 'rejected') throw new AppError('CONFLICT', order.error ?? `${this.label(order.venueId)} refused this order`)
    return order
  }

  private async send(order: OrderRecord, venue: Venue): Promise<OrderRecord> {
    const { updater } = this
    const request = requestOf(order)
    let current = updater.apply(order, 'send', { attempts: 1 })
    let needsCheck = false
    /** An attempt so far may have landed (its answer was lost): it can still land after a look missed it. */
    let mayHaveLanded = false
    let lastError: VenueError | undefined
    for (let round = 0; ; round++) {
      let checking: boolean = needsCheck
      /** The end of the new-orders hold this round's own 429 began (RateHolds.hold), if it did. */
      let ownHold: number | undefined
      try {
        if (needsCheck) {
          // The previous attempt may have landed: look before sending again.
          const found = await venue.fetchOrder(order.symbol, { clientOrderId: order.clientOrderId }, kindRef(order))
          if (found) return updater.applyReport(current, found)
          checking = false
          needsCheck = false
        }
        if (round > 0) current = updater.apply(current, 'retry', { attempts: this.fresh(current).attempts + 1 })
        const report = await venue.placeOrder(request)
        return updater.applyReport(current, report)
      } catch (err) {
        if (err instanceof Stopped) throw stoppingError(current)
        const error = toVenueError(err)
        lastError = error
        // However short (its resend below waits it out), the exchange's Retry-After holds the account's new orders
        // as a long one does: others sent meanwhile would go out inside the window it asked for. A 429 for the
        // request weight (Binance -1003, counted per IP) holds everything, its host's every connection on Binance.
        if (error.kind === 'rate-limited' && (error.retryAfterMs ?? 0) > 0) ownHold = this.holds.hold(order.venueId, error.retryAfterMs!, orderHoldScope(error.limit), error.waitSaid)
        if (REFUSALS.has(error.kind) && !checking) {
          // A resend refused as a duplicate (or refused for the funds the first one holds) is no refusal of
          // the order: find what landed before calling it rejected.
          if (error.kind !== 'order-not-found' && (mayHaveLanded || isDuplicateRefusal(error))) return this.refusedMaybeLanded(venue, current, error)
          updater.apply(current, 'rejected', { error: error.message })
          throw new AppError('CONFLICT', error.message)
        }
        if ((error.kind === 'bad-reply' || error.kind === 'unknown') && !checking) {
          // An answer we cannot read: it may have been placed. Look once; if not there, it was refused.
          const found = await this.lookUp(venue, current)
          if (found) return updater.applyReport(current, found)
          if (found === null) {
            updater.apply(current, 'rejected', { error: error.message })
            throw new AppError('CONFLICT', error.message)
          }
          needsCheck = true
        } else {
          needsCheck = checking || error.kind !== 'rate-limited'
        }
        if (needsCheck) mayHaveLanded = true
      }
      current = this.fresh(current)
      if (current.status !== 'submitting') return current // settled meanwhile by a stream update
      const wait = this.retryWait(lastError, round)
      if (wait === 'stop') return this.rateLimitedStop(current, lastError, needsCheck || mayHaveLanded)
      if (wait === undefined) return this.giveUp(current, lastError, needsCheck || mayHaveLanded)
      current = updater.patch(current, { error: `attempt ${current.attempts}: ${lastError.message}; trying again` })
      try {
        await this.sleep(wait)
      } catch {
        throw stoppingError(current)
      }
      current = this.fresh(current)
      if (current.status !== 'submitting') return current
      if (this.halted()) return this.notSentAgainWhileHalted(current, needsCheck || mayHaveLanded)
      // Another order's 429 meanwhile holds the account's new orders past this one's own wait: not sent again into
      // that window — it stops as had its own 429 asked that long.
      // (An account-wide hold, a cancel's or a read's 429, is kept at the venue's gate, where the send waits.)
      if (this.holds.endsAfter(order.venueId, 'new-orders', ownHold ?? Number.NEGATIVE_INFINITY)) {
        const left = this.holds.remainingMs(order.venueId, 'new-orders')
        const held = new VenueError('rate-limited', `another request's "Retry-After" holds this account's new orders past this order's own wait`, undefined, left)
        return this.rateLimitedStop(current, held, needsCheck || mayHaveLanded)
      }
    }
  }

  /**
   * The kill switch halted trading while a send waited to be made again: nothing new leaves once it is pulled (a
   * market order would fill at once, with nothing left for it to cancel). Not placed — or, when an earlier send may
   * have landed, kept 'submitting' for the reconcile (canceled should it turn up open while trading stays halted).
   */
  private notSentAgainWhileHalted(order: OrderRecord, mayHaveLanded: boolean): never {
    const label = this.label(order.venueId)
    const halted = `trading was halted by the kill switch before it was sent again`
    if (!mayHaveLanded) {
      const message = `not placed: ${halted}`
      this.updater.apply(order, 'rejected', { error: message })
      throw new HaltedRefusal(message)
    }
    const message = `${halted}; an earlier send of it may have landed on ${label}, so order ${order.clientOrderId} is kept as 'submitting' and checked again when ${label} is reconciled`
    this.updater.patch(order, { error: message })
    this.scheduleReconcile(order.venueId, this.reconcileRetryMs)
    throw new AppError('UNAVAILABLE', message)
  }

  /**
   * A refusal of a send that may have landed already (a duplicate client id, or a resend after a lost
   * answer): the order found by our client id is followed; not found, it stays 'submitting' for
   * reconciliation (which declares it lost if it never shows up), never 'rejected' while it may rest there.
   */
  private async refusedMaybeLanded(venue: Venue, order: OrderRecord, error: VenueError): Promise<OrderRecord> {
    const found = await this.lookUp(venue, order)
    if (found) return this.updater.applyReport(order, found)
    const current = this.fresh(order)
    if (current.status !== 'submitting') return current // settled meanwhile by a stream update
    const label = this.label(order.venueId)
    const message = `${error.message}; an earlier send of it may have landed on ${label}, so order ${order.clientOrderId} is kept as 'submitting' and checked again when ${label} is reconciled`
    this.updater.patch(current, { error: message })
    this.scheduleReconcile(order.venueId, this.reconcileRetryMs)
    throw new AppError('UNAVAILABLE', message)
  }

  /**
   * How long to wait before retry `round` + 1: the next backoff step, or the exchange's Retry-After when
   * longer; 'stop' when that is longer than all the steps left (waiting it out would hold the caller for
   * a minute; sending sooner earns Binance's IP ban); undefined when no retry is left.
   */
  private retryWait(error: VenueError, round: number): number | 'stop' | undefined {
    const step = this.retryDelaysMs[round]
    const asked = error.kind === 'rate-limited' ? error.retryAfterMs : undefined
    if (asked !== undefined && asked > 0) {
      const budget = this.retryDelaysMs.slice(round).reduce((sum, ms) => sum + ms, 0)
      if (asked > budget) return 'stop'
      return Math.max(step ?? 0, asked)
    }
    return step
  }

  /** The exchange asked to wait longer than the retries allow: stop now (its 429 held the account until then). */
  private rateLimitedStop(order: OrderRecord, error: VenueError, mayHaveLanded: boolean): never {
    const label = this.label(order.venueId)
    const waitMs = error.retryAfterMs ?? 0
    const limited = `${label} rate-limited for ${seconds(waitMs)} s (${error.waitSaid ?? 'it answered "Retry-After"'}), longer than the retries allow: ${error.message}`
    // The account's requests may all be held (a 429 to a cancel or a read: its gate refused this order): then
    // cancels are not sent either.
    const held =
      this.holds.remainingMs(order.venueId, 'all') > 0 ? `no orders or cancels are sent to ${label} until then` : `no new orders are sent to ${label} until then (cancels still are)`
    const perIp = this.holds.heldPerIp(order.venueId)
    if (!mayHaveLanded) {
      const message = withLimitHit(`${limited}; not placed, and ${held}`, error.limit, perIp)
      // retryAfterMs marks it for whoever resends it (a stop), also at a start should the app end before that.
      this.updater.apply(order, 'rejected', { error: message, retryAfterMs: waitMs })
      throw new RateLimitRefusal(message, waitMs)
    }
    const message = withLimitHit(
      `${limited}; an earlier send of it may have landed, so order ${order.clientOrderId} is kept as 'submitting' and checked again after that; ${held}`,
      error.limit,
      perIp,
    )
    this.updater.patch(order, { error: message })
    this.scheduleReconcile(order.venueId, Math.max(this.reconcileRetryMs, waitMs))
    throw new AppError('UNAVAILABLE', message)
  }

  /**
   * Refuses a new order at once while the account's exchange has asked the app to wait (Retry-After).
   * An order's 429 for the order count holds new orders only: cancels reduce risk (the kill switch), and Binance's
   * order-count limit (-1015) counts new orders only. A cancel's own 429, or an order's for the request weight
   * (-1003), holds cancels too (assertCancelNotHeld); on Binance that is the host's hold, whichever account began it.
   */
  private assertNotHeld(venueId: string, scope: HoldScope = 'new-orders'): void {
    const left = this.holds.remainingMs(venueId, scope)
    if (left <= 0) return
    const label = this.label(venueId)
    const all = this.holds.remainingMs(venueId, 'all')
    // Every caller refuses a new order (or an amend's replacement): the account's new-order hold may outlast the
    // hold of everything, and the order waits for the later end, so the words say it (`scope` 'all' is only checked first).
    const orders = this.holds.remainingMs(venueId, 'new-orders')
    const longer = (whose: string) => (seconds(orders) > seconds(all) ? `, and no new orders${whose} for ${seconds(orders)} more s (this account's new-order limit)` : '')
    if (all > 0 && this.holds.heldPerIp(venueId)) {
      throw new RateHoldRefusal(
        `${label} is rate-limiting this computer's IP address: no orders or cancels are sent from any account on its exchange for ${seconds(all)} more s (${this.holds.saidOf(venueId, 'all') ?? 'it answered "Retry-After": the request weight it allows an IP is used up'})${longer(' from this account')}; nothing was sent`,
      )
    }
    if (all > 0) {
      throw new RateHoldRefusal(
        `${label} is rate-limiting this account: no orders or cancels are sent to ${label} for ${seconds(all)} more s (${this.holds.saidOf(venueId, 'all') ?? 'it answered "Retry-After"'})${longer('')}; nothing was sent`,
      )
    }
    throw new RateHoldRefusal(
      `${label} is rate-limiting this account: no new orders are sent to ${label} for ${seconds(left)} more s (it asked to wait with "Retry-After": this account's new-order limit; cancels still are, and other accounts' orders); nothing was sent`,
    )
  }

  /**
   * A cancel met a 429 whose Retry-After the retries could not cover: nothing more is sent to that account
   * until then (cancel-all would otherwise fire the rest into the limit; Binance bans the IP for that).
   */
  private assertCancelNotHeld(order: OrderRecord, { sent = false } = {}): void {
    const left = this.holds.remainingMs(order.venueId, 'all')
    if (left <= 0) return
    const label = this.label(order.venueId)
    // Never acknowledged (its send's answer was lost): whether it is open there is not known — it may never have landed.
    const where =
      order.venueOrderId === null
        ? `${label} never acknowledged order ${order.clientOrderId} (its send's answer was lost), so whether it is open there is not known`
        : `order ${order.clientOrderId} is still open there`
    // On an exchange counting request weight per IP the hold is its host's: any account's 429 may have begun it.
    // `said`: how its wait was read, when Binance sent no Retry-After (binance-ban.ts).
    const said = this.holds.saidOf(order.venueId, 'all')
    const who = this.holds.heldPerIp(order.venueId)
      ? `${label} is rate-limiting this computer's IP address (${said ?? 'it answered "Retry-After": the request weight it allows an IP is used up'}), so nothing is sent to ${label} or any other account on its exchange`
      : `${label} is rate-limiting this account (${said ?? 'it answered "Retry-After"'}), so nothing is sent to ${label}`
    const message = `could not cancel: ${who} for ${seconds(left)} more s; ${where}`
    // `sent`: a cancel of it went out and was not taken (the venue was busy); it is 'canceling' until told otherwise.
    const current = this.fresh(order)
    if (sent && current.status === 'canceling') this.updater.apply(current, 'cancel-failed', { error: message })
    throw new AppError('UNAVAILABLE', this.cancelAfterHold(order, left, message))
  }

  /**
   * A cancel not sent (or refused by the 429 that began the hold) while everything to the account is held for
   * `leftMs`: while the kill switch holds trading, the order is canceled once the hold ends, and its row says it
   * waits (the screen shows the order still open). Returns `message`, saying so when it is.
   * One never acknowledged (no exchange id) is not simply canceled then: its cancel looks it up by our client id
   * first (sendCancel) — open there, it is canceled; not there, it takes the lost path (unacknowledged) — so its
   * words say that.
   */
  private cancelAfterHold(order: OrderRecord, leftMs: number, message: string): string {
    if (!this.halted()) return message
    const at = utcTime(this.now() + leftMs, this.now())
    const label = this.label(order.venueId)
    this.recancels.afterHold(order.venueId, order.clientOrderId, leftMs)
    const current = this.fresh(order)
    const unacked = current.venueOrderId === null
    const row = unacked ? `at ${at} it is looked up on ${label} and canceled if it is open there` : `it is sent at ${at}`
    if (!isTerminal(current.status)) this.updater.patch(current, { error: `${HELD_CANCEL} ${label}'s rate limit; ${row}` })
    if (unacked) {
      return `${message}. Trading is halted: when the hold ends (${at}) it is looked up on ${label} and canceled if it is open there; if ${label} does not have it, it is looked at once more and marked lost (if ${label} cannot be asked, it is checked again when ${label} is reconciled)`
    }
    return `${message}. Trading is halted: it is canceled again when the hold ends (${at})`
  }

  /**
   * The cancel was given up before it was sent (it waited for the account's rate hold when the app quit or the
   * connection closed): the order is open on the exchange as before — unless an earlier cancel of it may have
   * landed, when it stays 'canceling' for the reconcile to tell.
   */
  private cancelNotSent(order: OrderRecord, err: NotSentError, sentBefore: boolean): never {
    const current = this.fresh(order)
    const label = this.label(order.venueId)
    if (sentBefore) {
      const message = `the cancel was not sent again (${err.message}); an earlier cancel of order ${order.clientOrderId} may have landed on ${label}: it is checked again when ${label} is reconciled`
      if (!isTerminal(current.status)) this.updater.patch(current, { error: message })
      throw new AppError('UNAVAILABLE', message)
    }
    const message = `the cancel was not sent (${err.message}); order ${order.clientOrderId} is still open on ${label}`
    if (current.status === 'canceling') this.updater.apply(current, 'cancel-failed', { error: message })
    throw new AppError('UNAVAILABLE', message)
  }

  /** Retries exhausted: refused for good (rate limit), or unknown (left 'submitting' for reconciliation). */
  private giveUp(order: OrderRecord, error: VenueError, mayHaveLanded: boolean): never {
    const label = this.label(order.venueId)
    if (!mayHaveLanded) {
      const message = `${error.message} (${order.attempts} attempts; not placed)`
      this.updater.apply(order, 'rejected', { error: message })
      throw new AppError('UNAVAILABLE', message)
    }
    const message = `no answer from ${label} after ${order.attempts} attempt(s): ${error.message}. Order ${order.clientOrderId} is kept as 'submitting' and checked again when ${label} answers`
    this.updater.patch(order, { error: message })
    this.scheduleReconcile(order.venueId, this.reconcileRetryMs)
    throw new AppError('UNAVAILABLE', message)
  }

  /** The order on the venue by our client id: the report, null (not there), or undefined (could not ask). */
  private async lookUp(venue: Venue, order: OrderRecord): Promise<VenueOrder | null | undefined> {
    try {
      return await venue.fetchOrder(order.symbol, order.venueOrderId !== null ? { venueOrderId: order.venueOrderId } : { clientOrderId: order.clientOrderId }, kindRef(order))
    } catch (err) {
      this.deps.log.warn(`could not look up order ${order.clientOrderId} on ${order.venueId}`, { error: messageOf(err) })
      return undefined
    }
  }

  // ---- cancel ---------------------------------------------------------------------------------------

  /**
   * Asks the venue to cancel and resolves with the order once the venue answered: 'canceled', or 'canceling'
   * when the venue accepted the cancel but has not processed it yet (OKX, Bybit; the order may still fill).
   * An order still being submitted is waited for first. Rejects with NOT_FOUND (no such order), CONFLICT
   * (already finished — "already filled" when it filled — or the venue refused), UNAVAILABLE (venue unreachable).
   * The trader's cancel is cancelByTrader: an order that filled first is no failure there.
   */
  async cancel(clientOrderId: string): Promise<OrderRecord> {
    try {
      return await this.cancelOne(clientOrderId)
    } catch (err) {
      // While halted an order left open is one the kill switch means to cancel: asked again, as cancel-all's.
      if (!(err instanceof AppError)) throw err
      const message = this.failedWhileHalted(clientOrderId, err)
      throw message === err.message ? err : new AppError(err.code, message)
    }
  }

  /**
   * The trader's cancel (orders.cancel: the open-orders table, cancel-last, the ticket). As cancel(), but an order
   * that ended on its own before the cancel reached it — it filled (a fill racing a cancel is ordinary trading),
   * expired or was rejected — is no failure: resolves with the order as it ended. Lost, left on the exchange or
   * canceled already still reject as cancel() does.
   */
  async cancelByTrader(clientOrderId: string): Promise<OrderRecord> {
    try {
      return await this.cancel(clientOrderId)
    } catch (err) {
      if (err instanceof EndedBeforeCancel) return this.fresh(err.order)
      throw err
    }
  }

  /** cancel() without the asking again while halted (cancel-all and the re-cancels do their own). */
  private async cancelOne(clientOrderId: string): Promise<OrderRecord> {
    this.assertRunning()
    // An amend of this order in flight (another window's) ends first: its answer says whether it was replaced.
    if (this.amending.has(clientOrderId)) await this.amendsSettled(clientOrderId)
    return this.cancelNow(clientOrderId)
  }

  /**
   * Every cancel goes through here (the trader's, cancel-all, the kill switch's, an amend's). An order with a
   * cancel on its way is left to it: a cancel still waiting for the venue's answer gives its answer to this
   * one too; one the venue accepted and has not carried out yet (cancelOnItsWay) answers 'canceling' at once.
   * Nothing more is sent either way. A 'canceling' order with neither (its cancel's answer was lost) is sent
   * a cancel again: it may be live, and the reconcile that would settle it can be far off.
   */
  private async cancelNow(clientOrderId: string): Promise<OrderRecord> {
    let order = this.store.get(clientOrderId)
    if (!order) throw new AppError('NOT_FOUND', `No order ${JSON.stringify(clientOrderId.slice(0, 64))}`)
    const sending = this.cancelsInFlight.get(clientOrderId)
    if (sending) return sending
    const pending = this.inflight.get(clientOrderId) // its submit, still on its way
    if (pending) {
      await pending.catch(() => undefined)
      order = this.store.get(clientOrderId)!
    }
    if (isTerminal(order.status)) {
      // Ended on its own before this cancel was even sent (the trader's table a moment behind): as after sending.
      if (endedBeforeCancel(order) !== null && this.store.replacedBy(order.clientOrderId) === null) throw new EndedBeforeCancel(order)
      throw new AppError('CONFLICT', this.finishedText(order, 'cancel'))
    }
    if (cancelOnItsWay(order.status, this.cancelFollows.has(clientOrderId))) return order
    this.assertCancelNotHeld(order)
    const venue = await this.openVenue(order.venueId)
    // Another cancel of it may have started (or ended) while the venue was opened: look again. From the
    // look to track() nothing is awaited, so two cancels of one order never both send. (A 'canceling' order stays
    // 'canceling' when a cancel resent meanwhile was accepted: that one is followed now, so looked for too.)
    const now = this.fresh(order)
    if (this.inflight.has(clientOrderId) || now.status !== order.status || cancelOnItsWay(now.status, this.cancelFollows.has(clientOrderId))) {
      return this.cancelNow(clientOrderId)
    }
    const run = this.track(clientOrderId, () => this.sendCancel(order, venue))
    this.cancelsInFlight.set(clientOrderId, run)
    try {
      return await run
    } finally {
      if (this.cancelsInFlight.get(clientOrderId) === run) this.cancelsInFlight.delete(clientOrderId)
    }
  }

  private async sendCancel(order: OrderRecord, venue: Venue): Promise<OrderRecord> {
    const { updater } = this
    let current = order
    if (current.venueOrderId === null) {
      // Never acknowledged (e.g. left 'submitting' by a crash): find it by our id first.
      const found = await this.lookUp(venue, current)
      if (found) current = updater.applyReport(current, found, { authoritative: true })
      if (isTerminal(current.status)) return this.cancelOutcome(current)
      if (current.venueOrderId === null) {
        if (found) throw new AppError('CONFLICT', `${this.label(current.venueId)} has not acknowledged order ${current.clientOrderId} yet; nothing to cancel there`)
        throw this.unacknowledged(current, found)
      }
    }
    if (current.status !== 'canceling') current = updater.apply(current, 'cancel-requested', { error: null })
    else if (current.error !== null) current = updater.patch(current, { error: null }) // sent anew (the last one's answer was lost): its words go
    if (current.status !== 'canceling') throw new AppError('CONFLICT', current.error ?? `order ${current.clientOrderId} cannot be canceled now`)
    const venueOrderId = current.venueOrderId!
    let resends = 0 // of a cancel the venue did not take because it was busy with the order
    /** A cancel of it may have landed already: one before this call (its answer lost), or an earlier round's (no answer). */
    let sentBefore = order.status === 'canceling'
    for (let round = 0; ; round++) {
      let error: VenueError
      /** The end of the hold this round's own 429 began (RateHolds.hold), if it did. */
      let ownHold: number | undefined
      try {
        const report = await venue.cancelOrder(current.symbol, venueOrderId, kindRef(current))
        current = updater.applyReport(current, report)
        this.expectFills(current)
        if (current.status === 'canceling') {
          this.recancels.cancelAccepted(current.clientOrderId)
          this.followCancel(current, venue)
        }
        return this.cancelOutcome(current)
      } catch (err) {
        if (err instanceof Stopped) throw stoppingError(current)
        if (err instanceof AppError) throw err
        if (err instanceof NotSentError) return this.cancelNotSent(current, err, sentBefore)
        error = toVenueError(err)
        if (error.kind === 'unreachable') sentBefore = true
        // However short (its own retry below waits it out), the exchange's Retry-After holds everything to the
        // account as a long one does: Binance bans the IP (418) of a client that keeps sending inside it.
        if (error.kind === 'rate-limited' && (error.retryAfterMs ?? 0) > 0) ownHold = this.holds.hold(current.venueId, error.retryAfterMs!, 'all', error.waitSaid)
      }
      // The answer went wrong, but the order stream may have told how the order ended meanwhile (the cancel landed
      // before the connection dropped): that is the outcome, not a failed cancel of a finished order.
      current = this.fresh(current)
      // (Its 429 held the account all the same: the next cancel, cancel-all's, is not sent into that window.)
      if (isTerminal(current.status)) return this.cancelOutcome(current)
      if (error.kind === 'cancel-pending') {
        // The venue is carrying out a cancel of it already (ours from before a restart, or one whose answer was
        // lost): no failure. It stays 'canceling', followed as an accepted cancel, until the venue says how it
        // ended (a look that still finds it open at the end of the follow moves it back to open).
        current = this.fresh(current)
        if (current.status === 'canceling') {
          this.recancels.cancelAccepted(current.clientOrderId)
          this.followCancel(current, venue)
        }
        // Back to resting meanwhile (should not happen: looks answered while this cancel is out are not applied —
        // reconcile.ts, recheck): it is not finished, and no cancel of it is known to be under way — sent again,
        // as to a busy venue, below.
        if (current.status === 'canceling' || isTerminal(current.status)) return this.cancelOutcome(current)
      }
      if (error.kind === 'order-busy' || error.kind === 'cancel-pending') {
        // Not taken: the venue is still processing an earlier change to the order (Bybit 110079 — an amend of it,
        // made on the exchange's site or by another app; or a cancel). No cancel is under way as far as we know:
        // it is sent again once the venue is done, and the trader is told plainly if it never is.
        const next = await this.afterBusy(current, error, resends++)
        if (next.status !== 'canceling') return this.cancelOutcome(next)
        current = next
        continue
      }
      if (error.kind === 'order-not-found') {
        // No longer open there: it filled, was canceled already, or expired. Ask what became of it.
        const found = await this.lookUp(venue, current)
        if (found) current = updater.applyReport(current, found, { authoritative: true })
        if (isTerminal(this.fresh(current).status)) return this.cancelOutcome(this.fresh(current))
        updater.apply(current, 'cancel-failed', { error: error.message })
        this.scheduleReconcile(current.venueId, 0)
        throw new NotThereToCancel(error.message)
      }
      if (error.kind === 'bad-reply' || error.kind === 'unknown') {
        // An answer we cannot read: the cancel may have landed. Look before saying it failed.
        const found = await this.lookUp(venue, current)
        if (found) current = updater.applyReport(current, found, { authoritative: true })
        current = this.fresh(current)
        if (isTerminal(current.status)) return this.cancelOutcome(current)
        if (found === undefined) {
          const message = `the cancel was sent but ${this.label(current.venueId)}'s answer could not be read (${error.message}); the order is checked again to see whether it was canceled`
          updater.patch(current, { error: message })
          this.scheduleReconcile(current.venueId, this.reconcileRetryMs)
          throw new AppError('UNAVAILABLE', message)
        }
        // Still working there: the cancel did not land (the look may have moved it back to open already).
        if (current.status === 'canceling') updater.apply(current, 'cancel-failed', { error: error.message })
        else updater.patch(current, { error: error.message })
        throw new AppError('CONFLICT', error.message)
      }
      if (REFUSALS.has(error.kind) || (error.kind !== 'rate-limited' && error.kind !== 'unreachable')) {
        updater.apply(current, 'cancel-failed', { error: error.message })
        throw new AppError('CONFLICT', error.message)
      }
      const delay = this.retryWait(error, round)
      if (delay === 'stop') {
        const label = this.label(current.venueId)
        const message = `could not cancel: ${label} rate-limited for ${seconds(error.retryAfterMs ?? 0)} s (${error.waitSaid ?? 'it answered "Retry-After"'}): ${error.message}. The order is still open on ${label}; no orders or cancels are sent to it until then`
        current = updater.apply(current, 'cancel-failed', { error: message })
        this.scheduleReconcile(current.venueId, Math.max(this.reconcileRetryMs, error.retryAfterMs ?? 0))
        throw new AppError('UNAVAILABLE', this.cancelAfterHold(current, this.holds.remainingMs(current.venueId, 'all'), message))
      }
      if (delay === undefined) {
        const message = `could not cancel: ${error.message}. The order may still be open on ${this.label(current.venueId)}; it is checked again when it answers`
        updater.apply(current, 'cancel-failed', { error: message })
        this.scheduleReconcile(current.venueId, this.reconcileRetryMs)
        throw new AppError('UNAVAILABLE', message)
      }
      try {
        await this.sleep(delay)
      } catch {
        throw stoppingError(current)
      }
      current = this.fresh(current)
      if (isTerminal(current.status)) return this.cancelOutcome(current)
      // Another request met a 429 meanwhile and everything to the account is held past this cancel's own hold: not
      // sent again into it. What is left of its own (its clock and the timers' may differ by a millisecond) is waited out.
      for (let left = this.holds.remainingMs(current.venueId, 'all'); left > 0; left = this.holds.remainingMs(current.venueId, 'all')) {
        if (ownHold === undefined || this.holds.endsAfter(current.venueId, 'all', ownHold)) this.assertCancelNotHeld(current, { sent: true })
        try {
          await this.sleep(holdTimerMs(left))
        } catch {
          throw stoppingError(current)
        }
        current = this.fresh(current)
        if (isTerminal(current.status)) return this.cancelOutcome(current)
      }
    }
  }

  /**
   * A cancel the venue did not take because it is busy with the order (`why`; or it says it is canceling it
   * while a look found it open): after the next of the busy
   * waits, the order 'canceling' again, to be sent anew — or as it ended meanwhile (the stream may tell).
   * Busy after every wait: the order is left resting with words that say so, and the cancel fails with them.
   */
  private async afterBusy(order: OrderRecord, why: VenueError, resends: number): Promise<OrderRecord> {
    const wait = this.busyRetryMs[resends]
    let current = this.fresh(order)
    if (wait === undefined) {
      const label = this.label(current.venueId)
      const message = `could not cancel: ${why.message}. The cancel was sent ${resends + 1} times and ${label} refused each, so order ${current.clientOrderId} is still open on ${label} — try again in a moment`
      if (current.status === 'canceling') current = this.updater.apply(current, 'cancel-failed', { error: message })
      else if (!isTerminal(current.status)) current = this.updater.patch(current, { error: message })
      if (isTerminal(current.status)) return current
      this.scheduleReconcile(current.venueId, this.reconcileRetryMs) // whatever it was busy with may end it
      throw new AppError('CONFLICT', message)
    }
    try {
      await this.sleep(wait)
    } catch {
      throw stoppingError(current)
    }
    current = this.fresh(current)
    if (isTerminal(current.status)) return current
    // Another cancel met a 429 meanwhile and everything to the account is held: not sent again into it.
    this.assertCancelNotHeld(current, { sent: true })
    return current.status === 'canceling' ? current : this.updater.apply(current, 'cancel-requested', { error: null })
  }

  /**
   * A cancel of an order never acknowledged, whose look-up by our client id found nothing (null) or could not ask
   * (undefined): there is nothing to cancel, and no cancel of it is asked again (the kill switch's neither: each
   * would only repeat the look-up). It takes the usual path instead — not there, looked at once more and lost if
   * still not there; unknown, checked at the next reconcile. Should it turn up open meanwhile while trading is
   * halted, it is canceled then (turnedUpOpen).
   */
  private unacknowledged(order: OrderRecord, found: null | undefined): AppError {
    const label = this.label(order.venueId)
    const what = `${label} has not acknowledged order ${order.clientOrderId}`
    if (found === null) {
      this.scheduleRecheck(order)
      return new NotThereToCancel(this.lookedUpAfterHold(order, `${what} and does not have it: nothing to cancel there; it is looked at once more and marked lost if still not there`))
    }
    this.scheduleReconcile(order.venueId, this.reconcileRetryMs)
    return new NotAskedAgain('UNAVAILABLE', this.lookedUpAfterHold(order, `${what} yet and could not be asked about it: nothing was canceled there; it is checked again when ${label} is reconciled`))
  }

  /**
   * Its row said that it is looked up once a rate hold ends (cancelAfterHold): that look-up was just made, so the row
   * says what came of it — not a look-up still to come, at a time now past. Returns `message`.
   */
  private lookedUpAfterHold(order: OrderRecord, message: string): string {
    const current = this.fresh(order)
    if (!isTerminal(current.status) && current.error?.startsWith(HELD_CANCEL) === true) this.updater.patch(current, { error: message })
    return message
  }

  /**
   * The venue accepted the cancel but still has the order open (OKX, Bybit process cancels asynchronously):
   * it stays 'canceling' — it may still fill — until the stream or a few looks see it end.
   */
  private followCancel(order: OrderRecord, venue: Venue): void {
    const id = order.clientOrderId
    if (this.cancelFollows.has(id)) return
    const run = followCancel({
      delaysMs: this.cancelFollowMs,
      sleep: (ms) => this.sleep(ms),
      fresh: () => this.fresh(order),
      look: (current) => this.lookUp(venue, current),
      apply: (current, report) => {
        // A look that sees fills the stream did not bring (it may be silent): they are fetched for the ledger,
        // as after a cancel's own answer; the periodic reconcile does not come back for a finished order.
        const next = this.updater.applyReport(current, report)
        this.expectFills(next)
        return next
      },
      isTerminal: (current) => isTerminal(current.status),
      unsettled: (current) => this.scheduleReconcile(current.venueId, 0),
    }).finally(() => this.cancelFollows.delete(id))
    this.cancelFollows.set(id, run)
    run.catch((err: unknown) => this.deps.log.warn(`could not follow the cancel of order ${id}`, { error: messageOf(err) }))
  }

  /** The order once its cancel has been processed (as far as it is followed); at once when it has. */
  private async cancelSettled(order: OrderRecord): Promise<OrderRecord> {
    const following = this.cancelFollows.get(order.clientOrderId)
    if (following !== undefined) await following.catch(() => undefined)
    return this.fresh(order)
  }

  /** A cancel that ends with the order filled (or expired) did not cancel it: say so. */
  private cancelOutcome(order: OrderRecord): OrderRecord {
    if (order.status === 'canceled' || order.status === 'canceling') return order
    if (endedBeforeCancel(order) !== null) throw new EndedBeforeCancel(order)
    throw new AppError('CONFLICT', alreadyFinished(order))
  }

  /** Cancels every unfinished order in scope (all venues when no filter), venues in parallel. */
  async cancelAll(filter: { venueId?: string; symbol?: string } = {}): Promise<CancelAllResult> {
    this.assertRunning()
    const byVenue = new Map<string, OrderRecord[]>()
    for (const order of this.store.active(filter)) {
      const list = byVenue.get(order.venueId) ?? []
      list.push(order)
      byVenue.set(order.venueId, list)
    }
    const result: CancelAllResult = { canceled: 0, partlyFilled: [], awaiting: [], ended: [], failed: [] }
    const canceled = (order: OrderRecord): void => {
      result.canceled++
      if (new Decimal(order.filled).gt(0)) {
        result.partlyFilled.push({ clientOrderId: order.clientOrderId, venueId: order.venueId, symbol: order.symbol, filled: order.filled, amount: order.amount })
      }
    }
    await Promise.all(
      [...byVenue.values()].map(async (orders) => {
        for (const order of orders) {
          try {
            const after = await this.cancelOne(order.clientOrderId)
            if (after.status === 'canceling') result.awaiting.push({ clientOrderId: order.clientOrderId, venueId: order.venueId, updatedAt: after.updatedAt })
            else canceled(after)
          } catch (err) {
            // Canceled before its turn came (while halted, it turned up open and was canceled on its own wait; or
            // canceled elsewhere): canceled as asked, not a cancel that failed ("already canceled").
            const now = this.store.get(order.clientOrderId)
            if (now?.status === 'canceled') {
              canceled(now)
              continue
            }
            // Ended on its own before the cancel reached it (filled, expired, rejected): nothing left open, so
            // not a failure — told apart, saying how. (Lost or left on the exchange may still be open: failures.)
            const ended = now === undefined ? null : endedBeforeCancel(now)
            if (ended !== null) {
              result.ended.push({ clientOrderId: order.clientOrderId, venueId: order.venueId, ...ended })
              continue
            }
            result.failed.push({ clientOrderId: order.clientOrderId, venueId: order.venueId, error: this.failedWhileHalted(order.clientOrderId, err) })
          }
        }
      }),
    )
    return result
  }

  /**
   * A cancel (cancel-all's, the kill switch's, the trader's own) failed: while trading is halted the order is asked
   * again until it is canceled (halted-recancel.ts), unless the exchange said it has no such open order or never
   * acknowledged it (the reconcile settles it: NotAskedAgain) or a rate hold already has it asked when the hold
   * ends. Returns what the result says.
   */
  private failedWhileHalted(clientOrderId: string, err: unknown): string {
    const message = messageOf(err)
    if (err instanceof NotAskedAgain || !this.halted()) return message
    if (!this.recancels.cancelFailed(clientOrderId, message)) return message
    return `not canceled yet: ${message}; it is asked again while trading stays halted`
  }

  // ---- amend ----------------------------------------------------------------------------------------

  /**
   * Cancel-replace: cancels the order, then submits a new one (new client id, same market, side, origin)
   * with the new price and/or total amount; what the old one filled counts toward the new total. Resolves
   * with the new order. If the old one filled before the cancel landed, rejects with CONFLICT saying so; if
   * the replacement is refused after the cancel, the error says the order was canceled. The replacement's
   * intent records it on the original (replaced_by), so a cancel or amend of the original from a window that
   * still shows it (waiting for an amend in flight first) is told which order to act on instead. `check`
   * (the ticket's checks) runs on the order as it is once earlier amends of it have ended.
   */
  async amend(clientOrderId: string, change: AmendChange, check?: (order: OrderRecord) => Promise<AmendChange>): Promise<OrderRecord> {
    this.assertRunning()
    if (this.amending.has(clientOrderId)) await this.amendsSettled(clientOrderId)
    // Registered with nothing awaited since the wait: a second amend of the same order waits for this one.
    const run = this.amendNow(clientOrderId, change, check)
    this.amending.set(clientOrderId, run)
    try {
      return await run
    } finally {
      if (this.amending.get(clientOrderId) === run) this.amending.delete(clientOrderId)
    }
  }

  /** Until no amend of this order is in flight (each may have been started while the previous ran). */
  private async amendsSettled(clientOrderId: string): Promise<void> {
    for (let prior = this.amending.get(clientOrderId); prior !== undefined; prior = this.amending.get(clientOrderId)) await prior.catch(() => undefined)
  }

  private async amendNow(clientOrderId: string, asked: AmendChange, check: ((order: OrderRecord) => Promise<AmendChange>) | undefined): Promise<OrderRecord> {
    const found = this.store.get(clientOrderId)
    if (found && isTerminal(found.status) && this.store.replacedBy(clientOrderId) !== null) throw new AppError('CONFLICT', this.finishedText(found, 'amend'))
    const change = found && check ? await check(found) : asked
    const order = this.store.get(clientOrderId)
    if (!order) throw new AppError('NOT_FOUND', `No order ${JSON.stringify(clientOrderId.slice(0, 64))}`)
    if (change.price === undefined && change.amount === undefined) throw new AppError('BAD_INPUT', 'give a new price or a new amount')
    if (order.type !== 'limit') throw new AppError('CONFLICT', 'only limit orders can be amended')
    if (order.trigger !== undefined) throw new AppError('CONFLICT', 'a stop order held on the exchange cannot be amended: cancel it and place a new one')
    // The conditional engine follows this very order: a replacement it does not know would count as the
    // leg canceled with nothing filled, and re-arm its partner while the replacement still works (two exits).
    if (order.origin.kind === 'conditional') {
      throw new AppError('CONFLICT', 'this order was sent by a conditional order, which follows it: cancel it, or amend the conditional order before it fires')
    }
    if (isTerminal(order.status)) throw new AppError('CONFLICT', this.finishedText(order, 'amend'))
    const total = new Decimal(change.amount ?? order.amount)
    const price = change.price ?? order.price!
    const next = (filled: string): OrderIntent => ({
      venueId: order.venueId,
      symbol: order.symbol,
      side: order.side,
      type: 'limit',
      timeInForce: order.timeInForce,
      postOnly: order.postOnly,
      amount: total.minus(filled).toFixed(),
      price,
      origin: order.origin,
      clientOrderId: replacement,
      replaces: clientOrderId,
    })
    if (total.lte(order.filled)) throw new AppError('CONFLICT', `${order.filled} of it has filled already; a total of ${total.toFixed()} leaves nothing to place`)
    const replacement = this.freshClientOrderId()
    this.assertNotHeld(order.venueId, 'all') // (before the risk gate's reads, as in submit)
    await this.deps.risk.check(next(order.filled), { replacing: clientOrderId }) // before canceling: a refused replacement leaves the order alone
    // The replacement is a new order: held by a rate limit, the amend changes nothing (rather than cancel only).
    this.assertNotHeld(order.venueId)
    let canceled: OrderRecord
    try {
      canceled = await this.cancelNow(clientOrderId)
    } catch (err) {
      const now = this.store.get(clientOrderId)
      if (now?.status === 'filled') throw new AppError('CONFLICT', `order ${clientOrderId} filled before it could be amended; nothing was changed`)
      // Refused with the order still working as it was (the venue busy with it, a rate hold): the amend did
      // nothing, and its answer says so — not only the cancel's words, which tell a trader who amended to cancel.
      if (err instanceof AppError && (now?.status === 'open' || now?.status === 'partially-filled')) {
        throw new AppError(err.code, `Order ${clientOrderId} was not amended (it is unchanged): ${err.message}`)
      }
      // The cancel's answer went wrong but the order did end canceled (a stream said so): go on and replace it.
      if (now?.status !== 'canceled') throw err
      canceled = now
    }
    // Accepted but not processed yet (OKX, Bybit): the replacement is sized on what it filled in the end.
    if (canceled.status === 'canceling') {
      canceled = await this.cancelSettled(canceled)
      if (canceled.status === 'filled') throw new AppError('CONFLICT', `order ${clientOrderId} filled before it could be amended; nothing was changed`)
      if (canceled.status !== 'canceled') {
        throw new AppError('UNAVAILABLE', `${this.label(canceled.venueId)} accepted the cancel of order ${clientOrderId} but has not confirmed it yet; the replacement was not placed (the order is checked again)`)
      }
    }
    if (total.lte(canceled.filled)) {
      throw new AppError('CONFLICT', `order ${clientOrderId} filled ${canceled.filled} before the cancel landed; it is canceled and nothing is left to place`)
    }
    try {
      return await this.submit(next(canceled.filled))
    } catch (err) {
      // The original is gone by now: an error that only named the replacement's refusal would read as if
      // the amend changed nothing.
      if (!(err instanceof AppError)) throw err
      const what = err.code === 'UNAVAILABLE' ? 'could not be placed' : 'was refused'
      throw new AppError(err.code, `Your order was canceled, but its replacement ${what}: ${err.message}`)
    }
  }

  // ---- account removed ------------------------------------------------------------------------------

  /**
   * The account of `venueId` was removed (`reason` says so, naming it): without its key the app can no
   * longer see or cancel its unfinished orders, native stops included, which may still be live on the
   * exchange. Each moves to 'left-on-exchange' (history) through the status table, saying why; nothing is
   * asked of the venue again. Returns how many.
   */
  venueRemoved(venueId: string, reason: string): number {
    this.removed.add(venueId)
    const timer = this.reconcileTimers.get(venueId)
    if (timer !== undefined) clearTimeout(timer.timer)
    this.reconcileTimers.delete(venueId)
    let n = 0
    for (const order of this.store.active({ venueId })) {
      const after = this.updater.apply(order, 'account-removed', { error: leftMessage(order, reason) })
      if (after.status === 'left-on-exchange') n++
    }
    return n
  }

  // ---- reconciliation -------------------------------------------------------------------------------

  /**
   * Merges what the venue says now (open orders, fills since the oldest unfinished order, each unfinished
   * order not in the open list) into our rows, and follows the venue. Orders the venue does not know are
   * looked at again after `lostRecheckMs`. Rejects with UNAVAILABLE when the venue cannot be asked.
   */
  async reconcile(venueId: string): Promise<ReconcileResult> {
    this.assertRunning()
    const running = this.reconciling.get(venueId)
    if (running) {
      // One at a time per venue; requests meanwhile share one more run after it (there may be newer news).
      let queued = this.queuedReconciles.get(venueId)
      if (!queued) {
        queued = running
          .catch(() => undefined)
          .then(() => {
            this.queuedReconciles.delete(venueId)
            return this.reconcile(venueId)
          })
        this.queuedReconciles.set(venueId, queued)
      }
      return queued
    }
    const run = (async () => {
      const venue = await this.openVenue(venueId)
      this.link(venueId, venue)
      try {
        const result = await reconcileVenue(
          {
            store: this.store,
            updater: this.updater,
            now: this.now,
            busy: (id) => this.busy(id),
            recheck: (order) => this.scheduleRecheck(order),
            lookupFailed: (order, err) => {
              const message = `could not look up order ${order.clientOrderId} on ${this.label(venueId)} (reconciling its other orders; trying it again later): ${messageOf(err)}`
              if (this.lastLookupError.get(order.clientOrderId) !== message) this.deps.log.warn(message)
              this.lastLookupError.set(order.clientOrderId, message)
              this.scheduleReconcile(venueId, this.reconcileRetryMs)
            },
            fillsMarginMs: this.fillsMarginMs,
            fillCheckWindowMs: FILL_CHECK_WINDOW_MS,
          },
          venue,
        )
        this.lastReconcileError.delete(venueId)
        for (const id of [...this.lastLookupError.keys()]) if (!result.skipped.includes(id) && this.store.get(id)?.venueId === venueId) this.lastLookupError.delete(id)
        return result
      } catch (err) {
        throw new AppError('UNAVAILABLE', `could not reconcile orders with ${this.label(venueId)}: ${messageOf(err)}`)
      }
    })()
    this.reconciling.set(venueId, run)
    try {
      return await run
    } finally {
      this.reconciling.delete(venueId)
    }
  }

  /**
   * reconcile() for timers and start: failures are logged (once per distinct message) and retried later. While a
   * cancel's own 429 holds everything to the account, its reads wait for the hold's end (Binance bans the IP,
   * HTTP 418, of a client that keeps asking inside the window; the hold outlives a restart): the start does
   * not wait for it, and the orders stay as stored until then.
   */
  private async reconcileQuietly(venueId: string): Promise<void> {
    if (!this.running) return
    if (this.readsHeld(venueId)) return
    try {
      await this.reconcile(venueId)
    } catch (err) {
      if (!this.running) return
      const message = messageOf(err)
      if (this.lastReconcileError.get(venueId) !== message) this.deps.log.warn(message)
      this.lastReconcileError.set(venueId, message)
      this.scheduleReconcile(venueId, this.reconcileRetryMs)
    }
  }

  /** Reconciles the venue after `delayMs`; an earlier request wins over a later one. */
  private scheduleReconcile(venueId: string, delayMs: number): void {
    if (!this.running || this.removed.has(venueId)) return
    const at = this.now() + delayMs
    const existing = this.reconcileTimers.get(venueId)
    if (existing && existing.at <= at) return
    if (existing) clearTimeout(existing.timer)
    const timer = setTimeout(() => {
      this.reconcileTimers.delete(venueId)
      void this.reconcileQuietly(venueId)
    }, holdTimerMs(delayMs)) // (a hold's end may be further off than a timer can wait: readsHeld waits again)
    this.reconcileTimers.set(venueId, { at, timer })
  }

  /** True (and the venue is reconciled once it ends) while everything to the account is held for a rate limit. */
  private readsHeld(venueId: string): boolean {
    const left = this.holds.remainingMs(venueId, 'all')
    if (left <= 0) return false
    this.scheduleReconcile(venueId, left)
    return true
  }

  /**
   * A submit or cancel of ours is in flight for the order, or an accepted cancel of it is still followed (its
   * order may show open until the exchange processes it): a look's answer is left to those (reconcile, recheck).
   */
  private busy(clientOrderId: string): boolean {
    return this.inflight.has(clientOrderId) || this.cancelFollows.has(clientOrderId)
  }

  /** Second look at an order the venue did not know; still unknown → lost. */
  private scheduleRecheck(order: OrderRecord): void {
    if (!this.running || this.rechecks.has(order.clientOrderId)) return
    const timer = setTimeout(() => {
      this.rechecks.delete(order.clientOrderId)
      void this.recheck(order.clientOrderId)
    }, this.lostRecheckMs)
    this.rechecks.set(order.clientOrderId, timer)
  }

  private async recheck(clientOrderId: string): Promise<void> {
    const order = this.store.get(clientOrderId)
    if (!this.running || !order || isTerminal(order.status) || this.busy(clientOrderId)) return
    if (this.readsHeld(order.venueId)) return // its reconcile after the hold looks first again
    let venue: Venue
    try {
      venue = await this.openVenue(order.venueId)
    } catch {
      this.scheduleReconcile(order.venueId, this.reconcileRetryMs)
      return
    }
    const report = await this.lookUp(venue, order)
    if (!this.running || this.busy(clientOrderId)) return // (its answer is older than that request)
    if (report === undefined) {
      this.scheduleReconcile(order.venueId, this.reconcileRetryMs) // could not ask: start over with a first look later
    } else if (report) {
      this.updater.applyReport(order, report, { authoritative: true })
    } else {
      this.updater.apply(order, 'not-found', { error: this.lostMessage(this.fresh(order)) })
    }
  }

  private lostMessage(order: OrderRecord): string {
    const label = this.label(order.venueId)
    if (order.status === 'pending') return `never reached ${label}: the app stopped before sending it; not re-sent`
    if (order.status === 'submitting') {
      return `${label} does not know this order: it was sent but no answer came, and a second look did not find it either; not re-sent`
    }
    return `${label} no longer knows this order (not found at two looks); it was ${order.status}, ${order.filled} of ${order.amount} filled`
  }

  // ---- following venues -----------------------------------------------------------------------------

  /** Follows the venue's order and fill streams (once; again when the registry hands out a new venue object). */
  /** Follows the venue's order and fill streams; true when they were not followed already. */
  private link(venueId: string, venue: Venue): boolean {
    const existing = this.links.get(venueId)
    if (existing?.venue === venue || !this.running) return false
    existing?.stop()
    const link = new VenueLink(
      venue,
      {
        onOrder: (report) => this.onVenueOrder(venueId, report),
        onFill: (fill) => {
          if (this.running) this.updater.recordFill(venueId, fill)
        },
        onGap: (reason, delayMs) => {
          this.deps.log.info(`orders on ${this.label(venueId)}: ${reason}; reconciling`)
          this.scheduleReconcile(venueId, delayMs)
        },
      },
      this.resyncDelayMs,
    )
    this.links.set(venueId, link)
    link.start()
    return true
  }

  /**
   * An exchange account connected: its order and fill streams are followed from then on, not only from its
   * first order, so its status turns live (streams subscribed) and an order's first updates come in real time.
   */
  private followConnected(view: VenueView): void {
    if (!this.running || view.kind !== 'exchange' || view.closed === true) return
    if (view.connection !== 'live' && view.connection !== 'rest-only') return
    // An open that fails is shown in the account's status and tried again (follow-connected.ts).
    this.following.connected(view.id)
  }

  /**
   * A venue object the streams follow was dropped. Replaced (its account was edited or reconnected): the old
   * object's streams may say nothing more, so follow the fresh one at once and reconcile (fetches what filled
   * in between). Removed: stop following it; its orders stay as they are.
   * A venue not followed because its last reconciliation failed (its key refused, a reconnect refused too) is
   * followed at once when replaced as well: the fix the user made must not wait for the retry timer.
   */
  private venueDropped(venueId: string, how: VenueDrop): void {
    if (!this.running) return
    this.following.dropped(venueId, how)
    const link = this.links.get(venueId)
    const retrying = how === 'replaced' && this.reconcileTimers.has(venueId)
    if (link === undefined && !retrying) return
    link?.stop()
    this.links.delete(venueId)
    if (how === 'replaced') {
      this.deps.log.info(`orders on ${this.label(venueId)}: the account was edited or reconnected; following its fresh connection and reconciling`)
      this.scheduleReconcile(venueId, 0)
    }
  }

  /**
   * The venue's answer says the order filled more than the fills recorded for it: the fills are normally on
   * their way on the fill stream, but a stream that was not subscribed yet (or dropped) would miss them, so
   * reconcile a little later to fetch whatever is still missing.
   */
  private expectFills(order: OrderRecord): void {
    if (this.store.fillTotals(order).amount.lt(order.filled)) this.scheduleReconcile(order.venueId, this.resyncDelayMs)
  }

  private onVenueOrder(venueId: string, report: VenueOrder): void {
    if (!this.running) return
    const order = matchReport(this.store, venueId, report)
    if (order) this.updater.applyReport(order, report)
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  private async openVenue(venueId: string): Promise<Venue> {
    try {
      return await this.deps.venues.open(venueId)
    } catch (err) {
      if (err instanceof AppError) throw err
      // Reached, but the key was refused: say that, not "cannot be reached".
      if (err instanceof KeyRejectedError) throw new AppError('UNAVAILABLE', `${this.label(venueId)}: ${err.message}`)
      throw new AppError('UNAVAILABLE', `${this.label(venueId)} cannot be reached: ${messageOf(err)}`)
    }
  }

  private async track<T>(clientOrderId: string, body: () => Promise<T>): Promise<T> {
    const run = body()
    this.inflight.set(clientOrderId, run)
    try {
      return await run
    } finally {
      if (this.inflight.get(clientOrderId) === run) this.inflight.delete(clientOrderId)
    }
  }

  /**
   * Why a finished order cannot be canceled or amended. One an amend replaced names its replacement (the
   * last of a chain of amends) and what to do with it, since the window asking still shows the original.
   */
  private finishedText(order: OrderRecord, action: 'cancel' | 'amend'): string {
    let latest: OrderRecord | undefined
    for (let id = this.store.replacedBy(order.clientOrderId), hops = 0; id !== null && hops < 100; id = this.store.replacedBy(id), hops++) {
      const next = this.store.get(id)
      if (next === undefined) break
      latest = next
    }
    if (latest === undefined) return alreadyFinished(order)
    return `Order ${order.clientOrderId} was amended meanwhile; its replacement ${replacementState(latest, action)}`
  }

  private fresh(order: OrderRecord): OrderRecord {
    return this.store.get(order.clientOrderId) ?? order
  }

  private freshClientOrderId(): string {
    for (;;) {
      const id = newClientOrderId(this.now())
      if (!this.store.get(id)) return id
    }
  }

  private sleep(ms: number): Promise<void> {
    // Stopped already (an answer that came while stopping starts a retry or a cancel's follow): stop() has
    // rejected the sleeps it knew and the store may be closed next, so no new wait starts.
    if (!this.running) return Promise.reject(new Stopped())
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry)
          resolve()
        }, ms),
        reject,
      }
      this.sleeps.add(entry)
    })
  }

  private assertRunning(): void {
    if (!this.running) throw new AppError('UNAVAILABLE', 'the order manager is not running')
  }
}

function requestOf(order: OrderRecord): OrderRequest {
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: order.amount,
    ...(order.price !== null ? { price: order.price } : {}),
    timeInForce: order.timeInForce,
    postOnly: order.postOnly,
    ...(order.trigger !== undefined ? { trigger: order.trigger } : {}),
  }
}

/** A native stop goes only to a venue that holds them, as a plain (not post-only) order. Nothing is stored. */
function refuseNativeStop(intent: OrderIntent, venue: Venue, label: string): void {
  const refusal = nativeRefusal(label, nativeStopKindOf(intent.trigger as OrderTrigger, intent.type), nativeSupportOf(venue.capabilities))
  if (refusal !== null) throw new AppError('BAD_INPUT', refusal)
  if (intent.postOnly) throw new AppError('BAD_INPUT', 'A stop order held on the exchange cannot be post-only')
  if (intent.type === 'limit' && intent.price === undefined) throw new AppError('BAD_INPUT', 'A stop-limit order needs a limit price')
}

/** How the venue is to look the order up: a native stop as one (some venues keep them apart). */
export function kindRef(order: OrderRecord): OrderKindRef {
  return { trigger: order.trigger !== undefined }
}

/** The venue refused a send because an order with its client id exists (Binance -2010 "Duplicate order sent.", OKX 51016 "Duplicated clOrdId"). */
function isDuplicateRefusal(error: VenueError): boolean {
  return error.kind === 'invalid-order' && /duplicat/i.test(error.message)
}

function toVenueError(err: unknown): VenueError {
  if (err instanceof VenueError) return err
  return new VenueError('unknown', messageOf(err), err)
}

function replacementState(order: OrderRecord, action: 'cancel' | 'amend'): string {
  const id = order.clientOrderId
  if (!isTerminal(order.status)) return `${id} is open — ${action} ${id}`
  if (order.status === 'rejected') return `${id} was refused: ${order.error ?? 'the venue did not take it'}`
  return alreadyFinished(order).replace(/^order /, '')
}

function alreadyFinished(order: OrderRecord): string {
  if (order.status === 'filled') return `order ${order.clientOrderId} is already filled`
  if (order.status === 'lost') return `order ${order.clientOrderId} is lost: ${order.error ?? 'the venue does not know it'}`
  if (order.status === 'left-on-exchange') {
    return `order ${order.clientOrderId} was left on the exchange when its account was removed: the app can no longer see or cancel it (cancel it on the exchange itself)`
  }
  return `order ${order.clientOrderId} is already ${order.status}${order.status === 'canceled' && new Decimal(order.filled).gt(0) ? ` (${order.filled} filled before)` : ''}`
}

/** Why an order is left on the exchange; one not yet confirmed by the venue may never have got there. */
function leftMessage(order: OrderRecord, reason: string): string {
  const where = order.status === 'pending' || order.status === 'submitting' ? 'left on the exchange, if it got there' : 'left on the exchange'
  return `${where}: ${reason} — the app can no longer see or cancel it`
}

function stoppingError(order: OrderRecord): AppError {
  return new AppError('UNAVAILABLE', `the engine is stopping; order ${order.clientOrderId} is kept as ${order.status} and checked at the next start`)
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

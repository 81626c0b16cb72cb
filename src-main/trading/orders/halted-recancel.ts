// The kill switch cancels every open order, but OKX and Bybit take a cancel asynchronously and may not carry it
// out: the order comes back open ("the cancel did not go through") and would keep working while trading is
// halted. While the kill switch holds trading, such an order is asked to cancel again, after a growing wait,
// for as long as it stays open (as the conditional engine does for an OCO's take-profit, cancel-retries.ts).
// Likewise an order whose cancel was not even sent because a cancel's own 429 holds everything to its account
// (or that met that 429 itself): it is asked again once the hold ends, the account's one after another as
// cancel-all asks them (a new 429 holds the rest again and they wait for that hold in turn).
// And an order whose cancel failed while halted (unreachable, a 5xx, a timeout with the order still open, a
// refusal) — in the kill switch's own pass or a single cancel of the trader's: asked again on the same waits.
// Not one the exchange says it has not got or has closed. After a restart while halted (those waits were in
// memory) every order the start-up reconcile finds open is asked the same way (openAtStart), and so is any order
// that turns up open later while halted — one still 'submitting' at the start, its send's answer lost, that the
// order stream or a later reconcile shows open (turnedUpOpen).
import type { Logger } from '../../log'
import type { OrderRecord, OrderStatus } from '../model'
import { holdTimerMs } from './rate-holds'
import { isTerminal } from './status-table'

/** Waits before each new cancel of the same order; the last repeats. */
export const HALTED_RECANCEL_MS = [1000, 2000, 5000, 10_000, 30_000] as const

export interface HaltedRecancelDeps {
  /** Whether the kill switch holds trading now. */
  halted: () => boolean
  now: () => number
  cancel: (clientOrderId: string) => Promise<OrderRecord>
  get: (clientOrderId: string) => OrderRecord | undefined
  log: Logger
  delaysMs?: readonly number[]
  /** Trading was resumed before an order was asked again (one waiting for a rate hold, or found open at a start): it is not (its row may say it waits). */
  notAsked?: (clientOrderId: string) => void
  /** The cancel failed in a way not asked again: the exchange has no such open order, or it never acknowledged the order (the reconcile settles it). */
  gone?: (err: unknown) => boolean
}

export class HaltedRecancels {
  /** Orders whose cancel the venue accepted ('canceling'), until they end or come back open. */
  private readonly accepted = new Set<string>()
  /** Orders asked again, with how many times (for the wait). */
  private readonly tries = new Map<string, number>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Orders waiting for their account's rate hold to end, with the timer that asks them then (by venue). */
  private readonly held = new Map<string, { ids: Set<string>; timer: ReturnType<typeof setTimeout>; at: number }>()
  private readonly delaysMs: readonly number[]
  /** Set by stop(): a re-cancel still on its way then (refused as the manager stops) asks nothing more. */
  private stopped = false

  constructor(private readonly deps: HaltedRecancelDeps) {
    this.delaysMs = deps.delaysMs ?? HALTED_RECANCEL_MS
  }

  /** The venue accepted a cancel of the order but has not carried it out yet. */
  cancelAccepted(clientOrderId: string): void {
    this.accepted.add(clientOrderId)
  }

  /** An order changed (orderChanged): back to open from an accepted cancel while halted → asked again. */
  changed(order: OrderRecord, previous: OrderStatus | null): void {
    const id = order.clientOrderId
    if (isTerminal(order.status)) return this.forget(id)
    if (previous !== 'canceling' || order.status === 'canceling' || !this.accepted.has(id)) return
    this.accepted.delete(id)
    if (!this.deps.halted()) return void this.tries.delete(id)
    this.schedule(id, order.error)
  }

  /**
   * A cancel of the order failed while halted (the kill switch's or the trader's; not for a rate hold, not "no
   * such order"): while trading stays halted and the order open it is asked again. Returns whether it will be.
   */
  cancelFailed(clientOrderId: string, reason: string | null, what = 'kill switch: the cancel of an order failed and it is still open; asking again'): boolean {
    const order = this.deps.get(clientOrderId)
    if (this.stopped || order === undefined || isTerminal(order.status) || !this.deps.halted()) return false
    if (this.waitsForHold(clientOrderId)) return false // asked once its hold ends already (afterHold)
    this.schedule(clientOrderId, reason, what)
    return this.timers.has(clientOrderId)
  }

  /**
   * Started again while halted, the start-up reconcile found the order open. No order can be placed while halted,
   * so the kill switch meant to cancel it (a failed cancel's asking again was in the last run's memory): it is
   * asked as after cancelFailed, the first time after the shortest wait. Returns whether it will be.
   */
  openAtStart(clientOrderId: string): boolean {
    return this.openWhileHalted(clientOrderId, 'kill switch: an order is still open after a restart while trading is halted; canceling it')
  }

  /**
   * While halted, the order turned up open on the exchange (never acknowledged until now, or found again after it
   * was marked lost): the kill switch meant to cancel it, and none can be placed while halted. Asked as openAtStart.
   */
  turnedUpOpen(clientOrderId: string): boolean {
    return this.openWhileHalted(clientOrderId, 'kill switch: an order turned up open on the exchange while trading is halted; canceling it')
  }

  private openWhileHalted(clientOrderId: string, what: string): boolean {
    // Followed as an accepted cancel, or asked again already (its accepted cancel reverted in the reconcile).
    if (this.accepted.has(clientOrderId) || this.timers.has(clientOrderId)) return false
    return this.cancelFailed(clientOrderId, null, what)
  }

  /**
   * A cancel of the order was not sent (or met the 429 that began it) because everything to its account is held
   * for `waitMs` more: while trading stays halted it is asked again once that hold ends.
   */
  afterHold(venueId: string, clientOrderId: string, waitMs: number): void {
    if (this.stopped) return
    const at = this.deps.now() + waitMs
    const timer = this.timers.get(clientOrderId)
    if (timer !== undefined) clearTimeout(timer)
    this.timers.delete(clientOrderId)
    const batch = this.held.get(venueId)
    if (batch !== undefined && batch.at >= at) return void batch.ids.add(clientOrderId)
    if (batch !== undefined) clearTimeout(batch.timer)
    const ids = batch?.ids ?? new Set<string>()
    ids.add(clientOrderId)
    const next = setTimeout(() => {
      if (this.held.get(venueId)?.timer === next) this.held.delete(venueId)
      void this.askInTurn(ids)
    }, holdTimerMs(waitMs))
    next.unref?.()
    this.held.set(venueId, { ids, timer: next, at })
  }

  /** Trading was resumed: the orders waiting for a rate hold are not asked (and their rows stop saying they wait). */
  resumed(): void {
    const ids = new Set<string>()
    for (const batch of this.held.values()) {
      clearTimeout(batch.timer)
      for (const id of batch.ids) ids.add(id)
    }
    this.held.clear()
    for (const id of ids) {
      this.forget(id)
      this.deps.notAsked?.(id)
    }
  }

  /** After a stop(), the order manager started again. */
  start(): void {
    this.stopped = false
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    for (const batch of this.held.values()) clearTimeout(batch.timer)
    this.held.clear()
    this.accepted.clear()
    this.tries.clear()
  }

  /** One after another: a cancel that meets a new hold puts the rest back to wait for it (afterHold). */
  private async askInTurn(ids: Set<string>): Promise<void> {
    for (const id of ids) {
      if (this.stopped) return
      if (this.waitsForHold(id)) continue // put back to wait by a hold begun meanwhile
      if (!this.deps.halted()) {
        this.forget(id)
        this.deps.notAsked?.(id)
        continue
      }
      await this.ask(id)
    }
  }

  private waitsForHold(id: string): boolean {
    for (const batch of this.held.values()) if (batch.ids.has(id)) return true
    return false
  }

  private schedule(id: string, reason: string | null, what = 'kill switch: an order whose cancel was accepted is still open; asking again'): void {
    if (this.stopped || this.timers.has(id) || this.waitsForHold(id)) return
    const n = this.tries.get(id) ?? 0
    const waitMs = this.delaysMs[Math.min(n, this.delaysMs.length - 1)]!
    this.tries.set(id, n + 1)
    this.deps.log.warn(what, { clientOrderId: id, error: reason, retryInMs: waitMs })
    const timer = setTimeout(() => {
      this.timers.delete(id)
      void this.ask(id)
    }, waitMs)
    timer.unref?.()
    this.timers.set(id, timer)
  }

  private async ask(id: string): Promise<void> {
    if (this.stopped) return
    const order = this.deps.get(id)
    if (order === undefined || isTerminal(order.status)) return this.forget(id)
    if (!this.deps.halted()) {
      this.forget(id)
      return this.deps.notAsked?.(id)
    }
    try {
      // Another cancel of it on its way (the trader's own, a second kill switch) is left to decide: cancel()
      // sends nothing then (cancelOnItsWay). Answered 'canceling', a cancel was accepted — this one or that
      // one — and it is watched again: a revert to open comes back through changed() and is asked again.
      await this.deps.cancel(id)
      const now = this.deps.get(id)
      if (now !== undefined && now.status === 'canceling') this.accepted.add(id)
      else if (now !== undefined && !isTerminal(now.status) && this.deps.halted()) this.schedule(id, now.error) // reverted already
    } catch (err) {
      // Refused or unreachable: asked again while it stays open and trading halted (not once stopped: the
      // manager stopping fails the cancel, and its store may be closed next). Left 'canceling' too: its answer
      // was lost, nothing is known to carry it out and it may be live (the next ask sends the cancel again).
      if (this.stopped) return
      if (this.deps.gone?.(err) === true) return this.forget(id)
      const now = this.deps.get(id)
      if (now !== undefined && !isTerminal(now.status) && this.deps.halted()) {
        this.schedule(id, err instanceof Error ? err.message : String(err))
      }
    }
  }

  private forget(id: string): void {
    this.accepted.delete(id)
    this.tries.delete(id)
    const timer = this.timers.get(id)
    if (timer !== undefined) clearTimeout(timer)
    this.timers.delete(id)
    for (const batch of this.held.values()) batch.ids.delete(id)
  }
}

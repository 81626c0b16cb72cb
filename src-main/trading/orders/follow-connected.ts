import type { Logger } from '../../log'
import { AppError } from '../../api/errors'
import { KeyRejectedError, type Venue, type VenueDrop } from '../../venues/port'
import type { FollowFailure } from '../../venues/private-streams'

// Following a connected exchange account's order and fill stream (the order manager's followConnected): the
// account is opened, then its streams are followed. An open that fails (the exchange unreachable, a bad reply,
// a keychain error) is told to the account's status — which account, what failed, since when, the next try —
// and tried again on a growing, bounded backoff, until it opens, the account is removed, or the app stops.
// A refused key is not tried again here: the registry holds it until the account is edited or reconnected
// (its status says so), and a reconnect that works announces the account live again, which follows it.

/** The longest setTimeout waits (a longer delay fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Waits between tries of a failed open; the last repeats. */
export const FOLLOW_RETRY_MS: readonly number[] = [2_000, 5_000, 15_000, 30_000, 60_000]

export interface FollowConnectedDeps {
  open(venueId: string): Promise<Venue>
  /** Follows the opened venue's streams (the order manager's link). */
  follow(venueId: string, venue: Venue): void
  /** Whether the venue's streams are followed already. */
  followed(venueId: string): boolean
  /** The account's status: its follow failed (and when it is tried again), or null: followed, or given up. */
  report(venueId: string, failure: FollowFailure | null): void
  label(venueId: string): string
  log: Logger
  now(): number
  delaysMs?: readonly number[]
}

interface Retry {
  /** Failed tries so far. */
  failures: number
  since: number
  /** When the latest try failed, and its error. */
  failedAt: number
  error: string
  /** When the next try is due. */
  retryAt: number
  timer: ReturnType<typeof setTimeout> | undefined
}

export class FollowConnected {
  private readonly delaysMs: readonly number[]
  /** Opens on their way. */
  private readonly opening = new Set<string>()
  private readonly retries = new Map<string, Retry>()
  /** Removed accounts (ids are not reused): an open still on its way for one is not followed nor retried. */
  private readonly removed = new Set<string>()
  /** Opens on their way when their account was edited or reconnected: their answer is about the old connection. */
  private readonly stale = new Set<string>()
  private stopped = true

  constructor(private readonly deps: FollowConnectedDeps) {
    this.delaysMs = deps.delaysMs !== undefined && deps.delaysMs.length > 0 ? deps.delaysMs : FOLLOW_RETRY_MS
    // A wait of 0 (or NaN, or past setTimeout's limit, which fires at once) would try the exchange over and over.
    const bad = this.delaysMs.find((ms) => !Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMER_MS)
    if (bad !== undefined) throw new Error(`orders.followRetryMs: each wait must be more than 0 and at most ${MAX_TIMER_MS} ms, got ${bad}`)
  }

  /**
   * The account connected: follow it, unless followed or being opened. Waiting for its next try, it is tried
   * at once: something else opened it meanwhile (the balances, a chart), and its status must not go on saying
   * the open failed, nor its orders wait up to a minute for their stream. Not sooner than the first wait after
   * a failure, though (the next try is brought forward to then): a failure's own status change, or a venue
   * saying live whose open fails, would otherwise try it again on every announcement.
   */
  connected(venueId: string): void {
    if (this.stopped || this.removed.has(venueId)) return
    if (this.deps.followed(venueId) || this.opening.has(venueId)) return
    const retry = this.retries.get(venueId)
    if (retry !== undefined) {
      const soonest = retry.failedAt + this.delaysMs[0]!
      const now = this.deps.now()
      if (soonest > now) {
        if (retry.retryAt > soonest) {
          this.schedule(venueId, retry, soonest - now)
          this.deps.report(venueId, this.failure(venueId, retry))
        }
        return
      }
      clearTimeout(retry.timer)
      retry.timer = undefined
    }
    this.attempt(venueId)
  }

  /**
   * Removed: no more tries. Replaced (edited or reconnected: perhaps what failed was fixed): tried again at once,
   * the backoff from the start.
   */
  dropped(venueId: string, how: VenueDrop): void {
    const retry = this.retries.get(venueId)
    if (how === 'removed') {
      this.removed.add(venueId)
      if (retry !== undefined) this.forget(venueId)
      return
    }
    if (this.stopped) return
    // An open on its way answers for the old connection (its venue closed, its error not the new one's).
    if (this.opening.has(venueId)) this.stale.add(venueId)
    if (retry === undefined) return
    clearTimeout(retry.timer)
    this.retries.delete(venueId)
    if (!this.opening.has(venueId)) this.attempt(venueId)
  }

  start(): void {
    this.stopped = false
  }

  stop(): void {
    this.stopped = true
    for (const retry of this.retries.values()) clearTimeout(retry.timer)
    this.retries.clear()
  }

  private attempt(venueId: string): void {
    this.opening.add(venueId)
    void this.deps.open(venueId).then(
      (venue) => this.settled(venueId, () => this.opened(venueId, venue)),
      (err: unknown) => this.settled(venueId, () => this.failed(venueId, err)),
    )
  }

  /** An open answered: told, unless the account was replaced meanwhile: then its fresh connection is opened. */
  private settled(venueId: string, told: () => void): void {
    if (this.stale.delete(venueId)) {
      this.opening.delete(venueId)
      if (!this.stopped && !this.removed.has(venueId)) this.attempt(venueId)
      return
    }
    try {
      told()
    } finally {
      // (After: the status change a failure causes must not start another open meanwhile.)
      this.opening.delete(venueId)
    }
  }

  private opened(venueId: string, venue: Venue): void {
    if (this.stopped || this.removed.has(venueId)) return
    this.deps.follow(venueId, venue)
    if (this.retries.has(venueId)) {
      this.deps.log.info(`orders on ${this.deps.label(venueId)}: opened at last; following its order and fill stream`)
      this.forget(venueId)
    }
  }

  private failed(venueId: string, err: unknown): void {
    if (this.stopped || this.removed.has(venueId)) return
    const label = this.deps.label(venueId)
    const error = err instanceof Error ? err.message : String(err)
    // The account is gone (NOT_FOUND), or its key refused (held until edited or reconnected): no try again here.
    if ((err instanceof AppError && err.code === 'NOT_FOUND') || err instanceof KeyRejectedError) {
      this.deps.log.warn(`orders on ${label}: cannot follow its order stream`, { error })
      if (this.retries.has(venueId)) this.forget(venueId)
      return
    }
    const now = this.deps.now()
    const retry = this.retries.get(venueId) ?? { failures: 0, since: now, failedAt: now, error, retryAt: now, timer: undefined }
    retry.failedAt = now
    retry.error = error
    const delayMs = this.delaysMs[Math.min(retry.failures, this.delaysMs.length - 1)]!
    retry.failures++
    this.schedule(venueId, retry, delayMs)
    this.retries.set(venueId, retry)
    this.deps.log.warn(`orders on ${label}: cannot open it to follow its order stream; trying again in ${Math.round(delayMs / 1000)} s`, { error, failures: retry.failures })
    this.deps.report(venueId, this.failure(venueId, retry))
  }

  /** The next try, `delayMs` from now (instead of any set before). */
  private schedule(venueId: string, retry: Retry, delayMs: number): void {
    clearTimeout(retry.timer)
    retry.retryAt = this.deps.now() + delayMs
    retry.timer = setTimeout(() => {
      retry.timer = undefined
      if (this.stopped || this.retries.get(venueId) !== retry) return
      this.attempt(venueId)
    }, delayMs)
    retry.timer.unref?.()
  }

  private failure(venueId: string, retry: Retry): FollowFailure {
    return { label: this.deps.label(venueId), since: retry.since, error: retry.error, retryAt: retry.retryAt }
  }

  private forget(venueId: string): void {
    clearTimeout(this.retries.get(venueId)?.timer)
    this.retries.delete(venueId)
    this.deps.report(venueId, null)
  }
}

// Cancels of take-profit limit orders whose partner triggered and waits for them to end (engine.ts,
// afterCancel). A failed cancel (refused during a rate hold, timed out, exchange busy) is asked again —
// after a backoff, never before the account's rate hold ends — on a timer and on each tick of its market,
// until the order ends or the waiting partner is canceled: a single failure must not leave the stop unsent.

/** Waits after the 1st, 2nd, ... failure of one order's cancel (the last one repeats). */
export const CANCEL_BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000] as const

interface Pending<L> {
  resting: L
  marketKey: string
  venueId: string
  /** Not asked again before this time. */
  dueAt: number
  failures: number
  /** A cancel is in flight (not asked again until it answers). */
  asking: boolean
}

export interface CancelRetriesDeps<L> {
  now: () => number
  /** How long the account's orders are held for a rate limit (Retry-After), 0 when not. */
  holdMs: (venueId: string) => number
  /** Sends the cancel of `resting` again (the engine's cancelResting). */
  ask: (resting: L) => void
}

export class CancelRetries<L> {
  private readonly pending = new Map<string, Pending<L>>()

  constructor(private readonly deps: CancelRetriesDeps<L>) {}

  get size(): number {
    return this.pending.size
  }

  has(clientOrderId: string): boolean {
    return this.pending.has(clientOrderId)
  }

  /** A cancel of `clientOrderId` is being sent. */
  asking(clientOrderId: string, resting: L, venueId: string, marketKey: string): void {
    const p = this.pending.get(clientOrderId)
    if (p !== undefined) p.asking = true
    else this.pending.set(clientOrderId, { resting, venueId, marketKey, dueAt: 0, failures: 0, asking: true })
  }

  /**
   * Not asked now (the account's new orders are held for a rate limit): asked once the hold is over, since
   * the partner it releases could not be sent before then and the order keeps guarding the position meanwhile.
   */
  later(clientOrderId: string, resting: L, venueId: string, marketKey: string, waitMs: number): void {
    const p = this.pending.get(clientOrderId)
    const dueAt = this.deps.now() + waitMs
    if (p !== undefined) {
      p.asking = false
      p.dueAt = dueAt
    } else this.pending.set(clientOrderId, { resting, venueId, marketKey, dueAt, failures: 0, asking: false })
  }

  /** The cancel failed and the order is still working: returns how long until it is asked again (ms). */
  failed(clientOrderId: string): number {
    const p = this.pending.get(clientOrderId)
    if (p === undefined) return 0
    const backoff = CANCEL_BACKOFF_MS[Math.min(p.failures, CANCEL_BACKOFF_MS.length - 1)] as number
    p.failures++
    p.asking = false
    const wait = Math.max(backoff, this.deps.holdMs(p.venueId))
    p.dueAt = this.deps.now() + wait
    return wait
  }

  /**
   * The venue accepted the cancel but the order has not ended yet ('canceling', OKX/Bybit): not asked again
   * unless the order turns out to be still open (reopened).
   */
  accepted(clientOrderId: string): void {
    const p = this.pending.get(clientOrderId)
    if (p === undefined) return
    p.asking = false
    p.dueAt = Number.POSITIVE_INFINITY
  }

  /**
   * The order is open again after its cancel was accepted (it did not go through): returns how long until it
   * is asked again (ms), or null when no accepted cancel of it awaits the order's end (none, one in flight —
   * its answer decides — or a retry already due).
   */
  reopened(clientOrderId: string): number | null {
    const p = this.pending.get(clientOrderId)
    if (p === undefined || p.asking || p.dueAt !== Number.POSITIVE_INFINITY) return null
    return this.failed(clientOrderId)
  }

  /** The order ended, or nothing waits for it, or nothing waits for it any more: not asked again. */
  done(clientOrderId: string): void {
    this.pending.delete(clientOrderId)
  }

  clear(): void {
    this.pending.clear()
  }

  /** Asks again the cancels that are due (only those of `marketKey`, when given). */
  due(marketKey?: string): void {
    if (this.pending.size === 0) return
    const now = this.deps.now()
    for (const p of [...this.pending.values()]) {
      if (p.asking || p.dueAt > now || (marketKey !== undefined && p.marketKey !== marketKey)) continue
      this.deps.ask(p.resting)
    }
  }
}

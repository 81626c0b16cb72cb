// Accounts whose exchange asked the app to wait (Retry-After longer than an order's retries could cover):
// until then no order or cancel is sent to it. Binance bans the IP (HTTP 418) of a client that does.

export class RateHolds {
  private readonly until = new Map<string, number>()

  constructor(private readonly now: () => number) {}

  /** Holds the account's orders and cancels for `ms` from now (a later end wins over an earlier one). */
  hold(venueId: string, ms: number): void {
    const end = this.now() + ms
    if ((this.until.get(venueId) ?? 0) < end) this.until.set(venueId, end)
  }

  /** Milliseconds the account is still held for; 0 when it is not. */
  remainingMs(venueId: string): number {
    const end = this.until.get(venueId)
    if (end === undefined) return 0
    const left = end - this.now()
    if (left <= 0) this.until.delete(venueId)
    return Math.max(0, left)
  }
}

/** Whole seconds, rounded up ("for 60 s"). */
export function seconds(ms: number): number {
  return Math.ceil(ms / 1000)
}

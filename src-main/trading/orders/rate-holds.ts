import { isIpHoldKey } from '../../venues/ip-rate-limits'

// Accounts whose exchange asked the app to wait (Retry-After), however short: an order's or a cancel's own retry
// covering the wait does not let the account's other requests go out meanwhile. An order's 429 for the account's
// order-count limit (Binance -1015 "Too many new orders", or one that does not say) holds new orders (and amends)
// only: cancels reduce risk and do not count toward that limit. A cancel's own 429, and an order's that says the
// request weight was used up (Binance -1003), hold everything sent to that account — on Binance, which counts
// request weight per IP, everything sent to its host from any account: Binance bans the IP (HTTP 418) of a client
// that keeps sending.

/** What a hold stops: new orders only, or every request (cancels too). */
export type HoldScope = 'new-orders' | 'all'

/** Where holds' ends are kept across restarts (rate-hold-store.ts); none in tests that do not need it. */
export interface HoldKeeper {
  running(now: number): { venueId: string; scope: HoldScope; until: number; said?: string | null }[]
  save(hold: { venueId: string; scope: HoldScope; until: number; heldMs: number; said: string | null }): void
}

/**
 * Within a run a hold counts down on `clock` (monotonic in the app: the computer's clock set forward must not
 * end it early — sending inside the window earns the ban — nor set back lengthen it); its end is stored as
 * wall-clock time (`now`), all there is across restarts (rate-hold-store.ts bounds it by what was asked).
 */
export class RateHolds {
  /** Ends on `clock`. */
  private readonly until: Record<HoldScope, Map<string, number>> = { 'new-orders': new Map(), all: new Map() }
  /**
   * How a running hold's wait was read when not from Retry-After (binance-ban.ts: an IP ban's end, the weight's
   * window), for its messages; kept (and stored) with the end it set.
   */
  private readonly said: Record<HoldScope, Map<string, string>> = { 'new-orders': new Map(), all: new Map() }
  private closing = false

  /**
   * `sharedBy`: the key of the hold an account shares with every connection to its exchange's host where that
   * exchange counts limits per IP (venues/ip-rate-limits.ts); a keyless connection is held under that key itself.
   */
  constructor(
    private readonly now: () => number,
    private readonly keeper?: HoldKeeper,
    private readonly clock: () => number = now,
    private readonly sharedBy: (venueId: string) => string | undefined = () => undefined,
  ) {
    // Holds begun before a restart still run until their end.
    const wall = now()
    const at = clock()
    for (const h of keeper?.running(wall) ?? []) {
      this.until[h.scope].set(h.venueId, at + (h.until - wall))
      if (h.said) this.said[h.scope].set(h.venueId, h.said)
    }
  }

  /**
   * Holds the account's new orders, or everything (`all`), for `ms` from now (a later end wins over an earlier one).
   * Returns the end this request asked for — not a later one another 429 began before it — for endsAfter: a request
   * waits out its own hold only, and a hold that runs longer than it asked refuses its retry. `said`: how the wait
   * was read when the exchange gave no Retry-After (VenueError.waitSaid).
   */
  hold(venueId: string, ms: number, scope: HoldScope, said?: string): number {
    // On a per-IP exchange everything is held where the limit is counted, the host, and only there: every
    // connection to it is held, and an account moved to another host meanwhile is not (an order-count limit is the account's).
    const shared = scope === 'all' ? this.sharedBy(venueId) : undefined
    return this.holdOne(shared ?? venueId, ms, scope, said)
  }

  /**
   * How the wait of the account's running `scope` hold (the one ending last: the account's or its host's) was read
   * when not from Retry-After; undefined for a Retry-After, or no hold.
   */
  saidOf(venueId: string, scope: HoldScope): string | undefined {
    const shared = scope === 'all' ? this.sharedBy(venueId) : undefined
    let latest: { end: number; id: string } | undefined
    for (const id of shared === undefined ? [venueId] : [venueId, shared]) {
      if (this.left(this.until[scope], id) > 0 && (latest === undefined || this.until[scope].get(id)! > latest.end)) latest = { end: this.until[scope].get(id)!, id }
    }
    return latest === undefined ? undefined : this.said[scope].get(latest.id)
  }

  /** Whether a hold of everything to the account is its host's (its exchange counts request limits per IP). */
  heldPerIp(venueId: string): boolean {
    return this.sharedBy(venueId) !== undefined
  }

  /** Whether the account's `scope` hold now runs past `end` (one hold() returned): another 429 put its end further off. */
  endsAfter(venueId: string, scope: HoldScope, end: number): boolean {
    return this.endOf(venueId, scope) > end
  }

  /**
   * Milliseconds requests of `scope` to the account are still held for; 0 when they are not. New orders are
   * held by either kind of hold; cancels only by an `all` one (the account's own, or its host's).
   */
  remainingMs(venueId: string, scope: HoldScope): number {
    const shared = this.sharedBy(venueId)
    const all = Math.max(this.left(this.until.all, venueId), shared === undefined ? 0 : this.left(this.until.all, shared))
    return scope === 'all' ? all : Math.max(all, this.left(this.until['new-orders'], venueId))
  }

  /**
   * The account's `all` hold as its venue keeps it (venues/ccxt/request-hold.ts: no request of the account is
   * sent while it runs), with its end on the wall clock for messages.
   */
  requestHold(venueId: string): () => { ms: number; until: number; closing?: true; perIp?: true; said?: string } {
    return () => {
      const ms = this.remainingMs(venueId, 'all')
      // A keyless connection (or a key's test) is held under its host's key itself.
      const perIp = ms > 0 && (isIpHoldKey(venueId) || this.heldPerIp(venueId))
      const said = ms > 0 ? this.saidOf(venueId, 'all') : undefined
      return {
        ms,
        until: this.now() + ms,
        ...(this.closing ? { closing: true as const } : {}),
        ...(perIp ? { perIp: true as const } : {}),
        ...(said !== undefined ? { said } : {}),
      }
    }
  }

  /**
   * The app is quitting: requests waiting for a hold's end give up unsent (quitting must not wait out a hold of
   * minutes); the holds themselves stay stored for the next start.
   */
  close(): void {
    this.closing = true
  }

  /** Holds one key (an account or a host) until `ms` from now unless it is held longer; returns that end. */
  private holdOne(venueId: string, ms: number, scope: HoldScope, said: string | undefined): number {
    const end = this.clock() + ms
    const map = this.until[scope]
    if ((map.get(venueId) ?? Number.NEGATIVE_INFINITY) >= end) return end
    map.set(venueId, end)
    if (said === undefined) this.said[scope].delete(venueId)
    else this.said[scope].set(venueId, said)
    this.keeper?.save({ venueId, scope, until: this.now() + ms, heldMs: ms, said: said ?? null })
    return end
  }

  /** The running `scope` hold's end on `clock` (an `all` one: the account's or its host's, whichever is later); -Infinity: none. */
  private endOf(venueId: string, scope: HoldScope): number {
    const shared = scope === 'all' ? this.sharedBy(venueId) : undefined
    let end = Number.NEGATIVE_INFINITY
    for (const id of shared === undefined ? [venueId] : [venueId, shared]) {
      if (this.left(this.until[scope], id) > 0) end = Math.max(end, this.until[scope].get(id)!)
    }
    return end
  }

  private left(map: Map<string, number>, venueId: string): number {
    const end = map.get(venueId)
    if (end === undefined) return 0
    const left = end - this.clock()
    if (left <= 0) {
      map.delete(venueId)
      this.said[map === this.until.all ? 'all' : 'new-orders'].delete(venueId)
    }
    return Math.max(0, left)
  }
}

/**
 * A timer's delay for waiting out `ms` of a hold: at most what setTimeout can wait (about 24.8 days; longer
 * fires after 1 ms, so a Retry-After that long would spin). Whoever wakes early finds the hold running and waits again.
 */
export function holdTimerMs(ms: number): number {
  return Math.min(ms, 2 ** 31 - 1)
}

/** Whole seconds, rounded up ("for 60 s"). */
export function seconds(ms: number): number {
  return Math.ceil(ms / 1000)
}

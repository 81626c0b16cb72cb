import Decimal from 'decimal.js'
import type { FillRecord } from '../trading/model'

// A follower account's free balance of a coin, kept between copy sales so that a sale is not held up by a
// balance REST call (~200 ms on OKX) when nothing says coins went missing.
//
// The value is the last read, moved by every fill the app records on that account since (any order: copies,
// the ticket, other strategies). A read during which such a fill arrived is not kept (it may or may not
// include it). A sale only trusts the estimate to say "enough is free": when it says less than the copies
// hold, or it is old or unknown, the sale reads the balance and waits (only a real read takes coins off the
// copies' book). What it cannot see is a sale outside the app within `ttlMs`: such a copy sale is refused by
// the venue, and the entry is dropped so the next sale reads again.

interface Entry {
  free: Decimal
  at: number
}

export class FreeBalances {
  private readonly entries = new Map<string, Entry>()
  /** key → the reads in flight; a read a fill landed during is spoiled (it may or may not include it). */
  private readonly readers = new Map<string, Set<symbol>>()
  private readonly spoiled = new Set<symbol>()

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** The free balance as estimated now, or undefined when there is no reading younger than the TTL. */
  estimate(venueId: string, asset: string): Decimal | undefined {
    const entry = this.entries.get(key(venueId, asset))
    if (entry === undefined || this.now() - entry.at >= this.ttlMs) return undefined
    return entry.free
  }

  /** Reads the free balance and keeps it unless a fill of the account in that coin landed meanwhile. */
  async read(venueId: string, asset: string, fetch: () => Promise<Decimal | null>): Promise<Decimal | null> {
    const k = key(venueId, asset)
    const startedAt = this.now()
    const marker = Symbol('read')
    const own = (this.readers.get(k) ?? new Set<symbol>()).add(marker)
    this.readers.set(k, own)
    try {
      const free = await fetch()
      if (free !== null && !this.spoiled.has(marker)) this.entries.set(k, { free, at: startedAt })
      return free
    } finally {
      own.delete(marker)
      this.spoiled.delete(marker)
      if (own.size === 0) this.readers.delete(k)
    }
  }

  /** A fill the app recorded on a follower account: moves the kept balance, spoils the reads in flight. */
  onFill(fill: FillRecord): void {
    const base = fill.symbol.split('/')[0] ?? fill.symbol
    const k = key(fill.venueId, base)
    for (const marker of this.readers.get(k) ?? []) this.spoiled.add(marker)
    const entry = this.entries.get(k)
    if (entry === undefined) return
    const amount = new Decimal(fill.amount)
    const fee = fill.fee.asset === base ? new Decimal(fill.fee.amount) : new Decimal(0)
    const free = fill.side === 'buy' ? entry.free.plus(amount).minus(fee) : entry.free.minus(amount).minus(fee)
    this.entries.set(k, { free: Decimal.max(free, 0), at: entry.at })
  }

  /** Forgets the kept balance (a copy sale of that coin failed: the next one reads it). */
  drop(venueId: string, asset: string): void {
    this.entries.delete(key(venueId, asset))
  }
}

function key(venueId: string, asset: string): string {
  return `${venueId}|${asset}`
}

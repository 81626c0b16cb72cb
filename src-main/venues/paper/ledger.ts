import type { Balance } from '../port'
import { VenueError } from '../port'
import { D, ZERO, fmt, type D as Dec } from './decimal'

interface Row {
  free: Dec
  used: Dec
}

/**
 * A paper account's balances: free and used (reserved by open orders) per asset, exact. Changed assets are
 * remembered until `takeDirty()` so that one transaction can save exactly what an order changed.
 */
export class PaperLedger {
  private readonly rows = new Map<string, Row>()
  private readonly dirty = new Set<string>()

  constructor(initial: Iterable<{ asset: string; free: string; used: string }> = []) {
    for (const b of initial) this.rows.set(b.asset, { free: new D(b.free), used: new D(b.used) })
  }

  free(asset: string): Dec {
    return this.rows.get(asset)?.free ?? ZERO
  }

  used(asset: string): Dec {
    return this.rows.get(asset)?.used ?? ZERO
  }

  credit(asset: string, amount: Dec): void {
    this.row(asset).free = this.row(asset).free.plus(amount)
  }

  /** Takes from free; refuses (nothing changed) when free is short. */
  debit(asset: string, amount: Dec, what: string): void {
    const row = this.row(asset)
    if (row.free.lt(amount)) throw insufficient(asset, row.free, amount, what)
    row.free = row.free.minus(amount)
  }

  /** Moves free → used; refuses (nothing changed) when free is short. */
  reserve(asset: string, amount: Dec, what: string): void {
    const row = this.row(asset)
    if (row.free.lt(amount)) throw insufficient(asset, row.free, amount, what)
    row.free = row.free.minus(amount)
    row.used = row.used.plus(amount)
  }

  /** Pays out of what an order reserved (used goes down); refuses (nothing changed) more than is reserved. */
  spendReserved(asset: string, amount: Dec): void {
    const row = this.row(asset)
    if (row.used.lt(amount)) {
      throw new VenueError('insufficient-funds', `Paper reservation too low: a fill needs ${fmt(amount)} ${asset}, ${fmt(row.used)} ${asset} is reserved`)
    }
    row.used = row.used.minus(amount)
  }

  /** Returns a reservation to free. */
  release(asset: string, amount: Dec): void {
    if (amount.isZero()) return
    const row = this.row(asset)
    row.used = row.used.minus(amount)
    row.free = row.free.plus(amount)
  }

  /** Refuses unless `amount` of `asset` is free (reads only). */
  requireFree(asset: string, amount: Dec, what: string): void {
    const free = this.free(asset)
    if (free.lt(amount)) throw insufficient(asset, free, amount, what)
  }

  balances(): Balance[] {
    return [...this.rows.entries()]
      .filter(([, r]) => !r.free.isZero() || !r.used.isZero())
      .map(([asset, r]) => ({ asset, free: fmt(r.free), used: fmt(r.used), total: fmt(r.free.plus(r.used)) }))
      .sort((a, b) => a.asset.localeCompare(b.asset))
  }

  /** The assets changed since the last call, as they are now. */
  takeDirty(): { asset: string; free: string; used: string }[] {
    const out = [...this.dirty].map((asset) => ({ asset, free: fmt(this.free(asset)), used: fmt(this.used(asset)) }))
    this.dirty.clear()
    return out
  }

  /** A copy to roll back to when a step fails half-way. */
  snapshot(): Map<string, Row> {
    return new Map([...this.rows].map(([a, r]) => [a, { ...r }]))
  }

  restore(saved: Map<string, Row>): void {
    this.rows.clear()
    for (const [a, r] of saved) this.rows.set(a, { ...r })
    this.dirty.clear()
  }

  private row(asset: string): Row {
    let row = this.rows.get(asset)
    if (row === undefined) this.rows.set(asset, (row = { free: ZERO, used: ZERO }))
    this.dirty.add(asset)
    return row
  }
}

function insufficient(asset: string, free: Dec, need: Dec, what: string): VenueError {
  return new VenueError('insufficient-funds', `Paper balance too low: ${what} needs ${fmt(need)} ${asset}, ${fmt(free)} ${asset} is free`)
}

import { and, eq, lte } from 'drizzle-orm'
import type { Db } from '../../store/open'
import { rateHolds } from './tables'
import type { HoldScope } from './rate-holds'

// The rate holds' ends in SQLite (rate_holds), so a restart inside an exchange's Retry-After window keeps
// waiting instead of sending at once.

export interface SavedHold {
  venueId: string
  scope: HoldScope
  until: number
  /** How long the exchange asked to wait; bounds the wait when the clock went back (null: not known). */
  heldMs: number | null
  /** How the wait was read when not from Retry-After (RateHolds.saidOf); null for a Retry-After. */
  said: string | null
}

export class RateHoldStore {
  constructor(private readonly db: Db) {}

  /**
   * The holds still running at `now`; ended ones are dropped. `until` is wall-clock time: after the machine's
   * clock was set back it lies further off than the exchange asked, so such a hold ends at most `heldMs` from
   * now, and that end is written back (another restart does not start it over).
   */
  running(now: number): SavedHold[] {
    return this.db.transaction((tx) => {
      tx.delete(rateHolds).where(lte(rateHolds.until, now)).run()
      const rows = tx.select().from(rateHolds).all()
      for (const row of rows) {
        if (row.heldMs === null || row.until - now <= row.heldMs) continue
        row.until = now + row.heldMs
        tx.update(rateHolds)
          .set({ until: row.until })
          .where(and(eq(rateHolds.venueId, row.venueId), eq(rateHolds.scope, row.scope)))
          .run()
      }
      return rows
    })
  }

  /** Writes a hold's end (replacing the account's earlier one of that scope). */
  save(hold: SavedHold): void {
    this.db
      .insert(rateHolds)
      .values(hold)
      .onConflictDoUpdate({ target: [rateHolds.venueId, rateHolds.scope], set: { until: hold.until, heldMs: hold.heldMs, said: hold.said } })
      .run()
  }
}

import { lte } from 'drizzle-orm'
import type { Db } from '../../store/open'
import { rateHolds } from './tables'
import type { HoldScope } from './rate-holds'

// The rate holds' ends in SQLite (rate_holds), so a restart inside an exchange's Retry-After window keeps
// waiting instead of sending at once.

export interface SavedHold {
  venueId: string
  scope: HoldScope
  until: number
}

export class RateHoldStore {
  constructor(private readonly db: Db) {}

  /** The holds still running at `now`; ended ones are dropped. */
  running(now: number): SavedHold[] {
    this.db.delete(rateHolds).where(lte(rateHolds.until, now)).run()
    return this.db.select().from(rateHolds).all()
  }

  /** Writes a hold's end (replacing the account's earlier one of that scope). */
  save(hold: SavedHold): void {
    this.db
      .insert(rateHolds)
      .values(hold)
      .onConflictDoUpdate({ target: [rateHolds.venueId, rateHolds.scope], set: { until: hold.until } })
      .run()
  }
}

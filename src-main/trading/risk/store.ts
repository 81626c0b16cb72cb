import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import type { Db } from '../../store/open'
import type { RiskLimits, RiskView } from '../../api/schemas/trading'
import { AppError } from '../../api/errors'
import { limitsText } from './limits-text'
import { riskDayEquity, riskSettings, riskTransferValues } from './tables'

const ROW_ID = 1

export interface DayEquity {
  equity: string
  takenAt: number
  breachedAt: number | null
  /** The limit the loss reached at breachedAt (USDT); null when not kept (breached before it was). */
  breachedLimit: string | null
}

/** The risk module's rows: the limits and halt (one row), and each account's start-of-day equity. */
export class RiskStore {
  constructor(private readonly db: Db) {}

  view(): RiskView {
    return viewOf(this.db.select().from(riskSettings).where(eq(riskSettings.id, ROW_ID)).get())
  }

  /**
   * Saves the limits if the stored ones are still at `expectedVersion` (the version the caller read), as
   * one transaction; otherwise refuses with CONFLICT, naming the limits as they are now, and writes nothing.
   */
  setLimits(limits: RiskLimits, expectedVersion: number, at: number): void {
    this.db.transaction(
      (tx) => {
        const current = viewOf(tx.select().from(riskSettings).where(eq(riskSettings.id, ROW_ID)).get())
        if (current.version !== expectedVersion) {
          throw new AppError(
            'CONFLICT',
            `The risk limits were changed in another window and nothing was saved. They are now: ${limitsText(current)}. Check them and save again.`,
          )
        }
        // A breach stored before its limit was kept happened under the limit in force until now: keep that
        // one with it, so a limit raised above it is checked anew (service.ts checkDailyLoss).
        if (current.dailyLossLimit !== null) {
          tx.update(riskDayEquity)
            .set({ breachedLimit: current.dailyLossLimit })
            .where(and(isNotNull(riskDayEquity.breachedAt), isNull(riskDayEquity.breachedLimit)))
            .run()
        }
        const values = { ...limits, version: current.version + 1, updatedAt: at }
        tx.insert(riskSettings)
          .values({ id: ROW_ID, ...values })
          .onConflictDoUpdate({ target: riskSettings.id, set: values })
          .run()
      },
      { behavior: 'immediate' },
    )
  }

  setHalted(halted: boolean, haltedAt: number | null, at: number): void {
    const values = { halted, haltedAt, updatedAt: at }
    this.db
      .insert(riskSettings)
      .values({ id: ROW_ID, ...values })
      .onConflictDoUpdate({ target: riskSettings.id, set: values })
      .run()
  }

  dayEquity(venueId: string, day: string): DayEquity | undefined {
    const row = this.db
      .select()
      .from(riskDayEquity)
      .where(and(eq(riskDayEquity.venueId, venueId), eq(riskDayEquity.day, day)))
      .get()
    return row === undefined ? undefined : { equity: row.equity, takenAt: row.takenAt, breachedAt: row.breachedAt, breachedLimit: row.breachedLimit }
  }

  /** Stores the day's first equity; if another check stored one first, that one stays. Returns the stored row. */
  takeDayEquity(venueId: string, day: string, equity: string, at: number): DayEquity {
    this.db.insert(riskDayEquity).values({ venueId, day, equity, takenAt: at }).onConflictDoNothing().run()
    return this.dayEquity(venueId, day) as DayEquity
  }

  /** The loss reached `limit` at `at`; with `at` null, no limit is breached (one raised above the loss). */
  markBreached(venueId: string, day: string, at: number | null, limit: string | null): void {
    this.db
      .update(riskDayEquity)
      .set({ breachedAt: at, breachedLimit: limit })
      .where(and(eq(riskDayEquity.venueId, venueId), eq(riskDayEquity.day, day)))
      .run()
  }

  /** A transfer's value in USDT as first seen (see riskTransferValues), if kept. */
  transferValue(venueId: string, key: string): string | undefined {
    const row = this.db
      .select({ value: riskTransferValues.value })
      .from(riskTransferValues)
      .where(and(eq(riskTransferValues.venueId, venueId), eq(riskTransferValues.key, key)))
      .get()
    return row?.value
  }

  /** Keeps a transfer's value; one kept first stays. Returns the kept value. */
  keepTransferValue(venueId: string, key: string, asset: string, amount: string, value: string, at: number): string {
    this.db.insert(riskTransferValues).values({ venueId, key, asset, amount, value, valuedAt: at }).onConflictDoNothing().run()
    return this.transferValue(venueId, key) as string
  }
}

/** The stored row as the contract shows it (no row yet: no limits, not halted, version 0). */
function viewOf(row: typeof riskSettings.$inferSelect | undefined): RiskView {
  return {
    maxOrderNotional: row?.maxOrderNotional ?? null,
    maxPositionNotional: row?.maxPositionNotional ?? null,
    priceBandPct: row?.priceBandPct ?? null,
    dailyLossLimit: row?.dailyLossLimit ?? null,
    halted: row?.halted ?? false,
    haltedAt: row?.haltedAt ?? null,
    version: row?.version ?? 0,
  }
}

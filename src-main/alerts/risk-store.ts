import { desc, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '../store/open'
import { riskAlertRules } from './tables'
import type { AlertStore, StoredEvent } from './store'

export type StoredRiskRule = typeof riskAlertRules.$inferSelect

/** The risk alerts' rows. A firing writes the rule's end (or disarm) and its notification-centre entry together. */
export class RiskAlertStore {
  constructor(
    private readonly db: Db,
    private readonly centre: AlertStore,
  ) {}

  active(): StoredRiskRule[] {
    return this.db.select().from(riskAlertRules).where(eq(riskAlertRules.status, 'active')).all()
  }

  get(id: string): StoredRiskRule | undefined {
    return this.db.select().from(riskAlertRules).where(eq(riskAlertRules.id, id)).get()
  }

  history(limit: number): StoredRiskRule[] {
    return this.db.select().from(riskAlertRules).where(ne(riskAlertRules.status, 'active')).orderBy(desc(riskAlertRules.updatedAt)).limit(limit).all()
  }

  insert(rule: StoredRiskRule): void {
    this.db.insert(riskAlertRules).values(rule).run()
  }

  /** `reason`: why, when not by the user (the account it watches was removed). */
  cancel(id: string, at: number, reason: string | null = null): void {
    this.db.update(riskAlertRules).set({ status: 'canceled', reason, updatedAt: at }).where(eq(riskAlertRules.id, id)).run()
  }

  /** Several rules canceled together (all or none), each with `reason`. */
  cancelAll(ids: readonly string[], at: number, reason: string): void {
    this.db.transaction(() => {
      for (const id of ids) this.cancel(id, at, reason)
    })
  }

  rearm(id: string, at: number): void {
    this.db.update(riskAlertRules).set({ armed: true, updatedAt: at }).where(eq(riskAlertRules.id, id)).run()
  }

  /** The drawdown's new high (kept across restarts). */
  setPeak(id: string, peak: string | null): void {
    this.db.update(riskAlertRules).set({ peak }).where(eq(riskAlertRules.id, id)).run()
  }

  fire(rule: StoredRiskRule, event: Omit<StoredEvent, 'id'>): number {
    return this.db.transaction((tx) => {
      const fired = { fireCount: sql`${riskAlertRules.fireCount} + 1`, updatedAt: event.at, peak: rule.peak }
      tx.update(riskAlertRules)
        .set(rule.repeat ? { ...fired, armed: false } : { ...fired, status: 'fired' })
        .where(eq(riskAlertRules.id, rule.id))
        .run()
      return this.centre.record(tx, event)
    })
  }
}

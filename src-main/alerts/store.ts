import { and, desc, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '../store/open'
import { alertEvents, alertRules, riskAlertRules } from './tables'
import type { AlertEvent } from '../api/schemas/alerts'

export type StoredRule = typeof alertRules.$inferSelect
export type StoredEvent = typeof alertEvents.$inferSelect

export interface RuleQuery {
  venueId?: string
  symbol?: string
  limit: number
}

/** How many entries the notification centre keeps: a repeating alert on a busy market must not grow it forever. */
export const EVENTS_KEPT = 2000

/** The alerts module's rows (price rules and the notification centre). A firing writes the rule's end and its event in one transaction. */
export class AlertStore {
  constructor(
    private readonly db: Db,
    private readonly keep = EVENTS_KEPT,
  ) {}

  active(): StoredRule[] {
    return this.db.select().from(alertRules).where(eq(alertRules.status, 'active')).all()
  }

  get(id: string): StoredRule | undefined {
    return this.db.select().from(alertRules).where(eq(alertRules.id, id)).get()
  }

  /** Fired and canceled rules, newest change first. */
  history(q: RuleQuery): StoredRule[] {
    return this.db
      .select()
      .from(alertRules)
      .where(
        and(
          ne(alertRules.status, 'active'),
          q.venueId === undefined ? undefined : eq(alertRules.venueId, q.venueId),
          q.symbol === undefined ? undefined : eq(alertRules.symbol, q.symbol),
        ),
      )
      .orderBy(desc(alertRules.updatedAt))
      .limit(q.limit)
      .all()
  }

  insert(rule: StoredRule): void {
    this.db.insert(alertRules).values(rule).run()
  }

  /** A new level; a repeating alert is armed again (the level was checked against the price). */
  setPrice(id: string, price: string, at: number): void {
    this.db.update(alertRules).set({ price, armed: true, updatedAt: at }).where(eq(alertRules.id, id)).run()
  }

  /** A repeating alert is armed again: the price is back on the side it started from. */
  rearm(id: string, at: number): void {
    this.db.update(alertRules).set({ armed: true, updatedAt: at }).where(eq(alertRules.id, id)).run()
  }

  /** `reason`: why, when not by the user (its account was removed). */
  cancel(id: string, at: number, reason: string | null = null): void {
    this.db.update(alertRules).set({ status: 'canceled', reason, updatedAt: at }).where(eq(alertRules.id, id)).run()
  }

  /** Several rules canceled together (all or none), each with `reason`. */
  cancelAll(ids: readonly string[], at: number, reason: string): void {
    this.db.transaction(() => {
      for (const id of ids) this.cancel(id, at, reason)
    })
  }

  /**
   * The rule fired: it ends as fired (or, repeating, stays active and disarmed) and its event is recorded,
   * together or not at all. Returns the event's id.
   */
  fire(id: string, repeat: boolean, event: Omit<StoredEvent, 'id'>): number {
    return this.db.transaction((tx) => {
      const fired = { fireCount: sql`${alertRules.fireCount} + 1`, updatedAt: event.at }
      tx.update(alertRules)
        .set(repeat ? { ...fired, armed: false } : { ...fired, status: 'fired' })
        .where(eq(alertRules.id, id))
        .run()
      return this.record(tx, event)
    })
  }

  /** Writes a fired alert's entry in the notification centre, in the caller's transaction; its id. */
  record(tx: Pick<Db, 'insert' | 'run'>, event: Omit<StoredEvent, 'id'>): number {
    const row = tx.insert(alertEvents).values(event).returning({ id: alertEvents.id }).get()
    // The oldest entries beyond what the centre keeps go in the same transaction.
    tx.run(sql`delete from alert_events where id <= (select id from alert_events order by id desc limit 1 offset ${this.keep})`)
    return row.id
  }

  /** A channel's outcome on a fired alert's entry. */
  settle(eventId: number, channel: 'webhook' | 'email', status: 'delivered' | 'failed', detail: string): void {
    const set = channel === 'webhook' ? { webhook: status, webhookDetail: detail } : { email: status, emailDetail: detail }
    this.db.update(alertEvents).set(set).where(eq(alertEvents.id, eventId)).run()
  }

  /** Every channel still 'pending' (webhook or email) set to failed with `detail`; returns how many. */
  failPending(detail: string): number {
    return this.db.transaction((tx) => {
      const webhooks = tx.update(alertEvents).set({ webhook: 'failed', webhookDetail: detail }).where(eq(alertEvents.webhook, 'pending')).run().changes
      const emails = tx.update(alertEvents).set({ email: 'failed', emailDetail: detail }).where(eq(alertEvents.email, 'pending')).run().changes
      return webhooks + emails
    })
  }

  /** Newest first, with whether each rule asked for a desktop notification. */
  events(limit: number): AlertEvent[] {
    return this.db
      .select({
        id: alertEvents.id,
        ruleId: alertEvents.ruleId,
        kind: alertEvents.kind,
        at: alertEvents.at,
        venueId: alertEvents.venueId,
        symbol: alertEvents.symbol,
        price: alertEvents.price,
        title: alertEvents.title,
        body: alertEvents.body,
        desktop: sql<number>`coalesce(${alertRules.desktop}, ${riskAlertRules.desktop}, 0)`,
        webhook: alertEvents.webhook,
        webhookDetail: alertEvents.webhookDetail,
        email: alertEvents.email,
        emailDetail: alertEvents.emailDetail,
      })
      .from(alertEvents)
      .leftJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
      .leftJoin(riskAlertRules, eq(riskAlertRules.id, alertEvents.ruleId))
      .orderBy(desc(alertEvents.at), desc(alertEvents.id))
      .limit(limit)
      .all()
      .map((r) => ({ ...r, desktop: Boolean(r.desktop) }))
  }
}

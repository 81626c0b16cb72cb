import type Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../store/open'
import { conditionalIdempotencyKeys, conditionalOrders } from './tables'
import type { StoredLeg } from './legs'

// The conditional_orders table as legs. Synchronous (better-sqlite3): each call is atomic with respect to
// the rest of the engine; several legs are written in one transaction.

type Row = typeof conditionalOrders.$inferSelect

/** The ticket's idempotency key of a conditional order being created, with when keys are forgotten. */
export interface LegsKey {
  venueId: string
  key: string
  fingerprint: string
  at: number
  /** Keys written before this are dropped first. */
  forgetBefore: number
}

export interface HistoryQuery {
  venueId?: string | undefined
  symbol?: string | undefined
  limit: number
}

export class ConditionalStore {
  // The writes on the trigger path (a trigger, its partner's cancel) are plain prepared statements of
  // better-sqlite3: drizzle's prepared queries cost ~25 µs more per run, on a path where every µs is
  // between a tick and its order.
  private readonly writeAll: (legs: readonly StoredLeg[]) => void
  private readonly writeStatus: (legs: readonly StoredLeg[]) => void
  private readonly writeRefs: (legs: readonly StoredLeg[]) => void

  constructor(private readonly db: Db) {
    const client = (db as Db & { $client: Database.Database }).$client
    const update = client.prepare(
      'update conditional_orders set amount = ?, trailing_activated = ?, trailing_reference = ?, status = ?, reason = ?, cancel_cause = ?, ' +
        'client_order_id = ?, held_until = ?, filled = ?, entry_filled = ?, updated_at = ? where id = ?',
    )
    // A trigger, a partner's cancel, a trail's start: what those change, positional (cheapest to bind).
    const status = client.prepare(
      'update conditional_orders set trailing_activated = ?, trailing_reference = ?, status = ?, reason = ?, cancel_cause = ?, client_order_id = ?, ' +
        'updated_at = ? where id = ?',
    )
    const reference = client.prepare('update conditional_orders set trailing_activated = ?, trailing_reference = ? where id = ?')
    const all = (l: StoredLeg) =>
      update.run(l.amount, activated(l), l.trailing?.reference ?? null, l.status, l.reason, l.cancelCause, l.clientOrderId, l.heldUntil, l.filled, l.entryFilled, l.updatedAt, l.id)
    const st = (l: StoredLeg) => status.run(activated(l), l.trailing?.reference ?? null, l.status, l.reason, l.cancelCause, l.clientOrderId, l.updatedAt, l.id)
    const ref = (l: StoredLeg) => reference.run(activated(l), l.trailing?.reference ?? null, l.id)
    const many = client.transaction((legs: readonly StoredLeg[], one: (l: StoredLeg) => unknown) => {
      for (const l of legs) one(l)
    })
    const run = (one: (l: StoredLeg) => unknown) => (legs: readonly StoredLeg[]) => {
      if (legs.length === 1) one(legs[0] as StoredLeg)
      else if (legs.length > 1) many(legs, one)
    }
    this.writeAll = run(all)
    this.writeStatus = run(st)
    this.writeRefs = run(ref)
  }

  /**
   * Writes new legs in one transaction, and with them the idempotency key they were created under. False
   * (nothing written) when that key is still held by other legs.
   */
  insert(legs: readonly StoredLeg[], keyed?: LegsKey): boolean {
    return this.db.transaction((tx) => {
      if (keyed !== undefined) {
        tx.delete(conditionalIdempotencyKeys).where(lt(conditionalIdempotencyKeys.createdAt, keyed.forgetBefore)).run()
        const taken = tx
          .select({ key: conditionalIdempotencyKeys.key })
          .from(conditionalIdempotencyKeys)
          .where(and(eq(conditionalIdempotencyKeys.venueId, keyed.venueId), eq(conditionalIdempotencyKeys.key, keyed.key)))
          .get()
        if (taken !== undefined) return false
        tx.insert(conditionalIdempotencyKeys)
          .values({ venueId: keyed.venueId, key: keyed.key, fingerprint: keyed.fingerprint, legIds: legs.map((l) => l.id).join(','), createdAt: keyed.at })
          .run()
      }
      for (const leg of legs) tx.insert(conditionalOrders).values(toRow(leg)).run()
      return true
    })
  }

  /** The legs created under this account's idempotency key, if it was used at or after `since`. */
  keyed(venueId: string, key: string, since: number): { fingerprint: string; legIds: string[] } | undefined {
    const row = this.db
      .select()
      .from(conditionalIdempotencyKeys)
      .where(and(eq(conditionalIdempotencyKeys.venueId, venueId), eq(conditionalIdempotencyKeys.key, key), gte(conditionalIdempotencyKeys.createdAt, since)))
      .get()
    return row === undefined ? undefined : { fingerprint: row.fingerprint, legIds: row.legIds.split(',') }
  }

  /** A leg's new trigger and limit prices, or trailing distance (conditional.amend). */
  saveTerms(
    id: string,
    terms: { triggerPrice: string | null; limitPrice: string | null; trailingValue: string | null; trailingReference: string | null; updatedAt: number },
  ): void {
    this.db.update(conditionalOrders).set(terms).where(eq(conditionalOrders.id, id)).run()
  }

  /**
   * Removes legs that were never used (a bracket whose entry the gateway refused), and the idempotency key
   * they were created under: nothing was placed, so a resend with it is a new try.
   */
  delete(ids: readonly string[]): void {
    if (ids.length === 0) return
    this.db.transaction((tx) => {
      tx.delete(conditionalOrders).where(inArray(conditionalOrders.id, [...ids])).run()
      tx.delete(conditionalIdempotencyKeys).where(eq(conditionalIdempotencyKeys.legIds, ids.join(','))).run()
    })
  }

  /** Writes every mutable field of these legs in one transaction. */
  save(legs: readonly StoredLeg[]): void {
    this.writeAll(legs)
  }

  /**
   * Writes status, reason, cancel cause, client order id, trailing state and updated_at only (one
   * transaction): the trigger path, where nothing else changes (a leg held for a rate limit is written by save).
   */
  saveStatus(legs: readonly StoredLeg[]): void {
    this.writeStatus(legs)
  }

  /** Trailing references only (the once-a-second write; no state change, updated_at untouched). */
  saveReferences(legs: readonly StoredLeg[]): void {
    this.writeRefs(legs)
  }

  get(id: string): StoredLeg | undefined {
    const row = this.db.select().from(conditionalOrders).where(eq(conditionalOrders.id, id)).get()
    return row ? fromRow(row) : undefined
  }

  /** The legs of a group, or the leg itself (single). */
  group(idOrGroup: string): StoredLeg[] {
    const rows = this.db
      .select()
      .from(conditionalOrders)
      .where(sql`${conditionalOrders.groupId} = ${idOrGroup} or ${conditionalOrders.id} = ${idOrGroup}`)
      .all()
    return rows.map(fromRow)
  }

  /** Every leg of every group that still has an armed, waiting or triggered leg (what start re-arms). */
  live(): StoredLeg[] {
    const active = sql`${conditionalOrders.status} in ('armed', 'waiting', 'triggered')`
    const groupsWithActive = this.db
      .selectDistinct({ g: conditionalOrders.groupId })
      .from(conditionalOrders)
      .where(and(active, sql`${conditionalOrders.groupId} is not null`))
    const rows = this.db
      .select()
      .from(conditionalOrders)
      .where(sql`${active} or ${conditionalOrders.groupId} in ${groupsWithActive}`)
      .orderBy(conditionalOrders.createdAt)
      .all()
    return rows.map(fromRow)
  }

  /**
   * The bracket legs whose entry is one of these orders (start: the legs of a bracket whose entry still
   * works, whatever their status). Read once at start, so no index on the entry column.
   */
  ofEntries(entryClientOrderIds: readonly string[]): StoredLeg[] {
    if (entryClientOrderIds.length === 0) return []
    return this.db
      .select()
      .from(conditionalOrders)
      .where(inArray(conditionalOrders.entryClientOrderId, [...entryClientOrderIds]))
      .orderBy(conditionalOrders.createdAt)
      .all()
      .map(fromRow)
  }

  /**
   * Every leg of the brackets where one exit was canceled as its partner filled and whose entry has not been
   * seen ending (start: the entry may have filled more while the app was down, which that exit then guards).
   * Brackets marked entryEnded are settled and left out (the partial index holds only the others).
   */
  partnerCanceledBrackets(): StoredLeg[] {
    const groups = this.db
      .selectDistinct({ g: conditionalOrders.groupId })
      .from(conditionalOrders)
      .where(
        and(
          eq(conditionalOrders.groupType, 'bracket'),
          eq(conditionalOrders.status, 'canceled'),
          eq(conditionalOrders.cancelCause, 'sibling'),
          eq(conditionalOrders.entryEnded, false),
        ),
      )
    return this.db
      .select()
      .from(conditionalOrders)
      .where(sql`${conditionalOrders.groupId} in ${groups}`)
      .orderBy(conditionalOrders.createdAt)
      .all()
      .map(fromRow)
  }

  /**
   * The legs of this bracket know all its entry order will ever fill (it ended and entry_filled was written):
   * start does not read them again. Written after that entry_filled, so a crash in between only costs a look.
   */
  markEntryEnded(groupId: string): void {
    // By group (indexed): a bracket's legs share its entry.
    this.db.update(conditionalOrders).set({ entryEnded: true }).where(eq(conditionalOrders.groupId, groupId)).run()
  }

  /**
   * The bracket whose entry is this order, marked settled, though the order has since filled more than its legs
   * recorded (`filledMore` decides, given what they recorded): unmarked, so the next start reads it and re-arms
   * its exit for the rest. True when it was unmarked.
   */
  reopenEntry(groupId: string, entryClientOrderId: string, filledMore: (entryFilled: Decimal) => boolean): boolean {
    return this.db.transaction((tx) => {
      const where = and(eq(conditionalOrders.groupId, groupId), eq(conditionalOrders.entryClientOrderId, entryClientOrderId), eq(conditionalOrders.entryEnded, true))
      const rows = tx.select({ entryFilled: conditionalOrders.entryFilled }).from(conditionalOrders).where(where).all()
      if (rows.length === 0) return false
      const known = Decimal.max(...rows.map((r) => new Decimal(r.entryFilled ?? '0')))
      if (!filledMore(known)) return false
      tx.update(conditionalOrders).set({ entryEnded: false }).where(where).run()
      return true
    })
  }

  /** Ended legs (done, canceled, failed), newest change first. */
  history(q: HistoryQuery): StoredLeg[] {
    const where: SQL[] = [sql`${conditionalOrders.status} in ('done', 'canceled', 'failed', 'left-on-exchange')`]
    if (q.venueId !== undefined) where.push(eq(conditionalOrders.venueId, q.venueId))
    if (q.symbol !== undefined) where.push(eq(conditionalOrders.symbol, q.symbol))
    return this.db
      .select()
      .from(conditionalOrders)
      .where(and(...where))
      .orderBy(desc(conditionalOrders.updatedAt), desc(conditionalOrders.createdAt))
      .limit(q.limit)
      .all()
      .map(fromRow)
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(conditionalOrders).get()?.n ?? 0
  }
}

/** SQLite stores the boolean as 1 / 0. */
function activated(leg: StoredLeg): number {
  return leg.trailing?.activated ? 1 : 0
}

function toRow(leg: StoredLeg): typeof conditionalOrders.$inferInsert {
  return {
    id: leg.id,
    groupId: leg.groupId,
    groupType: leg.groupType,
    venueId: leg.venueId,
    symbol: leg.symbol,
    kind: leg.kind,
    side: leg.side,
    amount: leg.amount,
    triggerSource: leg.trigger,
    triggerPrice: leg.triggerPrice,
    limitPrice: leg.limitPrice,
    trailingUnit: leg.trailing?.unit ?? null,
    trailingValue: leg.trailing?.value ?? null,
    activationPrice: leg.trailing?.activationPrice ?? null,
    trailingActivated: leg.trailing?.activated ?? false,
    trailingReference: leg.trailing?.reference ?? null,
    status: leg.status,
    reason: leg.reason,
    cancelCause: leg.cancelCause,
    clientOrderId: leg.clientOrderId,
    heldUntil: leg.heldUntil,
    filled: leg.filled,
    entryClientOrderId: leg.entryClientOrderId,
    entryFilled: leg.entryFilled,
    placement: leg.placement,
    createdAt: leg.createdAt,
    updatedAt: leg.updatedAt,
  }
}

function fromRow(r: Row): StoredLeg {
  return {
    id: r.id,
    groupId: r.groupId,
    groupType: r.groupType,
    venueId: r.venueId,
    symbol: r.symbol,
    kind: r.kind,
    side: r.side,
    amount: r.amount,
    trigger: r.triggerSource,
    placement: r.placement,
    triggerPrice: r.triggerPrice,
    limitPrice: r.limitPrice,
    trailing:
      r.trailingUnit === null
        ? null
        : {
            unit: r.trailingUnit,
            value: r.trailingValue ?? '0',
            activationPrice: r.activationPrice,
            activated: r.trailingActivated,
            reference: r.trailingReference,
          },
    status: r.status,
    reason: r.reason,
    cancelCause: r.cancelCause,
    clientOrderId: r.clientOrderId,
    heldUntil: r.heldUntil,
    filled: r.filled,
    entryClientOrderId: r.entryClientOrderId,
    entryFilled: r.entryFilled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

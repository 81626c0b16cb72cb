import Decimal from 'decimal.js'
import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../store/open'
import type { Fill } from '../../venues/port'
import type { FillRecord, OrderIntent, OrderRecord, OrderStatus } from '../model'
import { terminalOrderStatuses, type FillCursor, type HistoryCursor } from '../../api/schemas/trading'
import { activeOrderStatuses } from './status-table'
import { fills, orderIdempotencyKeys, orders } from './tables'

// The orders and fills tables as records. Reads and writes are synchronous (better-sqlite3), so one call
// here is atomic with respect to everything else in the engine.

type OrderRow = typeof orders.$inferSelect

/** Orders created in the same millisecond keep the order they were written in. */
const insertionOrder = sql`${orders}.rowid`
type FillRow = typeof fills.$inferSelect

export type OrderPatch = Partial<Pick<OrderRecord, 'venueOrderId' | 'filled' | 'cost' | 'status' | 'error' | 'attempts' | 'retryAfterMs'>>

export interface OrderQuery {
  venueId?: string
  symbol?: string
  scope: 'open' | 'history'
  limit: number
  /** History only: the finished orders listed after this one (paging back). */
  before?: HistoryCursor
}

/** What insertIntent did: wrote the intent, found its client id taken, or found its idempotency key taken. */
export type InsertResult = 'inserted' | 'id-exists' | 'key-used'

/** The key a ticket sent with an order, as recorded with it. */
export interface KeyedOrder {
  fingerprint: string
  clientOrderId: string
}

export interface FillQuery {
  venueId?: string
  symbol?: string
  limit: number
  /** The fills listed after this one (paging back). */
  before?: FillCursor
}

export class OrderStore {
  constructor(private readonly db: Db) {}

  get(clientOrderId: string): OrderRecord | undefined {
    const row = this.db.select().from(orders).where(eq(orders.clientOrderId, clientOrderId)).get()
    return row ? toRecord(row) : undefined
  }

  byVenueOrderId(venueId: string, venueOrderId: string): OrderRecord | undefined {
    const row = this.db
      .select()
      .from(orders)
      .where(and(eq(orders.venueId, venueId), eq(orders.venueOrderId, venueOrderId)))
      .get()
    return row ? toRecord(row) : undefined
  }

  /**
   * Inserts the intent as 'pending' and, when it carries an idempotency key, records the key with it in
   * the same transaction (keys older than `forgetBefore` are dropped first). Nothing is written when the
   * client id exists already, or the key is still held by another order.
   */
  insertIntent(clientOrderId: string, intent: OrderIntent, at: number, forgetBefore = 0): InsertResult {
    return this.db.transaction((tx) => {
      const idem = intent.idempotency
      if (idem !== undefined) {
        tx.delete(orderIdempotencyKeys).where(lt(orderIdempotencyKeys.createdAt, forgetBefore)).run()
        const taken = tx
          .select({ key: orderIdempotencyKeys.key })
          .from(orderIdempotencyKeys)
          .where(and(eq(orderIdempotencyKeys.venueId, intent.venueId), eq(orderIdempotencyKeys.key, idem.key)))
          .get()
        if (taken !== undefined) return 'key-used'
      }
      const result = tx
        .insert(orders)
        .values({
          clientOrderId,
          venueId: intent.venueId,
          venueOrderId: null,
          symbol: intent.symbol,
          side: intent.side,
          type: intent.type,
          timeInForce: intent.timeInForce,
          postOnly: intent.postOnly,
          amount: intent.amount,
          price: intent.price ?? null,
          filled: '0',
          cost: '0',
          status: 'pending',
          originKind: intent.origin.kind,
          originRef: intent.origin.ref,
          error: null,
          attempts: 0,
          triggerKind: intent.trigger?.kind ?? null,
          triggerPrice: intent.trigger?.price ?? null,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .run()
      if (result.changes !== 1) return 'id-exists'
      if (intent.replaces !== undefined) tx.update(orders).set({ replacedBy: clientOrderId }).where(eq(orders.clientOrderId, intent.replaces)).run()
      if (idem !== undefined) {
        tx.insert(orderIdempotencyKeys).values({ venueId: intent.venueId, key: idem.key, fingerprint: idem.fingerprint, clientOrderId, createdAt: at }).run()
      }
      return 'inserted'
    })
  }

  /** The order recorded under this account's idempotency key, if the key was used at or after `since`. */
  byIdempotencyKey(venueId: string, key: string, since: number): KeyedOrder | undefined {
    return this.db
      .select({ fingerprint: orderIdempotencyKeys.fingerprint, clientOrderId: orderIdempotencyKeys.clientOrderId })
      .from(orderIdempotencyKeys)
      .where(and(eq(orderIdempotencyKeys.venueId, venueId), eq(orderIdempotencyKeys.key, key), gte(orderIdempotencyKeys.createdAt, since)))
      .get()
  }

  /** The order an amend placed in this one's stead, or null. */
  replacedBy(clientOrderId: string): string | null {
    return this.db.select({ by: orders.replacedBy }).from(orders).where(eq(orders.clientOrderId, clientOrderId)).get()?.by ?? null
  }

  update(clientOrderId: string, patch: OrderPatch, at: number): OrderRecord {
    const row = this.db
      .update(orders)
      .set({ ...patch, updatedAt: at })
      .where(eq(orders.clientOrderId, clientOrderId))
      .returning()
      .get()
    if (!row) throw new Error(`no order ${clientOrderId}`)
    return toRecord(row)
  }

  /** Non-terminal orders, oldest first. */
  active(filter: { venueId?: string; symbol?: string } = {}): OrderRecord[] {
    return this.db
      .select()
      .from(orders)
      .where(and(inArray(orders.status, [...activeOrderStatuses]), ...scopeOf(filter)))
      .orderBy(orders.createdAt, insertionOrder)
      .all()
      .map(toRecord)
  }

  /**
   * The non-terminal ones ('open', newest placed first) or the finished ones ('history', the most recently
   * finished first: an order placed long ago that fills now belongs at the top, not beyond the limit).
   * History is ordered by client id within a millisecond, so `before` (an order's updatedAt and client id,
   * as the screen holds them) pages back without skipping or repeating orders that finished together.
   */
  list(query: OrderQuery): OrderRecord[] {
    if (query.scope === 'open') {
      return this.db
        .select()
        .from(orders)
        .where(and(inArray(orders.status, [...activeOrderStatuses]), ...scopeOf(query)))
        .orderBy(desc(orders.createdAt), desc(insertionOrder))
        .limit(query.limit)
        .all()
        .map(toRecord)
    }
    const before = query.before
    const after =
      before === undefined
        ? []
        : [or(lt(orders.updatedAt, before.updatedAt), and(eq(orders.updatedAt, before.updatedAt), lt(orders.clientOrderId, before.clientOrderId)))!]
    return this.db
      .select()
      .from(orders)
      .where(and(inArray(orders.status, [...terminalOrderStatuses]), ...scopeOf(query), ...after))
      .orderBy(desc(orders.updatedAt), desc(orders.clientOrderId))
      .limit(query.limit)
      .all()
      .map(toRecord)
  }

  /** Venues with at least one non-terminal order. */
  venuesWithActiveOrders(): string[] {
    return this.db
      .selectDistinct({ venueId: orders.venueId })
      .from(orders)
      .where(inArray(orders.status, [...activeOrderStatuses]))
      .all()
      .map((r) => r.venueId)
  }

  /** Orders of the venue touched since `since` that have filled something (to check their fills are all in). */
  filledSince(venueId: string, since: number): OrderRecord[] {
    return this.db
      .select()
      .from(orders)
      .where(and(eq(orders.venueId, venueId), gte(orders.updatedAt, since)))
      .all()
      .map(toRecord)
      .filter((o) => !new Decimal(o.filled).isZero())
  }

  // ---- fills ----------------------------------------------------------------------------------------

  /** Stores the fill unless the venue's trade id is known already; returns the record when it is new. */
  insertFill(venueId: string, fill: Fill, clientOrderId: string | null, at: number): FillRecord | undefined {
    const result = this.db
      .insert(fills)
      .values({
        venueId,
        tradeId: fill.tradeId,
        clientOrderId,
        venueOrderId: fill.venueOrderId,
        symbol: fill.symbol,
        side: fill.side,
        price: fill.price,
        amount: fill.amount,
        cost: new Decimal(fill.price).times(fill.amount).toFixed(),
        feeAsset: fill.fee.asset,
        feeAmount: fill.fee.amount,
        liquidity: fill.liquidity,
        timestamp: fill.timestamp,
        recordedAt: at,
      })
      .onConflictDoNothing()
      .run()
    if (result.changes !== 1) return undefined
    return { ...fill, clientOrderId, venueId }
  }

  /** Fills recorded before the order's venue id was known get its client id now; returns them as they are now. */
  attachFills(venueId: string, venueOrderId: string, clientOrderId: string): FillRecord[] {
    return this.db
      .update(fills)
      .set({ clientOrderId })
      .where(and(eq(fills.venueId, venueId), eq(fills.venueOrderId, venueOrderId), isNull(fills.clientOrderId)))
      .returning()
      .all()
      .map(toFill)
  }

  /** Sum of the order's recorded fills (by our id, or the venue's id for fills not matched yet). */
  fillTotals(order: OrderRecord): { amount: Decimal; cost: Decimal; count: number } {
    const ours = eq(fills.clientOrderId, order.clientOrderId)
    const rows = this.db
      .select({ amount: fills.amount, price: fills.price })
      .from(fills)
      .where(
        order.venueOrderId === null
          ? ours
          : or(ours, and(eq(fills.venueId, order.venueId), eq(fills.venueOrderId, order.venueOrderId))),
      )
      .all()
    let amount = new Decimal(0)
    let cost = new Decimal(0)
    for (const r of rows) {
      amount = amount.plus(r.amount)
      cost = cost.plus(new Decimal(r.price).times(r.amount))
    }
    return { amount, cost, count: rows.length }
  }

  /** Fees the order's recorded fills paid in the market's base asset (same fills as fillTotals). */
  baseFees(order: OrderRecord): Decimal {
    return this.feesIn(order, order.symbol.split('/')[0] ?? order.symbol)
  }

  /** Fees the order's recorded fills paid in the market's quote asset (USDT of BTC/USDT, of BTC/USDT:USDT). */
  quoteFees(order: OrderRecord): Decimal {
    return this.feesIn(order, order.symbol.split('/')[1]?.split(':')[0] ?? '')
  }

  private feesIn(order: OrderRecord, asset: string): Decimal {
    const ours = eq(fills.clientOrderId, order.clientOrderId)
    const rows = this.db
      .select({ amount: fills.feeAmount })
      .from(fills)
      .where(
        and(
          eq(fills.feeAsset, asset),
          order.venueOrderId === null ? ours : or(ours, and(eq(fills.venueId, order.venueId), eq(fills.venueOrderId, order.venueOrderId))),
        ),
      )
      .all()
    return rows.reduce((sum, r) => sum.plus(r.amount), new Decimal(0))
  }

  /**
   * Newest first; fills of one millisecond by account, market, then trade id (descending), so `before` (a
   * fill's timestamp, account, market and trade id, as the screen holds them) pages back without skipping
   * or repeating fills however many share the page's last millisecond (trade ids repeat across markets).
   */
  fills(query: FillQuery): FillRecord[] {
    const where: SQL[] = []
    if (query.venueId !== undefined) where.push(eq(fills.venueId, query.venueId))
    if (query.symbol !== undefined) where.push(eq(fills.symbol, query.symbol))
    const b = query.before
    if (b !== undefined) where.push(sql`(${fills.timestamp}, ${fills.venueId}, ${fills.symbol}, ${fills.tradeId}) < (${b.timestamp}, ${b.venueId}, ${b.symbol}, ${b.tradeId})`)
    return this.db
      .select()
      .from(fills)
      .where(and(...where))
      .orderBy(desc(fills.timestamp), desc(fills.venueId), desc(fills.symbol), desc(fills.tradeId))
      .limit(query.limit)
      .all()
      .map(toFill)
  }
}

function scopeOf(filter: { venueId?: string; symbol?: string }): SQL[] {
  const where: SQL[] = []
  if (filter.venueId !== undefined) where.push(eq(orders.venueId, filter.venueId))
  if (filter.symbol !== undefined) where.push(eq(orders.symbol, filter.symbol))
  return where
}

function toRecord(row: OrderRow): OrderRecord {
  return {
    clientOrderId: row.clientOrderId,
    venueOrderId: row.venueOrderId,
    venueId: row.venueId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: row.timeInForce,
    postOnly: row.postOnly,
    amount: row.amount,
    price: row.price,
    filled: row.filled,
    cost: row.cost,
    status: row.status as OrderStatus,
    origin: { kind: row.originKind, ref: row.originRef },
    error: row.error,
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.triggerKind !== null && row.triggerPrice !== null ? { trigger: { kind: row.triggerKind, price: row.triggerPrice } } : {}),
    ...(row.retryAfterMs !== null ? { retryAfterMs: row.retryAfterMs } : {}),
  }
}

function toFill(row: FillRow): FillRecord {
  return {
    venueId: row.venueId,
    tradeId: row.tradeId,
    venueOrderId: row.venueOrderId,
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    price: row.price,
    amount: row.amount,
    fee: { asset: row.feeAsset, amount: row.feeAmount },
    liquidity: row.liquidity,
    timestamp: row.timestamp,
  }
}

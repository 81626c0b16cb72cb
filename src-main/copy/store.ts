import Decimal from 'decimal.js'
import { z } from 'zod'
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import type { Db } from '../store/open'
import { followSettingsSchema, type CopyRecordView, type FollowSettings, type FollowStatus, type LeaderFill, type SkipRule } from '../api/schemas/copy'
import { formatIssues } from '../api/format-issues'
import { copyFollows, copyLeaderCursors, copyLeaderFills, copyLeaderPositions, copyRecords } from './tables'
import { CATCH_UP_PREFIX } from './catch-up'

// The copier's tables as records. Reads and writes are synchronous (better-sqlite3): one call is atomic with
// respect to the rest of the engine; `transaction` groups several.

export type Via = CopyRecordView['via']

export interface FollowRow {
  id: string
  leaderId: string
  followerVenueId: string
  settings: FollowSettings
  /** Set when the stored settings no longer validate (the relationship is kept stopped and says why). */
  settingsError: string | null
  status: FollowStatus
  statusReason: string | null
  leaderStartAt: number
  endedAt: number | null
  dayKey: string | null
  dayStartPnl: string | null
  createdAt: number
  updatedAt: number
}

export interface CopyRecord extends CopyRecordView {
  intendedAmount: string | null
  orderType: 'market' | 'limit' | null
  orderPrice: string | null
  followerCost: string
  /** A buy's fee taken in the coin bought; null: none (the copies' book holds what arrived). */
  followerBaseFee: string | null
  /** Fees paid in the quote asset; null: none (the copies' P&L counts them). */
  followerQuoteFee: string | null
  /** A sale's: coins the copies held that were not in the account, taken off the copies' book at cost; null: none. */
  followerRemoved: string | null
  /** One unit of the quote in USDT when the fill was booked (non-par quotes); null: not kept (today's rate). */
  followerQuoteRate: string | null
  /** The price the decision valued a copy at (follower market, its quote); null: not a copy, or not kept. */
  referencePrice: string | null
  updatedAt: number
}

export interface StoredLeaderFill extends LeaderFill {
  /** What the leader held in the market before the fill; null: not known (its balance could not be read then). */
  positionBefore: string | null
  /** The leader's order the fill belongs to; null when the source did not say. */
  orderId: string | null
  via: Via
  seenAt: number
}

export type RecordPatch = Partial<
  Pick<CopyRecord, 'status' | 'rule' | 'reason' | 'error' | 'followerFilled' | 'followerCost' | 'followerBaseFee' | 'followerQuoteFee' | 'followerQuoteRate' | 'submittedMs' | 'followerAmount'>
>

type FollowDbRow = typeof copyFollows.$inferSelect
type RecordDbRow = typeof copyRecords.$inferSelect

export class CopyStore {
  constructor(readonly db: Db) {}

  transaction<T>(body: () => T): T {
    return this.db.transaction(() => body())
  }

  // ---- follows ----------------------------------------------------------------------------------------

  insertFollow(row: Omit<FollowRow, 'settingsError'>): void {
    this.db
      .insert(copyFollows)
      .values({ ...row, settings: JSON.stringify(row.settings) })
      .run()
  }

  follow(id: string): FollowRow | undefined {
    const row = this.db.select().from(copyFollows).where(eq(copyFollows.id, id)).get()
    return row ? toFollow(row) : undefined
  }

  follows(): FollowRow[] {
    return this.db.select().from(copyFollows).orderBy(asc(copyFollows.createdAt)).all().map(toFollow)
  }

  /** Relationships not ended, for one leader. */
  liveFollowsOf(leaderId: string): FollowRow[] {
    return this.db
      .select()
      .from(copyFollows)
      .where(and(eq(copyFollows.leaderId, leaderId), isNull(copyFollows.endedAt)))
      .orderBy(asc(copyFollows.createdAt))
      .all()
      .map(toFollow)
  }

  patchFollow(id: string, patch: Partial<Pick<FollowRow, 'settings' | 'status' | 'statusReason' | 'endedAt' | 'dayKey' | 'dayStartPnl' | 'leaderId' | 'followerVenueId'>>, at: number): void {
    const { settings, ...rest } = patch
    this.db
      .update(copyFollows)
      .set({ ...rest, ...(settings === undefined ? {} : { settings: JSON.stringify(settings) }), updatedAt: at })
      .where(eq(copyFollows.id, id))
      .run()
  }

  counters(followId: string): { copied: number; skipped: number; failed: number } {
    const rows = this.db
      .select({ status: copyRecords.status, n: count() })
      .from(copyRecords)
      .where(eq(copyRecords.followId, followId))
      .groupBy(copyRecords.status)
      .all()
    const out = { copied: 0, skipped: 0, failed: 0 }
    for (const r of rows) {
      if (r.status === 'copied' || r.status === 'partial') out.copied += r.n
      else if (r.status === 'skipped') out.skipped += r.n
      else if (r.status === 'failed') out.failed += r.n
    }
    return out
  }

  // ---- records ----------------------------------------------------------------------------------------

  /** Inserts the record; false when the relationship already has one for this leader fill. */
  insertRecord(record: CopyRecord): boolean {
    const result = this.db
      .insert(copyRecords)
      .values(recordRow(record))
      .onConflictDoNothing()
      .run()
    return result.changes > 0
  }

  record(id: string): CopyRecord | undefined {
    const row = this.db.select().from(copyRecords).where(eq(copyRecords.id, id)).get()
    return row ? toRecord(row) : undefined
  }

  recordByClientOrderId(clientOrderId: string): CopyRecord | undefined {
    const row = this.db.select().from(copyRecords).where(eq(copyRecords.clientOrderId, clientOrderId)).get()
    return row ? toRecord(row) : undefined
  }

  patchRecord(id: string, patch: RecordPatch, at: number): CopyRecord | undefined {
    this.db
      .update(copyRecords)
      .set({ ...patch, updatedAt: at })
      .where(eq(copyRecords.id, id))
      .run()
    return this.record(id)
  }

  /** Newest first. */
  records(query: { followId?: string; limit: number; before?: number }): CopyRecord[] {
    const where = and(
      query.followId === undefined ? undefined : eq(copyRecords.followId, query.followId),
      query.before === undefined ? undefined : lt(copyRecords.createdAt, query.before),
    )
    return this.db
      .select()
      .from(copyRecords)
      .where(where)
      .orderBy(desc(copyRecords.createdAt), desc(sql`rowid`))
      .limit(query.limit)
      .all()
      .map(toRecord)
  }

  /** A relationship's records, oldest first (its book is built from them). */
  recordsOf(followId: string): CopyRecord[] {
    return this.db.select().from(copyRecords).where(eq(copyRecords.followId, followId)).orderBy(asc(copyRecords.createdAt), asc(sql`rowid`)).all().map(toRecord)
  }

  /** A relationship's records in one follower market, oldest first (what its catch-up sale is sized from). */
  recordsIn(followId: string, followerSymbol: string): CopyRecord[] {
    return this.db
      .select()
      .from(copyRecords)
      .where(and(eq(copyRecords.followId, followId), eq(copyRecords.followerSymbol, followerSymbol)))
      .orderBy(asc(copyRecords.createdAt), asc(sql`rowid`))
      .all()
      .map(toRecord)
  }

  /**
   * Whether the relationship has a sale of the leader's in `leaderSymbol` skipped "leader-position" after its
   * last catch-up sent there (pending or copied: it settled those before it; or not placed as less than one step,
   * or cut to nothing by the copies' share of the leader's position now: catch-up.ts settledUnplaced) — the
   * copier's cheap check, at
   * every leader fill, before it walks the market's records (indexed by follow and market).
   */
  skippedSinceCatchUp(followId: string, leaderSymbol: string): boolean {
    const settled = sql`coalesce((select max(c.rowid) from ${copyRecords} c where c.follow_id = ${followId} and c.leader_symbol = ${leaderSymbol} and c.leader_trade_id like ${`${CATCH_UP_PREFIX}%`} and (c.status in ('pending', 'copied') or (c.status = 'skipped' and c.rule in ('market-rules', 'no-position') and c.follower_amount = '0'))), 0)`
    return (
      this.db
        .select({ one: sql<number>`1` })
        .from(copyRecords)
        .where(
          and(
            eq(copyRecords.followId, followId),
            eq(copyRecords.leaderSymbol, leaderSymbol),
            eq(copyRecords.side, 'sell'),
            eq(copyRecords.status, 'skipped'),
            eq(copyRecords.rule, 'leader-position'),
            sql`${copyRecords}.rowid > ${settled}`,
          ),
        )
        .get() !== undefined
    )
  }

  pendingRecords(): CopyRecord[] {
    return this.db.select().from(copyRecords).where(eq(copyRecords.status, 'pending')).orderBy(asc(copyRecords.createdAt)).all().map(toRecord)
  }

  copiedTotal(): number {
    return this.db.select({ n: count() }).from(copyRecords).where(inArray(copyRecords.status, ['copied', 'partial'])).get()?.n ?? 0
  }

  // ---- leader fills, cursors, positions ---------------------------------------------------------------

  /** Whether the leader's fill `tradeId` in `symbol` is stored (trade ids are numbered per market). */
  hasLeaderFill(leaderId: string, symbol: string, tradeId: string): boolean {
    return (
      this.db
        .select({ one: sql<number>`1` })
        .from(copyLeaderFills)
        .where(and(eq(copyLeaderFills.leaderId, leaderId), eq(copyLeaderFills.symbol, symbol), eq(copyLeaderFills.tradeId, tradeId)))
        .get() !== undefined
    )
  }

  /** False when it was stored already. */
  insertLeaderFill(fill: StoredLeaderFill): boolean {
    return this.db.insert(copyLeaderFills).values(fill).onConflictDoNothing().run().changes > 0
  }

  /**
   * Whether the relationship has a copy sent (pending, copied or partial) for a fill of the leader's order
   * `orderId` in `symbol`: a fixed amount per leader order is spent once, across restarts.
   */
  copiedLeaderOrder(followId: string, leaderId: string, symbol: string, orderId: string): boolean {
    return (
      this.db
        .select({ one: sql<number>`1` })
        .from(copyLeaderFills)
        .innerJoin(
          copyRecords,
          and(eq(copyRecords.followId, followId), eq(copyRecords.leaderSymbol, copyLeaderFills.symbol), eq(copyRecords.leaderTradeId, copyLeaderFills.tradeId)),
        )
        .where(
          and(
            eq(copyLeaderFills.leaderId, leaderId),
            eq(copyLeaderFills.orderId, orderId),
            eq(copyLeaderFills.symbol, symbol),
            inArray(copyRecords.status, ['pending', 'copied', 'partial']),
          ),
        )
        .get() !== undefined
    )
  }

  /** The leader's stored fills from `since` on with no order id (written before migration 0038): trade id and market. */
  leaderFillsWithoutOrder(leaderId: string, since: number): { tradeId: string; symbol: string }[] {
    return this.db
      .select({ tradeId: copyLeaderFills.tradeId, symbol: copyLeaderFills.symbol })
      .from(copyLeaderFills)
      .where(and(eq(copyLeaderFills.leaderId, leaderId), isNull(copyLeaderFills.orderId), gte(copyLeaderFills.timestamp, since)))
      .all()
  }

  /** Fills in the order ids of stored leader fills that have none, by market and trade id (all or nothing). Returns how many. */
  setLeaderOrderIds(leaderId: string, ids: { symbol: string; tradeId: string; orderId: string }[]): number {
    return this.transaction(() => {
      let n = 0
      for (const { symbol, tradeId, orderId } of ids) {
        n += this.db
          .update(copyLeaderFills)
          .set({ orderId })
          .where(and(eq(copyLeaderFills.leaderId, leaderId), eq(copyLeaderFills.symbol, symbol), eq(copyLeaderFills.tradeId, tradeId), isNull(copyLeaderFills.orderId)))
          .run().changes
      }
      return n
    })
  }

  /** Sets what the leader held in `symbol` before each of its stored fills named (by trade id). */
  setLeaderFillPositions(leaderId: string, symbol: string, positions: { tradeId: string; positionBefore: string }[]): void {
    for (const { tradeId, positionBefore } of positions) {
      this.db
        .update(copyLeaderFills)
        .set({ positionBefore })
        .where(and(eq(copyLeaderFills.leaderId, leaderId), eq(copyLeaderFills.symbol, symbol), eq(copyLeaderFills.tradeId, tradeId)))
        .run()
    }
  }

  /** What the leader held in `symbol` before its stored fill `tradeId`; null: not known; undefined: no such fill. */
  leaderFillPosition(leaderId: string, symbol: string, tradeId: string): string | null | undefined {
    return this.db
      .select({ positionBefore: copyLeaderFills.positionBefore })
      .from(copyLeaderFills)
      .where(and(eq(copyLeaderFills.leaderId, leaderId), eq(copyLeaderFills.symbol, symbol), eq(copyLeaderFills.tradeId, tradeId)))
      .get()?.positionBefore
  }

  /** Newest first. */
  leaderFills(leaderId: string, limit: number): StoredLeaderFill[] {
    return this.db
      .select()
      .from(copyLeaderFills)
      .where(eq(copyLeaderFills.leaderId, leaderId))
      .orderBy(desc(copyLeaderFills.timestamp), desc(sql`rowid`))
      .limit(limit)
      .all()
  }

  /** Oldest first, from `since`. */
  leaderFillsSince(leaderId: string, since: number, symbol?: string): StoredLeaderFill[] {
    return this.db
      .select()
      .from(copyLeaderFills)
      .where(and(eq(copyLeaderFills.leaderId, leaderId), gte(copyLeaderFills.timestamp, since), symbol === undefined ? undefined : eq(copyLeaderFills.symbol, symbol)))
      .orderBy(asc(copyLeaderFills.timestamp), asc(sql`rowid`))
      .all()
  }

  /** The price of the leader's latest stored fill in `symbol` (its own venue's market); undefined: none. */
  leaderLastPrice(leaderId: string, symbol: string): string | undefined {
    return this.db
      .select({ price: copyLeaderFills.price })
      .from(copyLeaderFills)
      .where(and(eq(copyLeaderFills.leaderId, leaderId), eq(copyLeaderFills.symbol, symbol)))
      .orderBy(desc(copyLeaderFills.timestamp), desc(sql`rowid`))
      .limit(1)
      .get()?.price
  }

  leaderSymbols(leaderId: string): string[] {
    return this.db
      .selectDistinct({ symbol: copyLeaderFills.symbol })
      .from(copyLeaderFills)
      .where(eq(copyLeaderFills.leaderId, leaderId))
      .all()
      .map((r) => r.symbol)
  }

  leaderFillCount(leaderId: string): number {
    return this.db.select({ n: count() }).from(copyLeaderFills).where(eq(copyLeaderFills.leaderId, leaderId)).get()?.n ?? 0
  }

  cursor(leaderId: string): number | undefined {
    return this.db.select().from(copyLeaderCursors).where(eq(copyLeaderCursors.leaderId, leaderId)).get()?.lastFillAt
  }

  /** Moves the cursor forward only. */
  advanceCursor(leaderId: string, at: number, now: number): void {
    this.db
      .insert(copyLeaderCursors)
      .values({ leaderId, lastFillAt: at, updatedAt: now })
      .onConflictDoUpdate({
        target: copyLeaderCursors.leaderId,
        set: { lastFillAt: sql`max(${copyLeaderCursors.lastFillAt}, ${at})`, updatedAt: now },
      })
      .run()
  }

  leaderPosition(leaderId: string, symbol: string): string | undefined {
    return this.db
      .select()
      .from(copyLeaderPositions)
      .where(and(eq(copyLeaderPositions.leaderId, leaderId), eq(copyLeaderPositions.symbol, symbol)))
      .get()?.amount
  }

  setLeaderPosition(leaderId: string, symbol: string, amount: string, now: number): void {
    this.db
      .insert(copyLeaderPositions)
      .values({ leaderId, symbol, amount, updatedAt: now })
      .onConflictDoUpdate({ target: [copyLeaderPositions.leaderId, copyLeaderPositions.symbol], set: { amount, updatedAt: now } })
      .run()
  }
}

function recordRow(r: CopyRecord): typeof copyRecords.$inferInsert {
  const { followerAvgPrice: _avg, ...row } = r
  return row
}

function toFollow(row: FollowDbRow): FollowRow {
  let settings: FollowSettings
  let settingsError: string | null = null
  const parsed = (() => {
    try {
      return followSettingsSchema.safeParse(JSON.parse(row.settings))
    } catch (err) {
      return { success: false as const, error: err }
    }
  })()
  if (parsed.success) {
    settings = parsed.data
  } else {
    // Unreadable settings never copy anything: the relationship shows as stopped with the reason.
    settingsError = parsed.error instanceof z.ZodError ? formatIssues(parsed.error) : String(parsed.error)
    settings = followSettingsSchema.parse({
      leaderId: row.leaderId,
      followerVenueId: row.followerVenueId,
      sizing: { mode: 'multiplier', value: '1' },
      allocationPct: '1',
    })
  }
  return {
    id: row.id,
    leaderId: row.leaderId,
    followerVenueId: row.followerVenueId,
    settings,
    settingsError,
    status: settingsError !== null ? 'stopped' : (row.status as FollowStatus),
    statusReason: settingsError !== null ? `stored settings are invalid: ${settingsError}` : row.statusReason,
    leaderStartAt: row.leaderStartAt,
    endedAt: row.endedAt,
    dayKey: row.dayKey,
    dayStartPnl: row.dayStartPnl,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

function toRecord(row: RecordDbRow): CopyRecord {
  const filled = row.followerFilled
  return {
    id: row.id,
    followId: row.followId,
    leaderId: row.leaderId,
    leaderTradeId: row.leaderTradeId,
    leaderSymbol: row.leaderSymbol,
    side: row.side,
    leaderAmount: row.leaderAmount,
    leaderPrice: row.leaderPrice,
    leaderAt: row.leaderAt,
    followerVenueId: row.followerVenueId,
    followerSymbol: row.followerSymbol,
    intendedAmount: row.intendedAmount,
    followerAmount: row.followerAmount,
    orderType: row.orderType,
    orderPrice: row.orderPrice,
    followerFilled: filled,
    followerCost: row.followerCost,
    followerBaseFee: row.followerBaseFee,
    followerQuoteFee: row.followerQuoteFee,
    followerRemoved: row.followerRemoved,
    followerQuoteRate: row.followerQuoteRate,
    referencePrice: row.referencePrice,
    followerAvgPrice: avgOf(row.followerCost, filled),
    clientOrderId: row.clientOrderId,
    status: row.status,
    rule: (row.rule as SkipRule | null) ?? null,
    reason: row.reason,
    error: row.error,
    detectedMs: row.detectedMs,
    decidedMs: row.decidedMs,
    submittedMs: row.submittedMs,
    via: row.via,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

function avgOf(cost: string, filled: string): string | null {
  const f = Number(filled)
  if (!(f > 0)) return null
  // Exact, cut at 12 decimals (like the order views).
  return divide(cost, filled)
}

function divide(a: string, b: string): string {
  return new Decimal(a).div(b).toDecimalPlaces(12).toFixed()
}

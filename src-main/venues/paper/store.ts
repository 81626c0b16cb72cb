import { and, asc, eq, gte, isNotNull, isNull, max, or, sql } from 'drizzle-orm'
import type { Db } from '../../store/open'
import type { Fill, VenueOrder } from '../port'
import { D } from './decimal'
import { paperAccounts, paperBalances, paperFills, paperOrders } from './tables'

// The paper module's tables: accounts, balances, orders, fills. Every change an order makes (its row, its
// fills, the balances it moved) is written in one transaction.

export type PaperAccountRow = typeof paperAccounts.$inferSelect
export type PaperOrderRow = typeof paperOrders.$inferSelect

/** An order as the paper venue keeps it: the port's order plus what it still reserves. */
export interface StoredOrder extends VenueOrder {
  reserved: string
  reservedAsset: string
  /** The maker fee rate when placed, which its resting fills pay (null: placed by an earlier version). */
  makerFee: string | null
}

export interface PaperChange {
  orders: StoredOrder[]
  fills: Fill[]
  balances: { asset: string; free: string; used: string }[]
}

export interface NewPaperAccount {
  label: string
  sourceKind: 'venue' | 'exchange'
  sourceVenueId: string | null
  exchange: string
  apiBaseUrl: string | null
}

export class PaperStore {
  constructor(private readonly db: Db) {}

  /** Open (not closed) accounts, oldest first. */
  accounts(): PaperAccountRow[] {
    return this.db.select().from(paperAccounts).where(isNull(paperAccounts.closedAt)).orderBy(asc(paperAccounts.seq)).all()
  }

  /** Closed accounts, oldest first. */
  closedAccounts(): PaperAccountRow[] {
    return this.db.select().from(paperAccounts).where(isNotNull(paperAccounts.closedAt)).orderBy(asc(paperAccounts.seq)).all()
  }

  account(id: string): PaperAccountRow | undefined {
    return this.db.select().from(paperAccounts).where(eq(paperAccounts.id, id)).get()
  }

  /** A new account 'paper:<n>' (n never reused) with its starting balances. */
  createAccount(input: NewPaperAccount, balances: { asset: string; amount: string }[], at: number): PaperAccountRow {
    return this.db.transaction((tx) => {
      const top = tx.select({ n: max(paperAccounts.seq) }).from(paperAccounts).get()
      const seq = (top?.n ?? 0) + 1
      const row: PaperAccountRow = { id: `paper:${seq}`, seq, ...input, createdAt: at, closedAt: null }
      tx.insert(paperAccounts).values(row).run()
      for (const b of balances) tx.insert(paperBalances).values({ accountId: row.id, asset: b.asset, free: b.amount, used: '0' }).run()
      return row
    })
  }

  /** Cancels every open order of the account and returns what they reserved to free, in one transaction. */
  cancelOpenOrders(accountId: string, at: number): void {
    this.db.transaction((tx) => {
      const open = tx
        .select()
        .from(paperOrders)
        .where(and(eq(paperOrders.accountId, accountId), eq(paperOrders.status, 'open')))
        .all()
      for (const o of open) {
        const b = tx
          .select()
          .from(paperBalances)
          .where(and(eq(paperBalances.accountId, accountId), eq(paperBalances.asset, o.reservedAsset)))
          .get()
        if (b) {
          const used = new D(b.used).minus(o.reserved)
          const free = new D(b.free).plus(o.reserved)
          tx.update(paperBalances)
            .set({ free: free.toFixed(), used: used.toFixed() })
            .where(and(eq(paperBalances.accountId, accountId), eq(paperBalances.asset, o.reservedAsset)))
            .run()
        }
        tx.update(paperOrders)
          .set({ status: 'canceled', reserved: '0', updatedAt: at })
          .where(and(eq(paperOrders.accountId, accountId), eq(paperOrders.venueOrderId, o.venueOrderId)))
          .run()
      }
    })
  }

  closeAccount(id: string, at: number): void {
    this.db.update(paperAccounts).set({ closedAt: at }).where(eq(paperAccounts.id, id)).run()
  }

  balances(accountId: string): { asset: string; free: string; used: string }[] {
    return this.db
      .select({ asset: paperBalances.asset, free: paperBalances.free, used: paperBalances.used })
      .from(paperBalances)
      .where(eq(paperBalances.accountId, accountId))
      .all()
  }

  openOrders(accountId: string): StoredOrder[] {
    return this.db
      .select()
      .from(paperOrders)
      .where(and(eq(paperOrders.accountId, accountId), eq(paperOrders.status, 'open')))
      .orderBy(asc(paperOrders.createdAt))
      .all()
      .map(toStored)
  }

  /**
   * The highest order and fill ids the account has stored (0 when none): the next ids follow them. Not the
   * row counts: a row missing below the highest id would make the next id one that was handed out already.
   */
  lastIds(accountId: string): { orders: number; fills: number } {
    const orders = this.db
      .select({ n: sql<number | null>`max(cast(${paperOrders.venueOrderId} as integer))` })
      .from(paperOrders)
      .where(eq(paperOrders.accountId, accountId))
      .get()?.n
    const fills = this.db
      .select({ n: sql<number | null>`max(cast(${paperFills.tradeId} as integer))` })
      .from(paperFills)
      .where(eq(paperFills.accountId, accountId))
      .get()?.n
    return { orders: orders ?? 0, fills: fills ?? 0 }
  }

  findOrder(accountId: string, ref: { venueOrderId?: string; clientOrderId?: string }): StoredOrder | undefined {
    const by = []
    if (ref.venueOrderId !== undefined) by.push(eq(paperOrders.venueOrderId, ref.venueOrderId))
    if (ref.clientOrderId !== undefined) by.push(eq(paperOrders.clientOrderId, ref.clientOrderId))
    if (by.length === 0) return undefined
    const row = this.db
      .select()
      .from(paperOrders)
      .where(and(eq(paperOrders.accountId, accountId), or(...by)))
      .get()
    return row ? toStored(row) : undefined
  }

  fills(accountId: string, symbol: string, since?: number): Fill[] {
    return this.db
      .select()
      .from(paperFills)
      .where(and(eq(paperFills.accountId, accountId), eq(paperFills.symbol, symbol), gte(paperFills.timestamp, since ?? 0)))
      .orderBy(asc(paperFills.timestamp), asc(paperFills.tradeId))
      .all()
      .map((f) => ({
        tradeId: f.tradeId,
        venueOrderId: f.venueOrderId,
        clientOrderId: f.clientOrderId,
        symbol: f.symbol,
        side: f.side,
        price: f.price,
        amount: f.amount,
        fee: { asset: f.feeAsset, amount: f.fee },
        liquidity: f.liquidity,
        timestamp: f.timestamp,
      }))
  }

  /** Every fill of the account, oldest first (what moved its balances since it was opened). */
  allFills(accountId: string): { symbol: string; side: 'buy' | 'sell'; price: string; amount: string; fee: string; feeAsset: string }[] {
    return this.db
      .select({ symbol: paperFills.symbol, side: paperFills.side, price: paperFills.price, amount: paperFills.amount, fee: paperFills.fee, feeAsset: paperFills.feeAsset })
      .from(paperFills)
      .where(eq(paperFills.accountId, accountId))
      .orderBy(asc(paperFills.timestamp), asc(paperFills.tradeId))
      .all()
  }

  /** An order's rows, its new fills and the balances it moved, all or nothing. */
  commit(accountId: string, change: PaperChange): void {
    this.db.transaction((tx) => {
      for (const o of change.orders) {
        const row = toRow(accountId, o)
        tx.insert(paperOrders)
          .values(row)
          .onConflictDoUpdate({ target: [paperOrders.accountId, paperOrders.venueOrderId], set: row })
          .run()
      }
      for (const f of change.fills) {
        tx.insert(paperFills)
          .values({
            accountId,
            tradeId: f.tradeId,
            venueOrderId: f.venueOrderId,
            clientOrderId: f.clientOrderId ?? '',
            symbol: f.symbol,
            side: f.side,
            price: f.price,
            amount: f.amount,
            fee: f.fee.amount,
            feeAsset: f.fee.asset,
            liquidity: f.liquidity,
            timestamp: f.timestamp,
          })
          .run()
      }
      for (const b of change.balances) {
        tx.insert(paperBalances)
          .values({ accountId, ...b })
          .onConflictDoUpdate({ target: [paperBalances.accountId, paperBalances.asset], set: { free: b.free, used: b.used } })
          .run()
      }
    })
  }
}

function toStored(row: PaperOrderRow): StoredOrder {
  return {
    venueOrderId: row.venueOrderId,
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    price: row.price,
    amount: row.amount,
    filled: row.filled,
    cost: row.cost,
    status: row.status,
    timeInForce: row.timeInForce,
    postOnly: row.postOnly,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    reserved: row.reserved,
    reservedAsset: row.reservedAsset,
    makerFee: row.makerFee,
  }
}

function toRow(accountId: string, o: StoredOrder): PaperOrderRow {
  return {
    accountId,
    venueOrderId: o.venueOrderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    price: o.price,
    amount: o.amount,
    filled: o.filled,
    cost: o.cost,
    status: o.status,
    timeInForce: o.timeInForce,
    postOnly: o.postOnly,
    reserved: o.reserved,
    reservedAsset: o.reservedAsset,
    makerFee: o.makerFee,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  }
}

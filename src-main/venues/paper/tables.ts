import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core'

// venues/paper — paper accounts on real venues' live markets: the account, its balances, its orders and
// fills. Only the paper module writes them. Money is decimal strings; timestamps integer ms UTC.

/** One paper account ('paper:<n>'; ids are never reused: a closed account keeps its row, closed_at set). */
export const paperAccounts = sqliteTable('paper_accounts', {
  id: text('id').primaryKey(),
  /** The n of 'paper:<n>'. */
  seq: integer('seq').notNull().unique(),
  label: text('label').notNull(),
  /** 'venue': a venue already in the app (sourceVenueId); 'exchange': the exchange's public data only. */
  sourceKind: text('source_kind', { enum: ['venue', 'exchange'] }).notNull(),
  sourceVenueId: text('source_venue_id'),
  /** ccxt's exchange id ('binance', ...) or 'sim'. */
  exchange: text('exchange').notNull(),
  /** Another API origin for an 'exchange' source (a regional host, a local test server). */
  apiBaseUrl: text('api_base_url'),
  createdAt: integer('created_at').notNull(),
  closedAt: integer('closed_at'),
})

/** free + used = total; used is what open orders reserve. */
export const paperBalances = sqliteTable(
  'paper_balances',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => paperAccounts.id, { onDelete: 'cascade' }),
    asset: text('asset').notNull(),
    free: text('free').notNull(),
    used: text('used').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.asset] })],
)

export const paperOrders = sqliteTable(
  'paper_orders',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => paperAccounts.id, { onDelete: 'cascade' }),
    venueOrderId: text('venue_order_id').notNull(),
    clientOrderId: text('client_order_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    type: text('type', { enum: ['limit', 'market'] }).notNull(),
    price: text('price'),
    amount: text('amount').notNull(),
    filled: text('filled').notNull(),
    /** Quote value of the fills, fees excluded. */
    cost: text('cost').notNull(),
    status: text('status', { enum: ['open', 'closed', 'canceled', 'rejected', 'expired'] }).notNull(),
    timeInForce: text('time_in_force', { enum: ['GTC', 'IOC', 'FOK'] }).notNull(),
    postOnly: integer('post_only', { mode: 'boolean' }).notNull(),
    /** What the order still holds of the balance (quote for a buy, base for a sell); 0 once closed. */
    reserved: text('reserved').notNull(),
    reservedAsset: text('reserved_asset').notNull(),
    /** The venue's maker fee rate when the order was placed: its resting fills pay that (a buy reserved for it). Null from earlier versions. */
    makerFee: text('maker_fee'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.venueOrderId] }),
    uniqueIndex('paper_orders_client_idx').on(t.accountId, t.clientOrderId),
    index('paper_orders_status_idx').on(t.accountId, t.status),
  ],
)

export const paperFills = sqliteTable(
  'paper_fills',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => paperAccounts.id, { onDelete: 'cascade' }),
    tradeId: text('trade_id').notNull(),
    venueOrderId: text('venue_order_id').notNull(),
    clientOrderId: text('client_order_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    price: text('price').notNull(),
    amount: text('amount').notNull(),
    fee: text('fee').notNull(),
    feeAsset: text('fee_asset').notNull(),
    liquidity: text('liquidity', { enum: ['maker', 'taker'] }).notNull(),
    timestamp: integer('timestamp').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tradeId] }), index('paper_fills_symbol_idx').on(t.accountId, t.symbol, t.timestamp)],
)

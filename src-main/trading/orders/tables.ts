import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core'

// trading/orders — owned by the order manager; nobody else writes them. Money is decimal strings (TEXT),
// timestamps integer ms UTC.

/**
 * One row per order, written (status 'pending') BEFORE it is sent, so a crash can never lose or double it.
 * Status changes only through status-table.ts.
 */
export const orders = sqliteTable(
  'orders',
  {
    /** Ours: alphanumeric, at most 32 characters (OKX clOrdId), reused on every retry. */
    clientOrderId: text('client_order_id').primaryKey(),
    venueId: text('venue_id').notNull(),
    /** The venue's id, once it acknowledged the order (or reconciliation found it). */
    venueOrderId: text('venue_order_id'),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    type: text('type', { enum: ['limit', 'market'] }).notNull(),
    timeInForce: text('time_in_force', { enum: ['GTC', 'IOC', 'FOK'] }).notNull(),
    postOnly: integer('post_only', { mode: 'boolean' }).notNull(),
    amount: text('amount').notNull(),
    price: text('price'),
    /** Base amount filled so far. */
    filled: text('filled').notNull(),
    /** Quote value of the fills so far (average price = cost / filled). */
    cost: text('cost').notNull(),
    status: text('status').notNull(),
    originKind: text('origin_kind', { enum: ['manual', 'conditional', 'copy', 'flatten'] }).notNull(),
    originRef: text('origin_ref'),
    /** The last thing that went wrong, in the venue's words; null when nothing did. */
    error: text('error'),
    /**
     * Refused for the exchange's rate limit (a Retry-After longer than the retries): how long it asked to wait.
     * Certainly not placed; whoever must still get it out (a triggered stop) sends it again under a new client
     * id once the hold ends — read from here at start when the app ended before it took that new id.
     */
    retryAfterMs: integer('retry_after_ms'),
    /** Times it was sent (1 = sent once; a retry reuses the client id). */
    attempts: integer('attempts').notNull(),
    /** A native stop / take-profit held by the venue: which, and its trigger price (null for plain orders). */
    triggerKind: text('trigger_kind', { enum: ['stop-loss', 'take-profit'] }),
    triggerPrice: text('trigger_price'),
    /** The order an amend (cancel-replace) placed in its stead; set with the replacement's intent. */
    replacedBy: text('replaced_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('orders_venue_status_idx').on(t.venueId, t.status),
    index('orders_created_at_idx').on(t.createdAt),
    // Order history lists the most recently finished first, by client id within a millisecond, and pages
    // back from an order's (updatedAt, client id) (OrderStore.list): of every account, or of one.
    index('orders_history_idx').on(t.updatedAt, t.clientOrderId),
    index('orders_venue_history_idx').on(t.venueId, t.updatedAt, t.clientOrderId),
    index('orders_venue_order_idx').on(t.venueId, t.venueOrderId),
  ],
)

/**
 * Every fill of the account on a followed venue, once (venue + trade id is unique), with everything the
 * venue said about it: the seed of the portfolio ledger.
 */
export const fills = sqliteTable(
  'fills',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    venueId: text('venue_id').notNull(),
    tradeId: text('trade_id').notNull(),
    /** Ours when the fill belongs to an order we placed (null: placed elsewhere, or not matched yet). */
    clientOrderId: text('client_order_id'),
    venueOrderId: text('venue_order_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    price: text('price').notNull(),
    amount: text('amount').notNull(),
    /** Quote value, price × amount exactly. */
    cost: text('cost').notNull(),
    feeAsset: text('fee_asset').notNull(),
    feeAmount: text('fee_amount').notNull(),
    liquidity: text('liquidity', { enum: ['maker', 'taker'] }).notNull(),
    /** When the venue says it happened. */
    timestamp: integer('timestamp').notNull(),
    /** When this app first learned of it (live, or recovered by reconciliation). */
    recordedAt: integer('recorded_at').notNull(),
  },
  (t) => [
    // Binance and OKX number trades per market: a trade id names a trade within an account's market only.
    uniqueIndex('fills_venue_symbol_trade_idx').on(t.venueId, t.symbol, t.tradeId),
    index('fills_client_order_idx').on(t.clientOrderId),
    index('fills_venue_order_idx').on(t.venueId, t.venueOrderId),
    // Fills list newest first, by account, market, then trade id within a millisecond, and page back from a
    // fill's (timestamp, account, market, trade id) (OrderStore.fills): of every account, or of one.
    index('fills_paging_idx').on(t.timestamp, t.venueId, t.symbol, t.tradeId),
    index('fills_venue_paging_idx').on(t.venueId, t.timestamp, t.symbol, t.tradeId),
  ],
)

/**
 * The ticket's idempotency keys: the key a ticket sent with an order, per account, written in the same
 * transaction as the order's intent. A resend with the same key (its answer was lost) gets that order back
 * instead of placing another. Kept a day (ORDER_KEY_TTL_MS), then forgotten.
 */
export const orderIdempotencyKeys = sqliteTable(
  'order_idempotency_keys',
  {
    venueId: text('venue_id').notNull(),
    key: text('key').notNull(),
    /** The order as the ticket asked for it (canonical JSON): the same key with other parameters is refused. */
    fingerprint: text('fingerprint').notNull(),
    clientOrderId: text('client_order_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.key] }), index('order_idempotency_keys_created_at_idx').on(t.createdAt)],
)

/**
 * When an account's rate-limit hold ends (its exchange's Retry-After, longer than the retries): one row per
 * account and scope ('new-orders', or 'all' after a cancel's own 429). Read at start, so a restart inside the
 * window still waits (sending there again is what Binance escalates to a 418 IP ban). Ended rows are dropped.
 */
export const rateHolds = sqliteTable(
  'rate_holds',
  {
    venueId: text('venue_id').notNull(),
    scope: text('scope', { enum: ['new-orders', 'all'] }).notNull(),
    /** ms UTC */
    until: integer('until').notNull(),
    /**
     * How long the exchange asked to wait (ms): `until` is wall-clock time, so one read after the machine's
     * clock was set back is never waited for longer than this. Null on rows written before it was kept.
     */
    heldMs: integer('held_ms'),
    /**
     * How the wait was read when the exchange sent no Retry-After (Binance's reply: an IP ban's end, the
     * weight's window; venues/ccxt/binance-ban.ts), the words its messages say; null for a Retry-After.
     */
    said: text('said'),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.scope] })],
)

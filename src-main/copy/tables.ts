import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core'

// copy/ — owned by the copier; nobody else writes them. Money is decimal strings (TEXT), timestamps integer
// ms UTC. A relationship's positions and P&L are derived from its copy records (what each follower order
// filled), so there is no second copy of them to drift apart.

/** One leader → follower relationship. Settings are JSON, validated with followSettingsSchema on every read. */
export const copyFollows = sqliteTable(
  'copy_follows',
  {
    id: text('id').primaryKey(),
    leaderId: text('leader_id').notNull(),
    followerVenueId: text('follower_venue_id').notNull(),
    settings: text('settings').notNull(),
    /** active | paused | stopped-daily | stopped */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    /** On the leader's clock: fills from this time on are copied (older ones happened before the relationship). */
    leaderStartAt: integer('leader_start_at').notNull(),
    /** Set by unfollow: the relationship is over (its records stay); no new records. */
    endedAt: integer('ended_at'),
    /** UTC day (yyyy-mm-dd) of dayStartPnl, and the relationship's P&L when that day's first copy was decided. */
    dayKey: text('day_key'),
    dayStartPnl: text('day_start_pnl'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('copy_follows_leader_idx').on(t.leaderId)],
)

/** Every leader fill the copier saw, once (leader + market + trade id), with how it was seen. */
export const copyLeaderFills = sqliteTable(
  'copy_leader_fills',
  {
    leaderId: text('leader_id').notNull(),
    tradeId: text('trade_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    price: text('price').notNull(),
    amount: text('amount').notNull(),
    timestamp: integer('timestamp').notNull(),
    /** The leader's position in the market (base) just before this fill, as tracked here; null: not known (its balance could not be read), until a later read tells it. */
    positionBefore: text('position_before'),
    via: text('via', { enum: ['stream', 'poll', 'start', 'sim'] }).notNull(),
    seenAt: integer('seen_at').notNull(),
    /** The leader's order the fill belongs to (fixed-amount copies spend once per order); null: not told. */
    orderId: text('order_id'),
  },
  (t) => [
    // Binance and OKX number trades per market: a trade id names a fill within one of the leader's markets only.
    primaryKey({ columns: [t.leaderId, t.symbol, t.tradeId] }),
    index('copy_leader_fills_time_idx').on(t.leaderId, t.timestamp),
    index('copy_leader_fills_order_idx').on(t.leaderId, t.orderId),
  ],
)

/** Per leader: fills up to this time were handled (a restart asks the leader's venue for anything after). */
export const copyLeaderCursors = sqliteTable('copy_leader_cursors', {
  leaderId: text('leader_id').primaryKey(),
  lastFillAt: integer('last_fill_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** The leader's position per market as tracked from its fills (seeded from its balance when first seen). */
export const copyLeaderPositions = sqliteTable(
  'copy_leader_positions',
  {
    leaderId: text('leader_id').notNull(),
    symbol: text('symbol').notNull(),
    amount: text('amount').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.leaderId, t.symbol] })],
)

/** One per (relationship, leader fill): copied, partial, skipped (rule + reason) or failed (the venue's words). */
export const copyRecords = sqliteTable(
  'copy_records',
  {
    id: text('id').primaryKey(),
    followId: text('follow_id').notNull(),
    leaderId: text('leader_id').notNull(),
    leaderTradeId: text('leader_trade_id').notNull(),
    leaderSymbol: text('leader_symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    leaderAmount: text('leader_amount').notNull(),
    leaderPrice: text('leader_price').notNull(),
    leaderAt: integer('leader_at').notNull(),
    followerVenueId: text('follower_venue_id').notNull(),
    followerSymbol: text('follower_symbol'),
    /** What the sizing asked for before caps and rounding (drift's "expected"); null when skipped before sizing. */
    intendedAmount: text('intended_amount'),
    followerAmount: text('follower_amount'),
    /** The follower order as decided: market | limit (+ price), kept so a restart re-sends exactly it. */
    orderType: text('order_type', { enum: ['market', 'limit'] }),
    orderPrice: text('order_price'),
    followerFilled: text('follower_filled').notNull(),
    followerCost: text('follower_cost').notNull(),
    /** A buy's fee taken in the coin bought (what its fill did not put in the account); null: none. */
    followerBaseFee: text('follower_base_fee'),
    /** Fees the copy's fills paid in the market's quote asset (a sale got that much less); null: none. */
    followerQuoteFee: text('follower_quote_fee'),
    /** A sale's: coins the copies held that the account no longer had (sold by hand…), taken off the book at cost; null: none. */
    followerRemoved: text('follower_removed'),
    /**
     * One unit of the follower market's quote in USDT when the copy's fill was booked (BTC for ETH/BTC): its
     * realized P&L is counted at that rate, not today's. Null: par quote, not known then, or booked before
     * this was kept (counted at today's rate).
     */
    followerQuoteRate: text('follower_quote_rate'),
    /**
     * The price the decision valued the copy at, in the follower market's quote (its touch, or a guard's
     * limit): what a pending copy counts at against the allocation until it fills. Null: skipped, failed
     * before deciding, or stored before this was kept.
     */
    referencePrice: text('reference_price'),
    clientOrderId: text('client_order_id'),
    status: text('status', { enum: ['pending', 'copied', 'partial', 'skipped', 'failed'] }).notNull(),
    rule: text('rule'),
    reason: text('reason'),
    error: text('error'),
    /** Latency from the leader's fill, ms (fractions kept). */
    detectedMs: real('detected_ms'),
    decidedMs: real('decided_ms'),
    submittedMs: real('submitted_ms'),
    via: text('via', { enum: ['stream', 'poll', 'start', 'sim'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // One record per relationship and leader fill; a leader's trade id is unique within its market only.
    uniqueIndex('copy_records_follow_symbol_trade_idx').on(t.followId, t.leaderSymbol, t.leaderTradeId),
    index('copy_records_created_idx').on(t.createdAt),
    index('copy_records_status_idx').on(t.status),
    index('copy_records_client_order_idx').on(t.clientOrderId),
  ],
)

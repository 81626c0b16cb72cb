import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'

// trading/risk — the risk limits, the kill switch's halt, and each account's equity at the start of a UTC
// day (for the daily loss limit). Only the RiskService writes them. Money is decimal strings.

/** One row (id 1): the limits (null = no limit) and whether the kill switch halted trading. */
export const riskSettings = sqliteTable('risk_settings', {
  id: integer('id').primaryKey(),
  maxOrderNotional: text('max_order_notional'),
  maxPositionNotional: text('max_position_notional'),
  priceBandPct: text('price_band_pct'),
  dailyLossLimit: text('daily_loss_limit'),
  halted: integer('halted', { mode: 'boolean' }).notNull().default(false),
  haltedAt: integer('halted_at'),
  /** Grows by one with each save of the limits (not the halt): a save made from an older one is refused. */
  version: integer('version').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
})

/** An account's equity (in USDT) the first time it was checked on a UTC day ('2025-11-21'), and any breach. */
export const riskDayEquity = sqliteTable(
  'risk_day_equity',
  {
    venueId: text('venue_id').notNull(),
    day: text('day').notNull(),
    equity: text('equity').notNull(),
    takenAt: integer('taken_at').notNull(),
    /** When the loss first reached the limit that day: buys stay refused until the next UTC day. */
    breachedAt: integer('breached_at'),
    /**
     * The limit the loss reached then (USDT): a limit raised above it is checked anew, and a refusal names
     * this one. Null on rows breached before it was kept, until the next check or limit change fills in the
     * limit in force.
     */
    breachedLimit: text('breached_limit'),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.day] })],
)

/**
 * What a deposit or withdrawal was worth (in USDT) when the daily loss limit first saw it: money moved in
 * or out is not a gain or a loss, and it keeps the value it had then (a later price move is the trader's).
 * `key` is the transfer's id as its source names it ("withdrawal:<venue id>", a ledger entry's id).
 */
export const riskTransferValues = sqliteTable(
  'risk_transfer_values',
  {
    venueId: text('venue_id').notNull(),
    key: text('key').notNull(),
    asset: text('asset').notNull(),
    amount: text('amount').notNull(),
    value: text('value').notNull(),
    valuedAt: integer('valued_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.key] })],
)

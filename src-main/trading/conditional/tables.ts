import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'

// trading/conditional/ — conditional orders held by the engine, one row per leg (a single order is one
// leg; an OCO or a bracket two legs sharing group_id). Only the ConditionalEngine writes it. Every state
// change is written; a trailing stop's reference at most about once a second and when the engine stops,
// so a restart resumes the trail. Money as decimal strings; timestamps integer ms UTC.
export const conditionalOrders = sqliteTable(
  'conditional_orders',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id'),
    groupType: text('group_type', { enum: ['single', 'oco', 'bracket'] }).notNull(),
    venueId: text('venue_id').notNull(),
    symbol: text('symbol').notNull(),
    kind: text('kind', { enum: ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'] }).notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    /** Base amount armed (a bracket leg: what the entry filled, less what an exit already sold). */
    amount: text('amount').notNull(),
    triggerSource: text('trigger_source', { enum: ['last', 'bid', 'ask', 'mid'] }).notNull(),
    triggerPrice: text('trigger_price'),
    limitPrice: text('limit_price'),
    trailingUnit: text('trailing_unit', { enum: ['percent', 'price'] }),
    trailingValue: text('trailing_value'),
    activationPrice: text('activation_price'),
    trailingActivated: integer('trailing_activated', { mode: 'boolean' }).notNull().default(false),
    /** Best price since activation (highest for a sell trail, lowest for a buy trail). */
    trailingReference: text('trailing_reference'),
    status: text('status', { enum: ['armed', 'waiting', 'triggered', 'done', 'canceled', 'failed', 'left-on-exchange'] }).notNull(),
    reason: text('reason'),
    /** Why a leg was canceled: 'sibling' (its OCO partner triggered; it may re-arm), 'user', 'kill-switch', 'entry',
     *  'account-removed' (its venue's account was removed), 'paper-reset' (its paper account started over). */
    cancelCause: text('cancel_cause', { enum: ['sibling', 'user', 'kill-switch', 'entry', 'account-removed', 'paper-reset'] }),
    /** A triggered stop whose send a rate limit refused: when that hold ends and it is sent (ms UTC), else null.
     *  Read at start, so a restart during the hold still waits for it. */
    heldUntil: integer('held_until'),
    /** The order this leg submitted (written before it is sent). */
    clientOrderId: text('client_order_id'),
    /** What that order filled, once it ended. */
    filled: text('filled'),
    /** Bracket legs: the entry order's client id, and what it filled so far. */
    entryClientOrderId: text('entry_client_order_id'),
    entryFilled: text('entry_filled'),
    /** Bracket legs: the engine saw the entry order end and recorded all it filled (entry_filled is final), so
     *  start has nothing left to re-arm for it. */
    entryEnded: integer('entry_ended', { mode: 'boolean' }).notNull().default(false),
    placement: text('placement', { enum: ['app', 'exchange'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // No index on status or updated_at: a trigger changes both, and each index on them costs the tick →
  // order path ~5 µs per write; the queries that filter on them (start, history) are rare.
  // The partial index holds only brackets with an exit canceled by its partner whose entry has not been seen
  // ending (start: the entry may have filled more while the app was down): a handful, not every old bracket.
  (t) => [
    index('conditional_orders_market_idx').on(t.venueId, t.symbol),
    index('conditional_orders_group_idx').on(t.groupId),
    index('conditional_orders_unsettled_bracket_idx')
      .on(t.groupId)
      .where(sql`${t.groupType} = 'bracket' and ${t.status} = 'canceled' and ${t.cancelCause} = 'sibling' and ${t.entryEnded} = 0`),
  ],
)

/**
 * The ticket's idempotency keys for conditional orders: the key sent with a conditional.create, per account,
 * written in the same transaction as its legs. A resend with the same key (its answer was lost) gets those
 * legs back instead of arming them twice. Kept a day (IDEMPOTENCY_KEY_TTL_MS), then forgotten.
 */
export const conditionalIdempotencyKeys = sqliteTable(
  'conditional_idempotency_keys',
  {
    venueId: text('venue_id').notNull(),
    key: text('key').notNull(),
    /** The conditional order as the ticket asked for it (canonical JSON): the same key with other terms is refused. */
    fingerprint: text('fingerprint').notNull(),
    /** The legs it created, comma-separated, in the order create() returned them. */
    legIds: text('leg_ids').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.venueId, t.key] }), index('conditional_idempotency_keys_created_at_idx').on(t.createdAt)],
)

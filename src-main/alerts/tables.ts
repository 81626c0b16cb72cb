import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

// alerts/ — price alert rules and the notification centre's history. Only the AlertEngine writes them.
// Prices are decimal strings (exact, as the user typed them); timestamps integer ms UTC.

/** One price alert: fires when the market's source price reaches `price` from the side it was set on (once, or each time). */
export const alertRules = sqliteTable(
  'alert_rules',
  {
    id: text('id').primaryKey(),
    venueId: text('venue_id').notNull(),
    symbol: text('symbol').notNull(),
    /** 'above': fires when the price rises to `price` or higher; 'below': when it falls to it or lower. */
    condition: text('condition', { enum: ['above', 'below'] }).notNull(),
    price: text('price').notNull(),
    source: text('source', { enum: ['last', 'bid', 'ask', 'mid'] }).notNull(),
    note: text('note'),
    desktop: integer('desktop', { mode: 'boolean' }).notNull(),
    /** http(s) URL a JSON message is POSTed to when it fires; null for none. */
    webhookUrl: text('webhook_url'),
    status: text('status', { enum: ['active', 'fired', 'canceled'] }).notNull(),
    /** Fires each time the price comes back through the level (re-armed once it is back on the other side). */
    repeat: integer('repeat', { mode: 'boolean' }).notNull().default(false),
    /** A repeating alert that fired is disarmed until the price is back on the side it started from. */
    armed: integer('armed', { mode: 'boolean' }).notNull().default(true),
    fireCount: integer('fire_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('alert_rules_status_idx').on(t.status)],
)

/** The notification centre: each time an alert fired, with the price that fired it and its webhook's fate. */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: text('rule_id').notNull(),
    at: integer('at').notNull(),
    venueId: text('venue_id').notNull(),
    symbol: text('symbol').notNull(),
    /** The source price that reached the level. */
    price: text('price').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** null (no webhook), 'pending', 'delivered', 'failed'. */
    webhook: text('webhook', { enum: ['pending', 'delivered', 'failed'] }),
    webhookDetail: text('webhook_detail'),
  },
  (t) => [index('alert_events_at_idx').on(t.at)],
)

import { sqliteTable, text, integer, index, uniqueIndex, blob } from 'drizzle-orm/sqlite-core'

// alerts/ — price alert rules and the notification centre's history. Only the AlertEngine writes them.
// Prices are decimal strings (exact, as the user typed them); timestamps integer ms UTC.

/** The columns every alert rule has (price and risk): where it is said, and its state. Fresh builders per table. */
function ruleColumns() {
  return {
    note: text('note'),
    desktop: integer('desktop', { mode: 'boolean' }).notNull(),
    /**
     * The http(s) URL as rows from before webhook URLs were sealed hold it in plaintext; the engine's start
     * seals it into the columns below and empties this one (it is never written otherwise).
     */
    webhookUrl: text('webhook_url'),
    /** The URL a JSON message is POSTed to when it fires, AES-256-GCM sealed by the secrets module's master
     *  key (AAD 'alerts.webhook:<rule id>'), as exchange credentials are; null for none. Its path and query
     *  often hold the receiver's token. */
    webhookCiphertext: blob('webhook_ciphertext', { mode: 'buffer' }),
    webhookIv: blob('webhook_iv', { mode: 'buffer' }),
    webhookTag: blob('webhook_tag', { mode: 'buffer' }),
    webhookKeyMode: text('webhook_key_mode', { enum: ['keychain', 'passphrase'] }),
    /** What views show of it (scheme://host/…): shown without opening the box. */
    webhookMask: text('webhook_mask'),
    /** Also sent by email (to the address of the alerts' mail settings). */
    email: integer('email', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['active', 'fired', 'canceled'] }).notNull(),
    /** Fires each time its figure comes back through the level (re-armed once it is back on the other side). */
    repeat: integer('repeat', { mode: 'boolean' }).notNull().default(false),
    /** A repeating alert that fired is disarmed until its figure is back on the side it started from. */
    armed: integer('armed', { mode: 'boolean' }).notNull().default(true),
    fireCount: integer('fire_count').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  }
}

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
    ...ruleColumns(),
    /** Why it was canceled when not by you (its account was removed); null otherwise. */
    reason: text('reason'),
  },
  (t) => [index('alert_rules_status_idx').on(t.status)],
)

/** The notification centre: each time an alert fired, with the price that fired it and its webhook's fate. */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: text('rule_id').notNull(),
    /** 'price': a price alert (venue, symbol, the price that reached the level); 'risk': a risk alert (venue_id: the
     *  account or 'mine', symbol: the metric, price: the metric's value that reached the threshold). */
    kind: text('kind', { enum: ['price', 'risk'] }).notNull().default('price'),
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
    /** null (no email), 'pending', 'delivered', 'failed'. */
    email: text('email', { enum: ['pending', 'delivered', 'failed'] }),
    emailDetail: text('email_detail'),
    /**
     * A random UUID made when it fired: the webhook's Idempotency-Key and `eventId`. Not the row id, which
     * starts at 1 again on another install and goes back after a restore. (Rows older than this column got
     * 32 random hex digits.)
     */
    deliveryKey: text('delivery_key').notNull(),
  },
  (t) => [index('alert_events_at_idx').on(t.at), uniqueIndex('alert_events_delivery_key_idx').on(t.deliveryKey)],
)

/**
 * Where alert emails go (one row, id 1): the SMTP server, the sender and the recipient. The password is
 * AES-256-GCM sealed by the secrets module's master key (AAD 'alerts.email'); never stored in plaintext.
 */
export const alertEmail = sqliteTable('alert_email', {
  id: integer('id').primaryKey(),
  host: text('host').notNull(),
  port: integer('port').notNull(),
  /** 'tls': TLS from the start (465); 'starttls': upgrade required (587); 'none': plain (a local relay). */
  security: text('security', { enum: ['tls', 'starttls', 'none'] }).notNull(),
  username: text('username'),
  passwordCiphertext: blob('password_ciphertext', { mode: 'buffer' }),
  passwordIv: blob('password_iv', { mode: 'buffer' }),
  passwordTag: blob('password_tag', { mode: 'buffer' }),
  passwordKeyMode: text('password_key_mode', { enum: ['keychain', 'passphrase'] }),
  fromAddress: text('from_address').notNull(),
  toAddress: text('to_address').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/**
 * Risk alerts: a figure of the portfolio (its value, the P&L of the last 24 hours, or the drawdown from its
 * high since the alert was set) reaching a threshold, for the user's accounts or one account, in one
 * reporting currency. Fired entries go to the notification centre (alert_events, kind 'risk').
 */
export const riskAlertRules = sqliteTable(
  'risk_alert_rules',
  {
    id: text('id').primaryKey(),
    metric: text('metric', { enum: ['value', 'pnl24h', 'drawdown'] }).notNull(),
    /** One ledger account, or null for the user's own accounts together. */
    account: text('account'),
    currency: text('currency').notNull(),
    condition: text('condition', { enum: ['above', 'below'] }).notNull(),
    /** Exact decimal: an amount in the currency, or a percentage for the drawdown. */
    threshold: text('threshold').notNull(),
    /** The drawdown's high-water mark, as value less all-time net deposits (so a withdrawal is no drawdown); null for other metrics. */
    peak: text('peak'),
    ...ruleColumns(),
    /** Why it was canceled when not by you (the account it watches was removed); null otherwise. */
    reason: text('reason'),
  },
  (t) => [index('risk_alert_rules_status_idx').on(t.status)],
)

import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, blob, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core'

// accounts/ — exchange accounts and their sealed credentials. Only the AccountsService writes them.
// Timestamps are integer milliseconds, UTC.

/** One exchange account. Holds no secret: only a hint of the API key ("••••1234"). */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    exchange: text('exchange').notNull(),
    label: text('label').notNull(),
    sandbox: integer('sandbox', { mode: 'boolean' }).notNull().default(false),
    apiBaseUrl: text('api_base_url'),
    keyHint: text('key_hint').notNull(),
    /** What the exchange last said about trading with this key; null = unknown. */
    canTrade: integer('can_trade', { mode: 'boolean' }),
    lastTestOk: integer('last_test_ok', { mode: 'boolean' }),
    lastTestKind: text('last_test_kind'),
    lastTestMessage: text('last_test_message'),
    lastTestLatencyMs: integer('last_test_latency_ms'),
    lastTestBalances: integer('last_test_balances'),
    lastTestAt: integer('last_test_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('accounts_exchange_idx').on(t.exchange),
    // Names are unique whatever their case (the service says so first, in words; this is the backstop).
    uniqueIndex('accounts_label_unique_idx').on(sql`lower(trim(${t.label}))`),
  ],
)

/**
 * The exchange account (user id; a Coinbase key's portfolio) an account's history comes from in one environment,
 * learnt at its first good connection test there; a new key for that environment must belong to it. Another
 * environment (the test network, another base URL) is another exchange user, so each has its own; moving back
 * finds the one recorded there. No row: not known yet, or the exchange cannot tell (venues/ccxt/account-identity.ts).
 * An id the exchange shows its user, not a secret.
 */
export const accountExchangeAccounts = sqliteTable(
  'account_exchange_accounts',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    sandbox: integer('sandbox', { mode: 'boolean' }).notNull(),
    /** The account's API base URL in that environment; '' for the exchange's own (a key column cannot be null). */
    apiBaseUrl: text('api_base_url').notNull(),
    exchangeAccount: text('exchange_account').notNull(),
    learntAt: integer('learnt_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.sandbox, t.apiBaseUrl] })],
)

/** The account's credentials (JSON {apiKey, secret, password?}), AES-256-GCM sealed with the account id as AAD. */
export const accountSecrets = sqliteTable('account_secrets', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  iv: blob('iv', { mode: 'buffer' }).notNull(),
  authTag: blob('auth_tag', { mode: 'buffer' }).notNull(),
  /** Which master key sealed it: 'keychain' or 'passphrase'. */
  keyMode: text('key_mode', { enum: ['keychain', 'passphrase'] }).notNull(),
  sealedAt: integer('sealed_at').notNull(),
})

/**
 * What a removed account was called: the relationships, conditional orders and alerts it ended keep a name
 * in their history instead of a bare id. No credential and nothing to connect with is kept.
 */
export const removedAccounts = sqliteTable('removed_accounts', {
  id: text('id').primaryKey(),
  exchange: text('exchange').notNull(),
  label: text('label').notNull(),
  removedAt: integer('removed_at').notNull(),
})

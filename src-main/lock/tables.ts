import { sqliteTable, text, integer, blob } from 'drizzle-orm/sqlite-core'

// lock/ — the app lock's passphrase verifier and its wrong-attempt count. At most one row (id = 'app').
// No passphrase is stored: only scrypt's output for it, with the salt and parameters to recompute it.
export const appLock = sqliteTable('app_lock', {
  id: text('id').primaryKey(),
  verifier: blob('verifier', { mode: 'buffer' }).notNull(),
  salt: blob('salt', { mode: 'buffer' }).notNull(),
  kdfN: integer('kdf_n').notNull(),
  kdfR: integer('kdf_r').notNull(),
  kdfP: integer('kdf_p').notNull(),
  /** Wrong passphrases in a row (kept across restarts, so restarting does not reset the wait). */
  failures: integer('failures').notNull().default(0),
  /** No passphrase is checked before this time (ms UTC); null when there is no wait. */
  retryAt: integer('retry_at'),
  updatedAt: integer('updated_at').notNull(),
})

import { sqliteTable, text, integer, blob } from 'drizzle-orm/sqlite-core'

// secrets/ — how this database's credentials are sealed. At most one row (id = 'master'). It never holds
// a key: in keychain mode the key lives in the OS keychain; in passphrase mode it is derived from the
// passphrase with the stored salt and parameters. The verifier is a constant sealed with the key, so a
// different key (a wrong passphrase, a replaced keychain item) is recognised before anything is sealed.
export const secretsKeyring = sqliteTable('secrets_keyring', {
  id: text('id').primaryKey(),
  mode: text('mode', { enum: ['keychain', 'passphrase'] }).notNull(),
  kdf: text('kdf'),
  kdfSalt: blob('kdf_salt', { mode: 'buffer' }),
  kdfN: integer('kdf_n'),
  kdfR: integer('kdf_r'),
  kdfP: integer('kdf_p'),
  verifierCiphertext: blob('verifier_ciphertext', { mode: 'buffer' }).notNull(),
  verifierIv: blob('verifier_iv', { mode: 'buffer' }).notNull(),
  verifierTag: blob('verifier_tag', { mode: 'buffer' }).notNull(),
  /** Wrong passphrases to secrets.unlock in a row (kept across restarts, as the app lock's are: lock/attempts.ts). */
  failures: integer('failures').notNull().default(0),
  /** No passphrase is checked before this time (ms UTC); null when there is no wait. */
  retryAt: integer('retry_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

// audit/ — the audit log: every action taken on the engine through a door (and the lock's own events),
// append-only and hash-chained. Only the AuditLog writes it; nothing deletes from it.
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey(),
    at: integer('at').notNull(),
    /** Who asked: electron, headless, cli, test, or engine (the engine's own act: an idle lock). */
    door: text('door').notNull(),
    /** The command (orders.submit) or engine event (lock.idle). */
    action: text('action').notNull(),
    /** 'ok', or the refusal's error code (BAD_INPUT, LOCKED …). */
    outcome: text('outcome').notNull(),
    /** What was asked, from an allow-list of fields: never a credential, passphrase or file's text. */
    detail: text('detail').notNull(),
    /** The previous entry's hash (64 zeros for the first): deleting or editing an entry breaks the chain. */
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_idx').on(t.action)],
)

import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

// Tables are owned by one module each (named in the comment); only that module writes them.
// Timestamps are integer milliseconds, UTC.

/** settings/ — one row per user setting that differs from its default; value is JSON. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** activity/ — what the engine did, newest last; the seed of the audit log. */
export const activity = sqliteTable(
  'activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    data: text('data'),
  },
  (t) => [index('activity_at_idx').on(t.at)],
)

export * from '../accounts/tables'
export * from '../secrets/tables'
export * from '../venues/sim/tables'
export * from '../venues/paper/tables'
export * from '../workspace/tables'
export * from '../trading/orders/tables'
export * from '../trading/risk/tables'
export * from '../trading/conditional/tables'
export * from '../portfolio/tables'
export * from '../copy/tables'
export * from '../portfolio/sync/tables'
export * from '../alerts/tables'
export * from '../lock/tables'
export * from '../audit/tables'
export * from '../tax/tables'

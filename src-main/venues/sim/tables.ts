import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'

/** venues/sim — the simulated exchange's saved state (one JSON document per exchange instance). */
export const simState = sqliteTable('sim_state', {
  id: text('id').primaryKey(),
  state: text('state').notNull(),
  savedAt: integer('saved_at').notNull(),
})

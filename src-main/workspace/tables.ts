import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'

/** workspace/ — the Trade page's saved layouts, one row per name ('default' for now); layout is validated JSON. */
export const workspaceLayouts = sqliteTable('workspace_layouts', {
  name: text('name').primaryKey(),
  layout: text('layout').notNull(),
  savedAt: integer('saved_at').notNull(),
})

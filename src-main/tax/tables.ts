import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'

// tax/ — capital losses carried in from before the ledger, as the user's last tax return states them: at
// most one row per jurisdiction. Amounts are losses as positive money text ("5000.00"), to the cent.
export const taxCarryIn = sqliteTable('tax_carry_in', {
  jurisdiction: text('jurisdiction').primaryKey(),
  /** The first tax year the losses are carried into (UK: the year it starts in). */
  year: integer('year').notNull(),
  /** US: short-term carryover; UK: losses brought forward; DE: the Verlustvortrag the tax office recorded. */
  amount: text('amount').notNull(),
  /** US only: the long-term carryover (null elsewhere). */
  longTerm: text('long_term'),
  updatedAt: integer('updated_at').notNull(),
})

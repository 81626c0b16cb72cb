import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'

// portfolio/sync — where each account's history sync stands. Only the sync service writes these.

/**
 * How far the sync got, per account, phase and market (market '' for the histories read by time alone): the next run
 * starts here. `time` is the first millisecond not yet read (time-window paging), `fromId` the first trade
 * id not yet read (id paging). Written in the same transaction as the page it follows.
 */
export const portfolioSyncCursors = sqliteTable(
  'portfolio_sync_cursors',
  {
    account: text('account').notNull(),
    /** 'trades' | 'deposit' | 'withdrawal' | 'conversion' | 'dust' | 'purchase' | 'reward' */
    phase: text('phase').notNull(),
    market: text('market').notNull(),
    time: integer('time'),
    fromId: text('from_id'),
    /** Fills read in this market so far (all runs), and when the cursor last moved. */
    fetched: integer('fetched').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.account, t.phase, t.market] })],
)

/** The last run of each account: its state survives a restart (a run cut off by one is 'interrupted'). */
export const portfolioSyncRuns = sqliteTable('portfolio_sync_runs', {
  account: text('account').primaryKey(),
  state: text('state', { enum: ['idle', 'running', 'done', 'failed', 'interrupted'] }).notNull(),
  phase: text('phase'),
  done: integer('done').notNull(),
  total: integer('total').notNull(),
  fetched: integer('fetched').notNull(),
  inserted: integer('inserted').notNull(),
  startedAt: integer('started_at'),
  finishedAt: integer('finished_at'),
  lastSyncedAt: integer('last_synced_at'),
  error: text('error'),
  /** Where the account's history starts for this app (ms UTC; null: the exchange's history start). */
  historyFrom: integer('history_from'),
  /** What the run did not read, by reason, as JSON ({"token swap (reward record)": 2}). */
  skipped: text('skipped').notNull().default('{}'),
})

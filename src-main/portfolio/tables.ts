import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'

// portfolio/ — the ledger: every fill, deposit and withdrawal of every account, once. Only the portfolio
// module writes these (the ledger writer, ledger.ts). Money as canonical decimal strings (TEXT, no
// exponent, no trailing zeros); timestamps integer ms UTC.

/** One imported file or sync batch, for provenance ("where did this row come from"). */
export const ledgerImports = sqliteTable('ledger_imports', {
  // Ids are taken from ledger_import_ids (never reused); an import that added nothing is deleted again.
  id: integer('id').primaryKey(),
  account: text('account').notNull(),
  /** 'binance', 'coinbase', 'kraken', 'generic', 'ccxt', ... */
  format: text('format').notNull(),
  fileName: text('file_name'),
  /** Entries offered, and how many of them were new. */
  rows: integer('rows').notNull(),
  inserted: integer('inserted').notNull(),
  createdAt: integer('created_at').notNull(),
  /**
   * A large file is written in chunks (short transactions, so the running app can write between them) as
   * 'pending': every reader ignores a pending import's entries until the last transaction makes it
   * 'complete'. A pending import whose writer is gone (a crash) is deleted at the next start.
   */
  state: text('state', { enum: ['pending', 'complete'] }).notNull().default('complete'),
  /** The process writing a pending import (null once complete): a live one's import is not a leftover. */
  ownerPid: integer('owner_pid'),
  /**
   * A random token of the writing process (null once complete): a pid is reused by other processes, so a
   * writer is known by this, and by heartbeatAt — stamped with each chunk; one not stamped for long is a
   * leftover whatever process now has its pid.
   */
  ownerToken: text('owner_token'),
  heartbeatAt: integer('heartbeat_at'),
})

/**
 * The last import id handed out (one row, id 1). ledger_imports has no AUTOINCREMENT and SQLite would give
 * a removed newest import's id to the next file, so a repeated "remove import 1" could take out a different
 * file. Ids come from here instead and are never reused. (A table of its own: rebuilding ledger_imports with
 * AUTOINCREMENT would cascade to the ledger entries that reference it.)
 */
export const ledgerImportIds = sqliteTable('ledger_import_ids', {
  id: integer('id').primaryKey(),
  last: integer('last').notNull(),
  /**
   * Bumped by every import taken back out: a process that replays the ledger (the app's live portfolio)
   * reads only rows newer than it has seen, and learns here that rows left — also when the CLI removed them.
   */
  removals: integer('removals').notNull().default(0),
  /**
   * Bumped by every import written in chunks when it becomes visible: its rows got ids while pending, and a
   * replay may have read past them meanwhile (rows the app stored between the chunks), so it starts over.
   */
  revealed: integer('revealed').notNull().default(0),
})

/**
 * One fact per row. A trade moves `amount` of `base` against `amount × price` (or `total`) of `quote`; a deposit or
 * withdrawal moves `amount` of `base` (symbol, quote, side and price are null). Deduplicated by
 * (account, external_id) when the venue gave a trade id, else by (account, content_hash).
 */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey(),
    account: text('account').notNull(),
    kind: text('kind', { enum: ['trade', 'deposit', 'withdrawal', 'income'] }).notNull(),
    timestamp: integer('timestamp').notNull(),
    symbol: text('symbol'),
    /** The traded base asset, or the asset moved by a deposit / withdrawal. */
    base: text('base').notNull(),
    quote: text('quote'),
    side: text('side', { enum: ['buy', 'sell'] }),
    price: text('price'),
    amount: text('amount').notNull(),
    /** A trade's quote amount when stated exactly (a conversion); null: amount × price. */
    total: text('total'),
    /** What the source called a deposit, withdrawal or income ("ETH 2.0 Staking"); not part of the hash. */
    memo: text('memo'),
    feeAsset: text('fee_asset'),
    feeAmount: text('fee_amount'),
    source: text('source', { enum: ['venue', 'csv', 'app'] }).notNull(),
    externalId: text('external_id'),
    /** sha256 of the normalized fields and the row's occurrence index in its file; null when external_id is set. */
    contentHash: text('content_hash'),
    importId: integer('import_id').references(() => ledgerImports.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_entries_external_idx').on(t.account, t.externalId).where(sql`external_id is not null`),
    // The hash covers the timestamp, so (account, timestamp, hash) is as unique as (account, hash) — and
    // rows arrive roughly in time order, so inserts append to this index instead of landing at random
    // pages (2× faster imports at a million rows). Every row has an external id or a hash: the two
    // partial indexes together also find an account's rows.
    uniqueIndex('ledger_entries_hash_idx').on(t.account, t.timestamp, t.contentHash).where(sql`content_hash is not null`),
    index('ledger_entries_time_idx').on(t.timestamp),
    // One account's entries newest first (the Entries list), whatever the other accounts hold.
    index('ledger_entries_account_time_idx').on(t.account, t.timestamp),
    // An import's entries (taking a file back out), and the foreign-key check when an import row is
    // dropped: without it both scan the whole ledger (about 0.1–0.2 s at a million rows, per sync page).
    index('ledger_entries_import_idx').on(t.importId).where(sql`import_id is not null`),
  ],
)

/** Prices observed at a moment (the last stored price values positions when no live price is given). */
export const priceMarks = sqliteTable(
  'price_marks',
  {
    id: integer('id').primaryKey(),
    asset: text('asset').notNull(),
    quote: text('quote').notNull(),
    price: text('price').notNull(),
    at: integer('at').notNull(),
    /**
     * The venue whose price it is ('sim', an exchange account id): it values that venue's accounts first.
     * Null when unknown — marks stored before venues were kept, a rates file, a price stated in a trade file.
     */
    venue: text('venue'),
  },
  // One price per pair, venue (null counting as one) and moment.
  (t) => [uniqueIndex('price_marks_pair_venue_at_idx').on(t.asset, t.quote, sql`ifnull(${t.venue}, '')`, t.at)],
)

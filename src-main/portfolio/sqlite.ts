import type Database from 'better-sqlite3'
import type { Db } from '../store/open'

/** The ledger works on the store's drizzle handle or a bare better-sqlite3 connection (benches, CLI). */
export type LedgerDb = Db | Database.Database

/** The better-sqlite3 connection under either (prepared statements and transactions need it). */
export function sqliteOf(db: LedgerDb): Database.Database {
  const client = (db as { $client?: Database.Database }).$client
  return client ?? (db as Database.Database)
}

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import * as schema from './schema'
import { assertMigrationsKnown, knownMigrations, type KnownMigration } from './migrations-check'
import { explainOpenError } from './open-errors'
import { applyMigrations } from './migrate'

export type Db = BetterSQLite3Database<typeof schema>

export interface Store {
  db: Db
  sqlite: Database.Database
  path: string
  /** Tag of the newest migration applied (e.g. `0000_init`). */
  schemaVersion: string
  close(): void
}

export const DB_FILE_NAME = 'cryptoorchestrator.sqlite'

export interface OpenStoreOptions {
  busyTimeoutMs?: number
  /**
   * Refuse a missing or empty (0-byte) database instead of creating one: the CLI works on the app's
   * database, and a mistyped --data-dir must say so, not report on a new empty ledger.
   */
  mustExist?: boolean
}

export class NoDatabaseError extends Error {
  constructor(readonly dbPath: string) {
    super(`No database at ${dbPath} (is --data-dir right? the app creates it on first start)`)
    this.name = 'NoDatabaseError'
  }
}

/**
 * Opens (creating if needed, unless `mustExist`) the store in `dataDir`: refuses unknown migrations before
 * touching the file, then turns on WAL and foreign keys and applies the committed migrations in one transaction.
 */
export function openStore(dataDir: string, migrationsDir: string, options: OpenStoreOptions = {}): Store {
  const known = knownMigrations(migrationsDir)
  const file = path.join(dataDir, DB_FILE_NAME)
  if (options.mustExist && !holdsDatabase(file)) throw new NoDatabaseError(file)
  try {
    return open(dataDir, file, known, migrationsDir, options)
  } catch (err) {
    throw explainOpenError(err, file)
  }
}

function open(dataDir: string, file: string, known: KnownMigration[], migrationsDir: string, options: OpenStoreOptions): Store {
  assertMigrationsKnown(file, known)
  fs.mkdirSync(dataDir, { recursive: true })
  const sqlite = new Database(file)
  try {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('synchronous = NORMAL')
    // How long a write waits for another process's (the CLI's) write to end; tests shorten it.
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    applyMigrations(sqlite, file, known)
    const db = drizzle(sqlite, { schema })
    return {
      db,
      sqlite,
      path: file,
      schemaVersion: schemaVersionOf(migrationsDir),
      close: () => sqlite.close(),
    }
  } catch (err) {
    sqlite.close()
    throw err
  }
}

/** A database file with content (SQLite would silently build a new database in a 0-byte one). */
function holdsDatabase(file: string): boolean {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0)
  return size(file) > 0 || size(`${file}-wal`) > 0
}

function schemaVersionOf(migrationsDir: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  return journal.entries.at(-1)?.tag ?? 'none'
}

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema'
import { assertMigrationsKnown, knownMigrations } from './migrations-check'

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

/**
 * Opens (creating if needed) the store in `dataDir`: refuses unknown migrations before touching the
 * file, then turns on WAL and foreign keys and applies the committed migrations in one transaction.
 */
export function openStore(dataDir: string, migrationsDir: string, options: { busyTimeoutMs?: number } = {}): Store {
  const known = knownMigrations(migrationsDir)
  const file = path.join(dataDir, DB_FILE_NAME)
  assertMigrationsKnown(file, known)
  fs.mkdirSync(dataDir, { recursive: true })
  const sqlite = new Database(file)
  try {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma('synchronous = NORMAL')
    // How long a write waits for another process's (the CLI's) write to end; tests shorten it.
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    const db = drizzle(sqlite, { schema })
    migrate(db, { migrationsFolder: migrationsDir })
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

function schemaVersionOf(migrationsDir: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[]
  }
  return journal.entries.at(-1)?.tag ?? 'none'
}

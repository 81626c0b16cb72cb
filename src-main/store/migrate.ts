import type Database from 'better-sqlite3'
import { MIGRATIONS_TABLE, type KnownMigration } from './migrations-check'
import { isFileProblem } from './open-errors'

// Brings a database up to the committed migrations. Drizzle's own migrator reads the applied ones before
// its (deferred) transaction: two processes opening a new or older database together — the app and a CLI
// command — both read "none applied", and the second re-runs what the first just committed ("table already
// exists"; a data migration would run twice). Here, when a plain read finds a migration due, the write lock
// comes first, then the read again, then the missing migrations, in one transaction. The table and its rows are drizzle's (hash, created_at), so
// databases migrated before stay as they are.

export class MigrationError extends Error {
  constructor(
    readonly dbPath: string,
    readonly tag: string,
    readonly sqliteMessage: string,
  ) {
    super(`The database at ${dbPath} could not be brought up to date: migration ${tag} failed: ${sqliteMessage}. Nothing was changed.`)
    this.name = 'MigrationError'
  }
}

/** The migrations newer than the newest recorded one (drizzle's rule); all of them before the table exists. */
function pendingMigrations(sqlite: Database.Database, migrations: KnownMigration[]): KnownMigration[] {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(MIGRATIONS_TABLE)
  if (table === undefined) return migrations
  const newest = sqlite.prepare(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`).pluck().get() as number | string | undefined
  return migrations.filter((m) => newest === undefined || Number(newest) < m.createdAt)
}

/** Applies the migrations newer than the newest recorded one (drizzle's rule), each once; returns how many. */
export function applyMigrations(sqlite: Database.Database, dbPath: string, migrations: KnownMigration[]): number {
  // A plain read first: an up-to-date database (every open but the first after an update) is opened
  // without the write lock, so a read-only command (pnl, audit) works while the app writes.
  if (pendingMigrations(sqlite, migrations).length === 0) return 0
  // IMMEDIATE: the write lock now (waiting out another process's migration, up to the busy timeout), then
  // the read again, so what is applied builds on what another process may have committed meanwhile.
  sqlite.exec('BEGIN IMMEDIATE')
  let current = 'the migrations table'
  try {
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`)
    const missing = pendingMigrations(sqlite, migrations)
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`)
    for (const m of missing) {
      current = m.tag
      for (const statement of m.sql) if (statement.trim() !== '') sqlite.exec(statement)
      record.run(m.hash, m.createdAt)
    }
    sqlite.exec('COMMIT')
    return missing.length
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
    // A damaged or unwritable (or busy) file is the file's problem, not this migration's: the caller says so.
    if (isFileProblem(err)) throw err
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err
    throw new MigrationError(dbPath, current, cause instanceof Error ? cause.message : String(cause))
  }
}

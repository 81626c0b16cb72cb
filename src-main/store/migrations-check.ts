import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { readMigrationFiles } from 'drizzle-orm/migrator'

export const MIGRATIONS_TABLE = '__drizzle_migrations'

export class UnknownMigrationsError extends Error {
  constructor(
    readonly dbPath: string,
    readonly unknown: { createdAt: number; hash: string }[],
  ) {
    super(
      `The database at ${dbPath} holds ${unknown.length} migration(s) this version of CryptoOrchestrator ` +
        `does not know (the newest from ${new Date(Math.max(...unknown.map((u) => u.createdAt))).toISOString()}). ` +
        'It was probably written by a newer version. Nothing was changed: update the app, or start with ' +
        'another data directory (--data-dir).',
    )
    this.name = 'UnknownMigrationsError'
  }
}

export interface KnownMigration {
  /** The file's name without .sql (`0003_trading_workspace_portfolio`), for messages. */
  tag: string
  createdAt: number
  hash: string
  sql: string[]
}

/** The committed migrations, oldest first, read as drizzle reads them (its hash is what the table records). */
export function knownMigrations(migrationsDir: string): KnownMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  return readMigrationFiles({ migrationsFolder: migrationsDir }).map((m, i) => ({
    tag: journal.entries[i]?.tag ?? String(m.folderMillis),
    createdAt: m.folderMillis,
    hash: m.hash,
    sql: m.sql,
  }))
}

/**
 * Refuses a database that holds migrations the code does not know, reading it through a read-only
 * connection so that a refused file is left exactly as it was (no WAL switch, no journal, no write).
 * Migrations are matched by their journal timestamp, which (unlike the file hash) survives line-ending
 * conversion on checkout.
 */
export function assertMigrationsKnown(dbPath: string, known: KnownMigration[]): void {
  if (!fs.existsSync(dbPath)) return
  // A read-only connection to a WAL database still creates the -wal/-shm side files; remove the ones
  // this check created so a refused data dir looks exactly as before.
  const sideFiles = [`${dbPath}-wal`, `${dbPath}-shm`].filter((f) => !fs.existsSync(f))
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(MIGRATIONS_TABLE)
    if (!table) return
    const rows = db.prepare(`SELECT hash, created_at FROM ${MIGRATIONS_TABLE}`).all() as {
      hash: string
      created_at: number | string
    }[]
    const knownTimes = new Set(known.map((m) => m.createdAt))
    const unknown = rows
      .map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }))
      .filter((r) => !knownTimes.has(r.createdAt))
    if (unknown.length > 0) throw new UnknownMigrationsError(dbPath, unknown)
  } finally {
    db.close()
    const wal = `${dbPath}-wal`
    const walUnused = !fs.existsSync(wal) || fs.statSync(wal).size === 0
    if (walUnused) for (const f of sideFiles) fs.rmSync(f, { force: true })
  }
}

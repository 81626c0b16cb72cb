import type Database from 'better-sqlite3'
import { MIGRATIONS_TABLE, type KnownMigration } from './migrations-check'

// Whether a SQLite file is a database of this app, before a restore puts it in place. A migrations table
// alone says little (every drizzle app has one, and it may be empty): the file must record this app's first
// migration (0000_init, by the journal time drizzle's migrator records, which survives line-ending changes;
// or by its hash) and hold every table the migrations it records create. Migrations it records that this
// version does not know are a newer version's only when newer than the newest known; older unknown ones
// belong to another program.

export type BackupIdentity =
  | { kind: 'ours' }
  | { kind: 'foreign'; why: string }
  | { kind: 'newer'; unknown: { createdAt: number; hash: string }[] }

export function backupIdentity(db: Database.Database, known: readonly KnownMigration[]): BackupIdentity {
  const rows = (db.prepare(`SELECT hash, created_at FROM ${MIGRATIONS_TABLE}`).all() as { hash: unknown; created_at: unknown }[]).map((r) => ({
    hash: String(r.hash),
    createdAt: Number(r.created_at),
  }))
  const first = known[0]
  if (!first || !rows.some((r) => r.createdAt === first.createdAt || r.hash === first.hash))
    return { kind: 'foreign', why: `its ${MIGRATIONS_TABLE} table does not record this app's first migration (${first?.tag ?? '0000_init'})` }
  const byTime = new Map(known.map((m) => [m.createdAt, m]))
  const unknown = rows.filter((r) => !byTime.has(r.createdAt))
  const newest = Math.max(...known.map((m) => m.createdAt))
  if (unknown.some((u) => u.createdAt <= newest)) return { kind: 'foreign', why: `its ${MIGRATIONS_TABLE} table records migrations this app never had` }
  const recorded = rows.map((r) => byTime.get(r.createdAt)).filter((m): m is KnownMigration => m !== undefined)
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).map((t) => t.toLowerCase()))
  const missing = [...tablesCreated(recorded)].filter((t) => !tables.has(t))
  if (missing.length > 0) return { kind: 'foreign', why: `it lacks the table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` }
  return unknown.length > 0 ? { kind: 'newer', unknown } : { kind: 'ours' }
}

/** The tables the migrations create and none of them drops (drizzle's `__` working tables left out). */
function tablesCreated(migrations: readonly KnownMigration[]): Set<string> {
  const created = new Set<string>()
  const dropped = new Set<string>()
  for (const m of migrations) {
    const sql = m.sql.join('\n')
    for (const [, name] of sql.matchAll(/CREATE TABLE\s+(?:IF NOT EXISTS\s+)?[`"]?(\w+)[`"]?/gi)) created.add(name!.toLowerCase())
    for (const [, name] of sql.matchAll(/DROP TABLE\s+(?:IF EXISTS\s+)?[`"]?(\w+)[`"]?/gi)) dropped.add(name!.toLowerCase())
  }
  return new Set([...created].filter((t) => !dropped.has(t) && !t.startsWith('__')))
}

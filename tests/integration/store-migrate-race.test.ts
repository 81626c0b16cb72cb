import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../src-main/store/open'
import { knownMigrations } from '../../src-main/store/migrations-check'
import { migrationsDir, projectRoot, tempDir } from '../support/temp-core'

// The app and a CLI command (or two CLI commands) opening a data folder whose database is new or older
// than the code: both migrate it. Here one of them is caught mid-way — it has created the migrations table
// and is applying the migrations, not yet committed — when the other process opens the file. The other
// must wait for it and find everything applied: each migration once, and both processes open.

function openInChild(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'support', 'open-store-child.ts'), dataDir], { cwd: projectRoot })
  let out = ''
  // "locking": its plain read found migrations due and it asks for the write lock now (open-store-child.ts).
  const locking = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('locking\n') && resolve()))
    child.once('exit', () => reject(new Error(`the other process ended without asking for the write lock: ${out}`)))
  })
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.once('exit', (code) => resolve({ code, out: out.replace('opening\n', '').replace('locking\n', '').trim() })))
  return { locking, done }
}

describe('migrating one database from two processes at once', () => {
  it('the second waits for the first and applies nothing twice', async () => {
    const known = knownMigrations(migrationsDir)
    const dataDir = tempDir('co-migrate-race-')
    fs.mkdirSync(dataDir, { recursive: true })
    // The first process, as drizzle's migrator runs it: the migrations table, then every migration in a transaction.
    const first = new Database(path.join(dataDir, DB_FILE_NAME))
    first.pragma('journal_mode = WAL')
    first.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)')
    first.exec('BEGIN')
    for (const m of known) {
      for (const stmt of m.sql) first.exec(stmt)
      first.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)').run(m.hash, m.createdAt)
    }
    // The second opens the file now: its first look sees nothing committed, so it asks for the write lock
    // (and waits for it); the first commits once it has asked.
    const second = openInChild(dataDir)
    await second.locking
    first.exec('COMMIT')
    expect(await second.done).toEqual({ code: 0, out: 'ok' })
    const rows = first.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all()
    first.close()
    expect(rows).toEqual(known.map((m) => ({ hash: m.hash, created_at: m.createdAt })))
  }, 60_000)
})

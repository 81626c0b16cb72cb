import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrationsDir, tempDir } from '../support/temp-core'
import { openStore } from '../../src-main/store/open'
import { knownMigrations } from '../../src-main/store/migrations-check'
import { restoreDatabase } from '../../src-main/store/restore'

// Restore took any SQLite file holding a __drizzle_migrations table for a backup of this app: another
// drizzle app's database got "written by a newer version… update the app", and one with an empty
// migrations table replaced the database (the ledger gone). A backup must record this app's first
// migration and hold its tables; "newer version" is said only of migrations newer than any this one knows.

const known = knownMigrations(migrationsDir)

/** A data folder whose database holds one ledger entry, and a count of them. */
function dataFolder(): { dataDir: string; entries: () => number } {
  const dataDir = tempDir()
  const store = openStore(dataDir, migrationsDir)
  store.sqlite
    .prepare("insert into ledger_entries (account, kind, timestamp, base, amount, source, external_id, created_at) values ('acct', 'deposit', 1, 'USDT', '5', 'csv', 'd-1', 1)")
    .run()
  store.close()
  const file = path.join(dataDir, 'cryptoorchestrator.sqlite')
  return {
    dataDir,
    entries: () => {
      const db = new Database(file, { readonly: true })
      try {
        return (db.prepare('select count(*) as n from ledger_entries').get() as { n: number }).n
      } finally {
        db.close()
      }
    },
  }
}

/** A SQLite file of another program: a drizzle migrations table with the given rows, and a table of its own. */
function foreign(rows: { hash: string; createdAt: number }[]): string {
  const file = path.join(tempDir(), 'other.sqlite')
  const db = new Database(file)
  db.exec('create table __drizzle_migrations (id integer primary key, hash text, created_at numeric); create table notes (x)')
  for (const r of rows) db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run(r.hash, r.createdAt)
  db.close()
  return file
}

/** A backup of this app (all migrations), changed by `change`. */
function ours(change: (db: Database.Database) => void): string {
  const dir = tempDir()
  openStore(dir, migrationsDir).close()
  const file = path.join(dir, 'cryptoorchestrator.sqlite')
  const db = new Database(file)
  change(db)
  db.close()
  return file
}

describe('restore: only a backup of this app', () => {
  it('refuses a file whose migrations table is empty; the database stays', async () => {
    const { dataDir, entries } = dataFolder()
    const from = foreign([])
    await expect(restoreDatabase(from, dataDir, known, Date.now())).rejects.toThrow(`${from} is not a CryptoOrchestrator backup`)
    expect(entries()).toBe(1)
    expect(fs.existsSync(path.join(dataDir, 'backups'))).toBe(false)
  })

  it('refuses another drizzle app’s database as not ours, not as written by a newer version', async () => {
    const { dataDir, entries } = dataFolder()
    const from = foreign([{ hash: 'abc', createdAt: 1_700_000_000_000 }])
    const refusal = restoreDatabase(from, dataDir, known, Date.now())
    await expect(refusal).rejects.toThrow(/is not a CryptoOrchestrator backup/)
    await expect(refusal).rejects.not.toThrow(/newer version/)
    expect(entries()).toBe(1)
  })

  it('refuses a file that records this app’s migrations but lacks its tables', async () => {
    const { dataDir, entries } = dataFolder()
    const from = ours((db) => db.exec('drop table ledger_entries'))
    await expect(restoreDatabase(from, dataDir, known, Date.now())).rejects.toThrow(/is not a CryptoOrchestrator backup: it lacks the table ledger_entries/)
    expect(entries()).toBe(1)
  })

  it('a backup with a migration newer than any known is from a newer version, as before', async () => {
    const { dataDir } = dataFolder()
    const newest = Math.max(...known.map((m) => m.createdAt))
    const from = ours((db) => db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('next', newest + 1000))
    await expect(restoreDatabase(from, dataDir, known, Date.now())).rejects.toThrow(/newer version/)
  })

  it('puts back a backup of this app', async () => {
    const { dataDir, entries } = dataFolder()
    const from = ours(() => undefined)
    await expect(restoreDatabase(from, dataDir, known, Date.now())).resolves.toMatchObject({ previous: expect.stringContaining('before-restore') })
    expect(entries()).toBe(0)
  })
})

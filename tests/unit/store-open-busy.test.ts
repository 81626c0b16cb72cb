import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore, DB_FILE_NAME } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'

// Opening a database that is up to date must not take SQLite's write lock: the read-only CLI commands (pnl,
// audit, tax) opened it with BEGIN IMMEDIATE and failed with a bare "database is locked" while the app was
// writing. Only a database with a migration due waits for the lock — and when it cannot get it, says so.

const holders: Database.Database[] = []
afterEach(() => {
  for (const h of holders.splice(0)) {
    if (h.inTransaction) h.exec('ROLLBACK')
    h.close()
  }
})

/** Another process writing (the app): a connection holding the write lock. */
function holdWriteLock(dir: string): void {
  const holder = new Database(path.join(dir, DB_FILE_NAME))
  holder.pragma('journal_mode = WAL')
  holder.exec('BEGIN IMMEDIATE')
  holders.push(holder)
}

describe('opening the database while another process writes', () => {
  it('opens an up-to-date database and reads it without waiting for the write lock', () => {
    const dir = tempDir('co-open-busy-')
    const app = openStore(dir, migrationsDir)
    app.sqlite.prepare("INSERT INTO activity (at, kind, message) VALUES (1, 'test', 'written by the app')").run()
    app.close()
    holdWriteLock(dir)
    const cli = openStore(dir, migrationsDir, { busyTimeoutMs: 50, mustExist: true })
    try {
      expect(cli.sqlite.prepare("SELECT message FROM activity WHERE kind = 'test'").pluck().get()).toBe('written by the app')
    } finally {
      cli.close()
    }
  })

  it('a database with a migration due waits for the lock, and says the database is busy when it cannot get it', () => {
    const dir = tempDir('co-open-busy-new-')
    holdWriteLock(dir)
    const file = path.join(dir, DB_FILE_NAME)
    expect(() => openStore(dir, migrationsDir, { busyTimeoutMs: 50 })).toThrow(`The database at ${file} is busy (the app is writing): try again`)
    // Once the writer is done, the same open migrates it.
    holders.pop()!.exec('ROLLBACK')
    const store = openStore(dir, migrationsDir, { busyTimeoutMs: 50 })
    expect(store.sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'").pluck().get()).toBe(1)
    store.close()
  })
})

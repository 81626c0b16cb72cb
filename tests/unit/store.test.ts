import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openStore, DB_FILE_NAME } from '../../src-main/store/open'
import { UnknownMigrationsError } from '../../src-main/store/migrations-check'
import { migrationsDir, tempDir } from '../support/temp-core'

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

describe('store', () => {
  it('creates the database with WAL, foreign keys and every committed migration applied', () => {
    const dir = tempDir()
    const store = openStore(dir, migrationsDir)
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8'))
    const applied = store.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }
    expect(applied.n).toBe(journal.entries.length)
    expect(store.schemaVersion).toBe(journal.entries.at(-1).tag)
    store.close()
  })

  it('re-opening applies nothing twice and keeps the data', () => {
    const dir = tempDir()
    const first = openStore(dir, migrationsDir)
    first.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('ui.theme', '\"midnight\"', 1)").run()
    first.close()
    const second = openStore(dir, migrationsDir)
    expect(second.sqlite.prepare('SELECT value FROM settings').get()).toEqual({ value: '"midnight"' })
    second.close()
  })

  it('refuses a database that holds a migration the code does not know, and leaves the file untouched', () => {
    const dir = tempDir()
    const store = openStore(dir, migrationsDir)
    store.sqlite
      .prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)')
      .run('f'.repeat(64), Date.UTC(2031, 0, 1))
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    store.close()
    const file = path.join(dir, DB_FILE_NAME)
    fs.rmSync(`${file}-wal`, { force: true })
    fs.rmSync(`${file}-shm`, { force: true })
    const before = sha(file)
    const mtime = fs.statSync(file).mtimeMs

    expect(() => openStore(dir, migrationsDir)).toThrow(UnknownMigrationsError)
    try {
      openStore(dir, migrationsDir)
    } catch (err) {
      expect((err as Error).message).toMatch(/holds 1 migration\(s\) this version .* does not know .*Nothing was changed/s)
    }
    expect(sha(file)).toBe(before)
    expect(fs.statSync(file).mtimeMs).toBe(mtime)
    expect(fs.existsSync(`${file}-wal`)).toBe(false)
    expect(fs.existsSync(`${file}-shm`)).toBe(false)
  })

  it('enforces foreign keys on every connection it opens', () => {
    const store = openStore(tempDir(), migrationsDir)
    store.sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))')
    expect(() => store.sqlite.prepare('INSERT INTO child (p) VALUES (7)').run()).toThrow(/FOREIGN KEY/)
    store.close()
  })

})

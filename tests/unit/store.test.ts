import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openStore, DB_FILE_NAME } from '../../src-main/store/open'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { knownMigrations, UnknownMigrationsError } from '../../src-main/store/migrations-check'
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

  it('upgrading an existing ledger: the app fills recorded before keep their key in the per-market form', () => {
    // A copy of the migrations up to 0003 (the release before the ledger keyed trades by market).
    const older = tempDir('co-mig-')
    fs.mkdirSync(path.join(older, 'meta'))
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8'))
    const upTo = journal.entries.findIndex((e: { tag: string }) => e.tag === '0003_trading_workspace_portfolio')
    expect(upTo).toBeGreaterThanOrEqual(0)
    const kept = journal.entries.slice(0, upTo + 1)
    fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }))
    for (const e of kept) fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`))
    const dir = tempDir()
    const before = openStore(dir, older)
    const insert = before.sqlite.prepare(
      "INSERT INTO ledger_entries (account, kind, timestamp, symbol, base, quote, side, price, amount, source, external_id, content_hash, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, '1', '1', ?, ?, ?, 1)",
    )
    insert.run('binance-main', 'trade', 'BTC/USDT', 'BTC', 'USDT', 'buy', 'app', '1001', null)
    insert.run('sim:trader:grid', 'trade', 'BTC/USDT', 'BTC', 'USDT', 'sell', 'venue', '77:maker', null)
    insert.run('sim', 'deposit', null, 'USDT', null, null, 'app', 'opening:USDT', null)
    before.close()
    const after = openStore(dir, migrationsDir)
    const keys = after.sqlite.prepare('SELECT account, external_id AS key FROM ledger_entries ORDER BY id').all()
    expect(keys).toEqual([
      { account: 'binance-main', key: 'BTC/USDT#1001' },
      { account: 'sim:trader:grid', key: '77:maker' },
      { account: 'sim', key: 'opening:USDT' },
    ])
    after.close()
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

  it('opens a database drizzle’s own migrator built (earlier versions) and applies nothing twice', () => {
    const dir = tempDir()
    const file = path.join(dir, DB_FILE_NAME)
    const earlier = new Database(file)
    migrate(drizzle(earlier), { migrationsFolder: migrationsDir })
    const rows = () => earlier.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all()
    const written = rows()
    openStore(dir, migrationsDir).close()
    expect(rows()).toEqual(written)
    expect(written).toEqual(knownMigrations(migrationsDir).map((m) => ({ hash: m.hash, created_at: m.createdAt })))
    earlier.close()
  })

  it('a migration that fails names itself and SQLite’s reason, and leaves the database as it was', () => {
    const withBad = tempDir('co-mig-')
    fs.cpSync(migrationsDir, withBad, { recursive: true })
    const journal = JSON.parse(fs.readFileSync(path.join(withBad, 'meta', '_journal.json'), 'utf8'))
    const dir = tempDir()
    openStore(dir, migrationsDir).close()
    journal.entries.push({ idx: journal.entries.length, version: '6', when: journal.entries.at(-1).when + 1, tag: '0099_bad', breakpoints: true })
    fs.writeFileSync(path.join(withBad, 'meta', '_journal.json'), JSON.stringify(journal))
    fs.writeFileSync(path.join(withBad, '0099_bad.sql'), 'CREATE TABLE `later` (x integer);\n--> statement-breakpoint\nCREATE TABLE `settings` (x integer);')
    expect(() => openStore(dir, withBad)).toThrow(
      `The database at ${path.join(dir, DB_FILE_NAME)} could not be brought up to date: migration 0099_bad failed: table \`settings\` already exists. Nothing was changed.`,
    )
    const store = openStore(dir, migrationsDir)
    expect(store.sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'later'").get()).toEqual({ n: 0 })
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: journal.entries.length - 1 })
    store.close()
  })

  it('enforces foreign keys on every connection it opens', () => {
    const store = openStore(tempDir(), migrationsDir)
    store.sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))')
    expect(() => store.sqlite.prepare('INSERT INTO child (p) VALUES (7)').run()).toThrow(/FOREIGN KEY/)
    store.close()
  })

})

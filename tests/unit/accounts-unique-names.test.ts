import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { migrationsDir, tempCore, tempDir } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { openStore } from '../../src-main/store/open'
import type { AccountView } from '../../src-main/api/contract'

// Account names are unique (trimmed, any case), the built-in venues' names included: two accounts called
// "Binance main" would look the same in every venue list, market picker and copy follower choice.

const ctx = { door: 'test' } as const
const creds = (c: string) => ({ apiKey: c.repeat(64), secret: 'S'.repeat(64) })

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

async function call(name: string, input: unknown) {
  return (await core!.router.invoke(name as never, input as never, ctx)) as { ok: true; value: AccountView } | { ok: false; error: { code: string; message: string } }
}

async function add(label: string, key = 'A') {
  return call('accounts.add', { exchange: 'binance', label, credentials: creds(key) })
}

function rows(): unknown[] {
  return core!.store.sqlite.prepare('SELECT id, label, key_hint FROM accounts ORDER BY created_at, id').all()
}

describe('account names are unique', () => {
  it('adding a name another account has (trimmed, any case) is refused and stores nothing', async () => {
    core = tempCore()
    const first = await add('Binance main')
    expect(first.ok).toBe(true)
    const before = rows()
    for (const label of ['Binance main', ' binance MAIN ']) {
      expect(await add(label, 'B')).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'An account named "Binance main" already exists; choose another name' } })
    }
    expect(rows()).toEqual(before)
  })

  it("the built-in venues' names are taken too", async () => {
    core = tempCore()
    expect(await add('simulated EXCHANGE')).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'An account named "Simulated exchange" already exists; choose another name' } })
  })

  it('renaming onto another account name is refused; a new case of its own name is not', async () => {
    core = tempCore()
    const a = await add('Binance main')
    const b = await add('Kraken', 'B')
    if (!a.ok || !b.ok) throw new Error('setup')
    const before = rows()
    expect(await call('accounts.update', { id: b.value.id, label: 'BINANCE main' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'An account named "Binance main" already exists; choose another name' },
    })
    expect(rows()).toEqual(before)
    const renamed = await call('accounts.update', { id: a.value.id, label: 'Binance MAIN' })
    expect(renamed.ok && renamed.value.label).toBe('Binance MAIN')
  })

  it("a removed account's name can be given again", async () => {
    core = tempCore()
    const a = await add('Binance main')
    if (!a.ok) throw new Error('setup')
    await call('accounts.remove', { id: a.value.id })
    expect((await add('Binance main', 'B')).ok).toBe(true)
  })

  it('the database refuses a duplicate name written past the service', async () => {
    core = tempCore()
    expect((await add('Binance main')).ok).toBe(true)
    const insert = core.store.sqlite.prepare("INSERT INTO accounts (id, exchange, label, key_hint, created_at, updated_at) VALUES ('x', 'binance', ' BINANCE main', '••••AAAA', 1, 1)")
    expect(() => insert.run()).toThrow(/UNIQUE/)
  })
})

describe('upgrading a database that already holds duplicate names', () => {
  it('renames the later duplicates "(2)", "(3)", never failing, and keeps the oldest as it was', () => {
    // The database as the previous version left it: the migrations before this one, and duplicate names.
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
    const uniqueAt = journal.entries.findIndex((e) => e.tag === '0016_account_unique_names')
    expect(uniqueAt).toBeGreaterThan(0)
    const older = tempDir('co-migrations-')
    fs.mkdirSync(path.join(older, 'meta'))
    const kept = journal.entries.slice(0, uniqueAt)
    fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }))
    for (const e of kept) fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`))
    const dataDir = tempDir('co-dup-names-')
    const old = openStore(dataDir, older)
    const put = old.sqlite.prepare("INSERT INTO accounts (id, exchange, label, key_hint, created_at, updated_at) VALUES (?, 'binance', ?, '••••AAAA', ?, 1)")
    put.run('a', 'Binance main', 1)
    put.run('b', 'binance MAIN', 2)
    put.run('c', 'Binance main (2)', 3) // the name the first rename would pick is taken
    put.run('d', ' Binance main', 4)
    put.run('e', 'Kraken', 5)
    old.close()

    const store = openStore(dataDir, migrationsDir)
    const labels = store.sqlite.prepare('SELECT id, label FROM accounts ORDER BY created_at').all() as { id: string; label: string }[]
    store.close()
    const names = labels.map((l) => l.label)
    expect(labels[0]).toEqual({ id: 'a', label: 'Binance main' })
    expect(labels[2]).toEqual({ id: 'c', label: 'Binance main (2)' })
    expect(labels[4]).toEqual({ id: 'e', label: 'Kraken' })
    expect(new Set(names.map((n) => n.trim().toLowerCase())).size).toBe(names.length)
    expect(names[1]).toMatch(/^binance MAIN \(\S+\)$/)
    expect(names[3]).toMatch(/^ ?Binance main \(\S+\)$/)
  })
})

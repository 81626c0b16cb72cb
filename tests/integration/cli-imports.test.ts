import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { DB_FILE_NAME } from '../../src-main/store/open'
import type { ImportRecord } from '../../src-main/portfolio/imports'
import { csvFixture } from '../support/import-fixtures'

// `imports` as a user runs it: a wrong file imported from a script is found by its id and taken back out
// (its entries and its record, nothing else), with the app's rules: an account the app keeps itself is
// neither imported into nor emptied from the command line, and every removal is in the audit log.


type ImportRow = ImportRecord

describe('cli imports', () => {
  const dataDir = appDataDir('co-cli-imports-')
  const sql = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    try {
      return use(db)
    } finally {
      db.close()
    }
  }
  const entriesOf = (account: string) => sql((db) => db.prepare('select count(*) from ledger_entries where account = ?').pluck().get(account) as number)
  const list = async (account: string) => JSON.parse((await cli(['imports', '--account', account, '--json', '--data-dir', dataDir])).stdout) as ImportRow[]

  it('lists an account’s imports with their ids and removes one whole, leaving the others', async () => {
    await cli(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'main', '--data-dir', dataDir])
    await cli(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'wrong', '--data-dir', dataDir])
    expect(entriesOf('main')).toBe(4)
    expect(entriesOf('wrong')).toBe(4)

    const [wrong, ...rest] = await list('wrong')
    expect(rest).toEqual([])
    expect(wrong).toMatchObject({ account: 'wrong', format: 'binance', fileName: 'binance-cli.csv', rows: 4, inserted: 4 })
    const text = (await cli(['imports', '--account', 'wrong', '--data-dir', dataDir])).stdout
    expect(text).toMatch(new RegExp(`^\\s+${wrong!.id}  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  binance\\s+4 of 4 new\\s+binance-cli\\.csv$`, 'm'))

    const removed = await cli(['imports', '--remove', String(wrong!.id), '--data-dir', dataDir])
    expect(removed.stdout).toBe(`Removed import ${wrong!.id} (binance-cli.csv) from account "wrong": 4 entries taken out of the ledger\n`)
    expect(entriesOf('wrong')).toBe(0)
    expect(entriesOf('main')).toBe(4)
    expect(await list('wrong')).toEqual([])
    expect((await cli(['imports', '--account', 'wrong', '--data-dir', dataDir])).stdout).toBe('No imports into account "wrong"\n')

    // Gone is gone: asked again, it says so and changes nothing.
    const again = await failing(['imports', '--remove', String(wrong!.id), '--data-dir', dataDir])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`there is no import ${wrong!.id} (it may have been removed already); nothing was changed`)
    expect(entriesOf('main')).toBe(4)

    const audit = JSON.parse((await cli(['audit', '--search', 'removeImport', '--json', '--data-dir', dataDir])).stdout) as { entries: { detail: string; outcome: string }[] }
    expect(audit.entries.map((e) => [e.outcome, e.detail]).sort()).toEqual([
      ['FAILED', expect.stringContaining(`id=${wrong!.id} — there is no import`)],
      ['ok', `id=${wrong!.id}`],
    ])
  })

  it('keeps accounts the app manages: no import into an exchange or paper account, no removal from one', async () => {
    sql((db) =>
      db
        .prepare("insert into accounts (id, exchange, label, key_hint, created_at, updated_at) values ('acct-binance', 'binance', 'Binance', '••••1234', 0, 0)")
        .run(),
    )
    for (const account of ['acct-binance', 'paper:binance', 'sim']) {
      const refused = await failing(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', account, '--data-dir', dataDir])
      expect(refused.code, account).toBe(1)
      expect(refused.stderr).toContain(`"${account}" is an account the app keeps itself`)
      expect(refused.stderr).toContain('nothing was imported')
      expect(entriesOf(account)).toBe(0)
    }
    // An import on record for an exchange account (as a sync writes one) is not taken out here.
    const [main] = await list('main')
    sql((db) => {
      db.prepare("update ledger_imports set account = 'acct-binance' where id = ?").run(main!.id)
      db.prepare("update ledger_entries set account = 'acct-binance' where import_id = ?").run(main!.id)
    })
    const refused = await failing(['imports', '--remove', String(main!.id), '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('"acct-binance" is an account the app keeps itself: its history comes from the exchange or the app and is not removed here; nothing was changed')
    expect(entriesOf('acct-binance')).toBe(4)
  })

  it('refuses an import named like a simulated trader’s account, as the app does', async () => {
    const refused = await failing(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'trader: ARB ari', '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`cli: "Trader: Arb Ari" is the name of a simulated trader's account`)
    expect(refused.stderr).toContain('nothing was imported')
    expect(entriesOf('trader: ARB ari')).toBe(0)
  })

  it('refuses bad flags with exit status 2 and a clear message', async () => {
    for (const [args, message] of [
      [['imports'], '--account NAME is required (or --remove ID)'],
      [['imports', '--remove', 'abc'], `--remove wants an import's id (a whole number from 1, as listed), got "abc"`],
      [['imports', '--remove', '0'], 'got "0"'],
      [['imports', '--remove', '3', '--account', 'x'], 'it takes no --account'],
      [['imports', 'main'], 'unexpected argument "main"'],
    ] as const) {
      const err = await failing([...args, '--data-dir', dataDir])
      expect(err.code, args.join(' ')).toBe(2)
      expect(err.stderr).toContain(message)
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import type { ImportResultView, LedgerAccountView, LedgerEntryView } from '../../src-main/api/schemas/portfolio'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { readCsvFixture } from '../support/import-fixtures'
import { splitEngineMessage } from '../../src-renderer/ui/engineMessage'

// portfolio.import and portfolio.accounts through the contract: the CLI's parsers on the given text, all or
// nothing with the line named; the ledger's accounts with their labels and whether they can sync.

const ctx = { door: 'test' } as const
/** The fields the import dialog places the engine's words at. */
const IMPORT_FIELDS = ['account', 'text', 'fileName', 'format']
let core: Core

const CSV = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-01-01T00:00:00Z,deposit,USDT,,,,10000,,,dep-1',
  '2024-01-02T09:00:00+01:00,trade,BTC,USDT,buy,40000,0.1,4,USDT,t-1',
  '1704448800000,trade,BTC,USDT,sell,45000,0.05,0.00005,BTC,',
].join('\n')

const { call: invoke } = contractCalls(() => core, ctx)

const entries = (account: string) =>
  (core.store.sqlite.prepare('select count(*) as n from ledger_entries where account = ?').get(account) as { n: number }).n

beforeAll(() => {
  core = tempCore()
})

afterAll(async () => {
  await core.stop()
})

describe('portfolio.import', () => {
  it('imports a file once: the same file again adds nothing', async () => {
    const first = await invoke('portfolio.import', { account: 'Old wallet', format: 'generic', fileName: 'wallet.csv', text: CSV })
    expect(first).toEqual({ ok: true, value: { account: 'Old wallet', format: 'generic', layout: 'generic', rows: 3, inserted: 3, duplicates: 0, skipped: {} } satisfies ImportResultView })
    const again = await invoke('portfolio.import', { account: 'Old wallet', format: 'generic', fileName: 'wallet.csv', text: CSV })
    expect(again).toMatchObject({ ok: true, value: { inserted: 0, duplicates: 3 } })
    expect(entries('Old wallet')).toBe(3)
  })

  it('names the export it read and the rows it skipped, by reason', async () => {
    const ledger = readCsvFixture('kraken-ledgers.csv')
    const reply = await invoke('portfolio.import', { account: 'Kraken rewards', format: 'kraken', fileName: 'ledgers.csv', text: ledger })
    expect(reply).toMatchObject({ ok: true, value: { layout: 'ledgers', rows: 16, inserted: 8, skipped: { 'earn (allocation)': 2, 'transfer (spottostaking)': 1 } } })
  })

  it('a malformed row rejects the whole file, naming its line; nothing is stored', async () => {
    const bad = `${CSV}\n2024-01-07T00:00:00Z,trade,ETH,USDT,buy,3000,lots,,,t-9`
    const reply = await invoke('portfolio.import', { account: 'Other wallet', format: 'generic', fileName: 'bad.csv', text: bad })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe('BAD_INPUT')
    expect(reply.error.message).toMatch(/^bad\.csv: line 5\b.*nothing was imported$/)
    expect(entries('Other wallet')).toBe(0)
  })

  it('refuses the names of accounts the app keeps itself, naming the account field', async () => {
    for (const account of ['sim', 'sim:trader:x', 'paper:1']) {
      const reply = await invoke('portfolio.import', { account, format: 'generic', fileName: 'a.csv', text: CSV })
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
      // The import dialog shows it at the account name (not at the file) by the field it names.
      const split = splitEngineMessage(reply.ok ? '' : reply.error.message, IMPORT_FIELDS)
      expect(split).toEqual({ fields: { account: `"${account}" is an account the app keeps itself (an exchange, paper or simulated account): import under a name of its own` }, general: null })
    }
  })
})

describe('portfolio.imports / removeImport', () => {
  it('lists an account’s files newest first; removing one takes its entries out and the live P&L with them', async () => {
    const kraken = readCsvFixture('kraken-ledgers.csv')
    expect(await invoke('portfolio.import', { account: 'Undo me', format: 'generic', fileName: 'first.csv', text: CSV })).toMatchObject({ ok: true })
    expect(await invoke('portfolio.import', { account: 'Undo me', format: 'kraken', fileName: 'ledgers.csv', text: kraken })).toMatchObject({ ok: true })
    const listed = (await invoke('portfolio.imports', { account: 'Undo me' })) as { ok: true; value: { id: number; fileName: string; format: string; rows: number; inserted: number }[] }
    expect(listed.value.map((i) => [i.fileName, i.format, i.rows, i.inserted])).toEqual([
      ['ledgers.csv', 'kraken', 8, 8],
      ['first.csv', 'generic', 3, 3],
    ])
    const held = async () => {
      const view = (await invoke('portfolio.summary', { account: 'Undo me', period: 'all' })) as { ok: true; value: { positions: { asset: string; amount: string }[] } }
      return Object.fromEntries(view.value.positions.filter((p) => p.amount !== '0').map((p) => [p.asset, p.amount]))
    }
    expect(await held()).toMatchObject({ SOL: '0.49', DOT: '100.256734' })
    expect(await invoke('portfolio.removeImport', { id: listed.value[0]!.id })).toEqual({ ok: true, value: { account: 'Undo me', fileName: 'ledgers.csv', removed: 8 } })
    expect(entries('Undo me')).toBe(3)
    // The live view starts again from the ledger as it now is: only the first file's BTC and USDT.
    expect(await held()).toEqual({ BTC: '0.04995', USDT: '8246' })
    expect(await invoke('portfolio.removeImport', { id: listed.value[0]!.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await invoke('portfolio.removeImport', { id: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    // The same file again comes back whole.
    expect(await invoke('portfolio.import', { account: 'Undo me', format: 'kraken', fileName: 'ledgers.csv', text: kraken })).toMatchObject({ ok: true, value: { inserted: 8 } })
  })

  it('refuses to remove an import of another account than the one the dialog showed it under', async () => {
    expect(await invoke('portfolio.import', { account: 'Shown', format: 'generic', fileName: 'mine.csv', text: CSV })).toMatchObject({ ok: true })
    const listed = (await invoke('portfolio.imports', { account: 'Shown' })) as { ok: true; value: { id: number }[] }
    const id = listed.value[0]!.id
    expect(await invoke('portfolio.removeImport', { id, account: 'Elsewhere' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('nothing was changed') } })
    expect(entries('Shown')).toBe(3)
    expect(await invoke('portfolio.removeImport', { id, account: 'Shown' })).toMatchObject({ ok: true, value: { fileName: 'mine.csv', removed: 3 } })
  })

  it('finds an import’s entries by index, not by reading the whole ledger', () => {
    // Taking a file out, and the foreign-key check when an all-duplicate sync page drops its import row:
    // each scanned every ledger row before (about 0.2 s at a million rows).
    const plan = (sql: string) => (core.store.sqlite.prepare(`explain query plan ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ')
    expect(plan('delete from ledger_entries where import_id = 1')).toContain('USING COVERING INDEX ledger_entries_import_idx')
    expect(plan('select 1 from ledger_entries where import_id = 1')).toContain('ledger_entries_import_idx')
  })

  it('does not remove the history of an account the app keeps itself', async () => {
    const l = { kind: 'deposit', account: 'sim', timestamp: Date.UTC(2024, 0, 1), asset: 'USDT', amount: '5', fee: null, source: 'venue', externalId: 'sync-1' } as const
    const { importId } = core.portfolio.importBatch([l], { account: 'sim', format: 'ccxt' })
    const reply = await invoke('portfolio.removeImport', { id: importId! })
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('keeps itself') } })
    expect(await invoke('portfolio.imports', { account: 'sim' })).toMatchObject({ ok: true, value: [{ id: importId, format: 'ccxt' }] })
  })
})

describe('portfolio.accounts', () => {
  it('lists ledger accounts with labels, counts, first/last times; only exchange accounts can sync', async () => {
    const reply = await invoke('portfolio.accounts', {})
    expect(reply.ok).toBe(true)
    if (!reply.ok) return
    const list = reply.value as LedgerAccountView[]
    expect(list.find((a) => a.account === 'Old wallet')).toEqual({
      account: 'Old wallet',
      label: 'Old wallet',
      kind: 'import',
      entries: 3,
      firstAt: Date.parse('2024-01-01T00:00:00Z'),
      lastAt: 1704448800000,
      canSync: false,
      sync: null,
      historyStart: null,
    })
    // the simulated exchange's paper account enters the ledger with its opening balances
    expect(list.find((a) => a.account === 'sim')).toMatchObject({ label: 'Simulated exchange', kind: 'sim', canSync: false, sync: null })
    const reply2 = await invoke('portfolio.sync', { account: 'Old wallet' })
    expect(reply2).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })

  it('refuses a "history from" in the future or before Bitcoin, saying which', async () => {
    const future = await invoke('portfolio.sync', { account: 'Old wallet', since: Date.now() + 86_400_000 })
    expect(future).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(JSON.stringify(future)).toMatch(/since.*not in the future/)
    const ancient = await invoke('portfolio.sync', { account: 'Old wallet', since: Date.UTC(2008, 0, 1) })
    expect(JSON.stringify(ancient)).toMatch(/since.*after 2009-01-03/)
    const fraction = await invoke('portfolio.sync', { account: 'Old wallet', since: 1.5e12 + 0.5 })
    expect(fraction).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })
})

describe('portfolio.entries', () => {
  type Page = { ok: true; value: { entries: LedgerEntryView[]; more: boolean } }
  const page = async (input: Record<string, unknown>) => (await invoke('portfolio.entries', { account: 'Look inside', ...input })) as Page

  it('lists an account’s entries newest first as stored, filtered by kind or asset, a page at a time with no entry twice', async () => {
    expect(await invoke('portfolio.import', { account: 'Look inside', format: 'kraken', fileName: 'ledgers.csv', text: readCsvFixture('kraken-ledgers.csv') })).toMatchObject({ ok: true })
    const all = await page({})
    expect(all.value.more).toBe(false)
    expect(all.value.entries).toHaveLength(8)
    const times = all.value.entries.map((e) => e.timestamp)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    // Income with the file's own words.
    expect((await page({ kind: 'income' })).value.entries.map((e) => [e.base, e.amount, e.memo])).toEqual([
      ['ETH', '0.0012', 'staking'],
      ['USDC', '1.1234', 'earn (reward)'],
      ['DOT', '0.256734', 'staking'],
    ])
    const trade = (await page({ kind: 'trade' })).value.entries.find((e) => e.symbol === 'BTC/USD')
    // Kraken's ledger states both sides of a trade, its 10.66 USD fee folded into the USD side.
    expect(trade).toMatchObject({ side: 'buy', amount: '0.1', total: '4110.66', quoteAmount: '4110.66', fee: null, source: 'csv', importId: expect.any(Number) })
    // Without a stated total the engine gives amount × price, exactly (the file imported above into "Old wallet").
    expect((await page({ account: 'Old wallet', kind: 'trade' })).value.entries.map((e) => [e.side, e.amount, e.price, e.quoteAmount, e.fee])).toEqual([
      ['sell', '0.05', '45000', '2250', { asset: 'BTC', amount: '0.00005' }],
      ['buy', '0.1', '40000', '4000', { asset: 'USDT', amount: '4' }],
    ])
    // An asset filter finds it wherever it moves (here DOT: a deposit and a reward); lower case is read as the code.
    expect((await page({ asset: 'dot' })).value.entries.map((e) => e.kind)).toEqual(['income', 'deposit'])
    // Pages of 3: each continues after the last one shown, and together they are the whole list.
    const seen: number[] = []
    let before: { timestamp: number; id: number } | undefined
    for (let i = 0; i < 5; i++) {
      const p = await page({ limit: 3, ...(before ? { before } : {}) })
      seen.push(...p.value.entries.map((e) => e.id))
      const last = p.value.entries.at(-1)
      if (!p.value.more || !last) break
      before = { timestamp: last.timestamp, id: last.id }
    }
    expect(seen).toEqual(all.value.entries.map((e) => e.id))
  })

  it('refuses a bad query, saying which field', async () => {
    expect(JSON.stringify(await page({ limit: 0 }))).toMatch(/limit/)
    expect(JSON.stringify(await page({ asset: 'ET H' }))).toMatch(/an asset code like/)
    expect(JSON.stringify(await page({ kind: 'gift' }))).toMatch(/kind/)
    expect(await page({ before: { timestamp: 1, id: 0 } })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(await page({ account: 'nobody here' })).toEqual({ ok: true, value: { entries: [], more: false } })
  })
})

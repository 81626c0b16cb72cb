import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import type { ImportResultView, LedgerAccountView } from '../../src-main/api/schemas/portfolio'
import { tempCore } from '../support/temp-core'
import { readCsvFixture } from '../support/import-fixtures'

// portfolio.import and portfolio.accounts through the contract: the CLI's parsers on the given text, all or
// nothing with the line named; the ledger's accounts with their labels and whether they can sync.

const ctx = { door: 'test' } as const
let core: Core

const CSV = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-01-01T00:00:00Z,deposit,USDT,,,,10000,,,dep-1',
  '2024-01-02T09:00:00+01:00,trade,BTC,USDT,buy,40000,0.1,4,USDT,t-1',
  '1704448800000,trade,BTC,USDT,sell,45000,0.05,0.00005,BTC,',
].join('\n')

async function invoke(name: string, input: unknown) {
  return core.router.invoke(name, input, ctx)
}

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
    expect(reply).toMatchObject({ ok: true, value: { layout: 'ledgers', rows: 16, inserted: 7, skipped: { trade: 2, 'earn (allocation)': 2, 'transfer (spottostaking)': 1 } } })
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

  it('refuses the names of accounts the app keeps itself', async () => {
    for (const account of ['sim', 'sim:trader:x', 'paper:1']) {
      const reply = await invoke('portfolio.import', { account, format: 'generic', fileName: 'a.csv', text: CSV })
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    }
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
    })
    // the simulated exchange's paper account enters the ledger with its opening balances
    expect(list.find((a) => a.account === 'sim')).toMatchObject({ label: 'Paper (simulated)', kind: 'sim', canSync: false, sync: null })
    const reply2 = await invoke('portfolio.sync', { account: 'Old wallet' })
    expect(reply2).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
  })
})

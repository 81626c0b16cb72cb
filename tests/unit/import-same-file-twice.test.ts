import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { choiceForFile, initialChoice, overlapWarning, proposeAccount, type ImportOverlap } from '../../src-renderer/features/portfolio/importChoice'
import { suggestAccountName } from '../../src-renderer/features/portfolio/portfolioModel'

// The same Binance export downloaded twice ("Binance-Trades.csv", then "Binance-Trades (1).csv"): the
// dialog proposed a second account for the second copy, and importing it counted every trade twice. Now
// the engine tells which import account already holds the file's rows, the dialog proposes that account,
// and warns before the rows go into another one.

const UTC = [
  'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
  '2024-03-01 00:30:00,BTCUSDT,BUY,"42,000.00",0.50000000BTC,"21,000.00000000USDT",0.00050000BTC',
  '2024-03-02 10:00:00,BTCUSDT,SELL,"43,000.00",0.10000000BTC,"4,300.00000000USDT",4.30000000USDT',
].join('\n')
const OTHER = [
  'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
  '2024-04-01 00:30:00,ETHUSDT,BUY,"3,000.00",1.00000000ETH,"3,000.00000000USDT",0.00100000ETH',
].join('\n')

const ctx = { door: 'test' } as const
let core: Core
const { call: invoke } = contractCalls(() => core, ctx)

beforeAll(() => {
  core = tempCore()
})
afterAll(async () => {
  await core.stop()
})

describe('the same export imported twice under different file names', () => {
  it('drops the browser’s numbering from the proposed account name', () => {
    expect(suggestAccountName('Binance-Trades (1).csv')).toBe('import:Binance-Trades')
    expect(suggestAccountName('Binance-Trades (12).csv')).toBe('import:Binance-Trades')
    expect(suggestAccountName('Binance-Trades-1.csv')).toBe('import:Binance-Trades')
    // A year or a month in the name is not a copy's number.
    expect(suggestAccountName('binance-2024.csv')).toBe('import:binance-2024')
    expect(suggestAccountName('binance-2024-1.csv')).toBe('import:binance-2024-1')
  })

  it('the engine names the import account holding the rows; the dialog proposes it and warns before another', async () => {
    expect(await invoke('portfolio.import', { account: 'import:Binance-Trades', format: 'binance', fileName: 'Binance-Trades.csv', text: UTC })).toMatchObject({ ok: true, value: { inserted: 2 } })
    expect(await invoke('portfolio.import', { account: 'Binance 2023', format: 'binance', fileName: 'other.csv', text: OTHER })).toMatchObject({ ok: true, value: { inserted: 1 } })

    const stored = () => (core.store.sqlite.prepare('select count(*) as n from ledger_entries').get() as { n: number }).n
    const before = stored()
    const check = await invoke('portfolio.importCheck', { format: 'binance', fileName: 'Trades copy.csv', text: UTC })
    expect(check).toEqual({ ok: true, value: [
      { account: 'import:Binance-Trades', rows: 2, sampled: 2, already: 2 },
      { account: 'Binance 2023', rows: 2, sampled: 2, already: 0 },
    ] })
    if (!check.ok) return
    const overlaps = check.value as ImportOverlap[]

    // Picked under a name of its own, the account the rows are in is proposed instead.
    const picked = choiceForFile(initialChoice, 'Trades copy.csv', UTC)
    expect(picked.account).toBe('import:Trades copy')
    expect(proposeAccount(picked, overlaps).account).toBe('import:Binance-Trades')
    // A name the user typed stays.
    expect(proposeAccount({ ...picked, account: 'Mine' }, overlaps).account).toBe('Mine')
    // A Binance export none of whose rows is stored yet (the next quarter) goes to the Binance account.
    expect(proposeAccount(picked, [{ account: 'Binance 2023', rows: 2, sampled: 2, already: 0 }]).account).toBe('Binance 2023')
    // A generic file none of whose rows is stored keeps its own name: another generic import may be any other source.
    const generic = { ...initialChoice, account: 'import:wallet', suggested: 'import:wallet', format: 'generic' as const, chosenFormat: 'generic' as const }
    expect(proposeAccount(generic, [{ account: 'import:exchange-x', rows: 3, sampled: 3, already: 0 }]).account).toBe('import:wallet')
    expect(proposeAccount(generic, [{ account: 'import:exchange-x', rows: 3, sampled: 3, already: 3 }]).account).toBe('import:exchange-x')

    // Importing into another account: the dialog says where the rows are.
    expect(overlapWarning(overlaps, 'Mine')).toBe('2 of 2 rows are already in import:Binance-Trades — import there instead?')
    // Nothing to say when none of the rows is stored elsewhere.
    expect(overlapWarning([{ account: 'Binance 2023', rows: 2, sampled: 2, already: 0 }], 'Mine')).toBeNull()

    // The check reads only: nothing was stored, and the target account is left out of its answer.
    expect(stored()).toBe(before)
    const into = await invoke('portfolio.importCheck', { account: 'import:Binance-Trades', format: 'binance', fileName: 'x.csv', text: UTC })
    expect(into).toEqual({ ok: true, value: [{ account: 'Binance 2023', rows: 2, sampled: 2, already: 0 }] })
  })

  it('a file that cannot be read is refused by the check as by the import', async () => {
    const reply = await invoke('portfolio.importCheck', { format: 'binance', fileName: 'bad.csv', text: `${UTC}\n2024-03-03 00:00:00,BTCUSDT,BUY,lots,0.1BTC,1USDT,0BTC` })
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^bad\.csv: line 4\b/) } })
  })
})

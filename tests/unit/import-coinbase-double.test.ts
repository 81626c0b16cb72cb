import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { parseExport } from '../../src-main/portfolio/import'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { AppError } from '../../src-main/api/errors'
import { rejected } from '../support/thrown'
import { migrationsDir, tempDir } from '../support/temp-core'

// The same Coinbase trades in two kinds of export must not count twice.

const PREAMBLE = 'Transactions\nUser,Jane Doe,5f1a0c2e9b\n'
const OLD = `${PREAMBLE}Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency,Spot Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes
2021-05-03T10:00:00Z,Buy,ETH,0.25,USD,2800.40,700.10,710.45,10.35,Bought 0.25 ETH
`
const NEW = `${PREAMBLE}ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes
608d8a3c2f1e4b0012345678,2021-05-03 10:00:00 UTC,Buy,ETH,0.25,USD,"$2,800.40",$700.10,$710.45,$10.35,Bought 0.25 ETH
`
const HISTORY = `${PREAMBLE}ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes
65a1b2c3d4e5f6a7b8c9d001,2024-02-01 08:00:00 UTC,Deposit,USD,5000,USD,$1.00,"$5,000.00","$5,000.00",$0.00,Deposit from bank
65a1b2c3d4e5f6a7b8c9d002,2024-02-01 09:00:00 UTC,Advanced Trade Buy,BTC,0.02,USD,"$43,000.00",$860.00,$863.44,$3.44,Bought 0.02 BTC
`
const FILLS = `portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit
default,1001,BTC-USD,BUY,2024-02-01T09:00:00.123Z,0.02,BTC,43000.00,3.44,-863.44,USD
`

let dir: string
let store: Store
let portfolio: PortfolioService
const importText = (account: string, text: string) => {
  const parsed = parseExport('coinbase', text, { account })
  return portfolio.importFile(parsed.entries, parsed.marks ?? [], { account, format: 'coinbase', fileName: 'x.csv' })
}
const trades = (account: string) => (store.sqlite.prepare("select count(*) as n from ledger_entries where account = ? and kind = 'trade'").get(account) as { n: number }).n

beforeEach(() => {
  dir = tempDir('co-cb-double-')
  store = openStore(dir, migrationsDir)
  portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('Coinbase exports of the same trades', () => {
  it('a 2021 report without IDs and today’s report with IDs store the trade once, either order', async () => {
    expect((await importText('a', OLD)).inserted).toBe(1)
    expect(await importText('a', NEW)).toMatchObject({ inserted: 0, duplicates: 1 })
    expect((await importText('b', NEW)).inserted).toBe(1)
    expect(await importText('b', OLD)).toMatchObject({ inserted: 0, duplicates: 1 })
    expect(trades('a')).toBe(1)
    // The report's ID stays with the trade, as its memo.
    expect(store.sqlite.prepare("select memo from ledger_entries where account = 'b'").pluck().get()).toContain('608d8a3c2f1e4b0012345678')
  })

  it('does not add again a report row stored by earlier versions under its ID', async () => {
    const [entry] = parseExport('coinbase', NEW, { account: 'old' }).entries
    portfolio.importBatch([{ ...entry!, externalId: '608d8a3c2f1e4b0012345678', memo: null, formerExternalId: null }], null)
    expect(await importText('old', NEW)).toMatchObject({ inserted: 0, duplicates: 1 })
    expect(trades('old')).toBe(1)
  })

  it('refuses the fills export over a history report’s Advanced Trade rows of the same time, and the other way round', async () => {
    await importText('cb', HISTORY)
    const err = await rejected(importText('cb', FILLS), AppError)
    expect(err.message).toMatch(/Advanced Trade/)
    expect(err.message).toContain('nothing was imported')
    expect(trades('cb')).toBe(1)
    await importText('cb2', FILLS)
    expect((await rejected(importText('cb2', HISTORY), AppError)).message).toMatch(/fills/)
    expect(trades('cb2')).toBe(1)
  })
})

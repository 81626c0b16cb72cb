import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { parseExport } from '../../src-main/portfolio/import'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { AppError } from '../../src-main/api/errors'
import { rejected } from '../support/thrown'
import { migrationsDir, tempDir } from '../support/temp-core'

// A Coinbase Advanced fills export of a busy account (150,000 fills, a year of a bot's trading): the check
// that its fills do not overlap a history report's Advanced Trade rows took the earliest and latest time
// with Math.min(...times), which overflows the stack past ~120,000 values — the import failed with
// "Maximum call stack size exceeded" instead of importing, or of saying which rows overlap.

const PREAMBLE = 'Transactions\nUser,Jane Doe,5f1a0c2e9b\n'
const HISTORY = `${PREAMBLE}ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes
65a1b2c3d4e5f6a7b8c9d002,2024-02-01 09:00:00 UTC,Advanced Trade Buy,BTC,0.02,USD,"$43,000.00",$860.00,$863.44,$3.44,Bought 0.02 BTC
`
const FILL = `portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit
default,1001,BTC-USD,BUY,2024-02-01T09:00:00.123Z,0.02,BTC,43000.00,3.44,-863.44,USD
`
const FILLS = 150_000

let dir: string
let store: Store
let portfolio: PortfolioService

beforeEach(() => {
  dir = tempDir('co-cb-many-')
  store = openStore(dir, migrationsDir)
  portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** The fills export's entries: one fill a minute around the history report's trade. */
function manyFills(account: string): LedgerEntryInput[] {
  const [fill] = parseExport('coinbase', FILL, { account }).entries
  return Array.from({ length: FILLS }, (_, i) => ({ ...fill!, timestamp: fill!.timestamp + (i - FILLS / 2) * 60_000, externalId: `f${i}` }))
}

describe('a Coinbase fills export of 150,000 fills', () => {
  it('is refused over a history report’s Advanced Trade row of its time, naming why, with nothing stored', async () => {
    const history = parseExport('coinbase', HISTORY, { account: 'cb' })
    await portfolio.importFile(history.entries, history.marks ?? [], { account: 'cb', format: 'coinbase', fileName: 'history.csv' })
    const err = await rejected(portfolio.importFile(manyFills('cb'), [], { account: 'cb', format: 'coinbase', fileName: 'fills.csv' }), AppError)
    expect(err.message).toMatch(/already holds 1 trade from a transaction history report .* \(from 2024-02-01T09:00:00\.000Z\)/)
    expect(err.message).toContain('nothing was imported')
    expect(store.sqlite.prepare("select count(*) from ledger_entries where account = 'cb'").pluck().get()).toBe(1)
  })
})

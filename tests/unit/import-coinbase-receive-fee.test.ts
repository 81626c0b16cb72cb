import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { PortfolioService } from '../../src-main/portfolio/service'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempDir } from '../support/temp-core'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { importError } from '../support/import-fixtures'

// A Coinbase Receive usually has no fee ($0.00 or empty). When its Fees column does state one, it is valued
// in the spot currency but was taken in the coin received: no payment in USD ever left the account.
const HEADER =
  'ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes'
const BUY = 'b1,2024-03-01 10:00:00 UTC,Buy,ETH,1,USD,"$2,000.00","$2,000.00","$2,010.00",$10.00,Bought 1 ETH for 2010 USD'
const file = (row: string) => `Transactions\nUser,Jane,x\n${HEADER}\n${BUY}\n${row}\n`

function holdings(text: string) {
  const { entries, marks } = parseExport('coinbase', text, { account: 'cb' })
  const result = computePortfolio({ entries, marks: marks ?? [], reportingCurrency: 'USD', at: Date.parse('2024-04-01T00:00:00Z') })
  const of = (asset: string) => result.positions.find((p) => p.asset === asset)
  return { entries, eth: of('ETH'), usd: of('USD') }
}

describe('Coinbase Receive: a fee, when stated, is taken in the coin received', () => {
  it('the usual Receive ($0.00 fee) is a deposit of the quantity with no fee', () => {
    const { entries, eth, usd } = holdings(file('r1,2024-03-02 10:00:00 UTC,Receive,ETH,0.5,USD,"$2,400.00","$1,200.00","$1,200.00",$0.00,Received 0.5 ETH from an external account'))
    expect(entries[1]).toMatchObject({ kind: 'deposit', asset: 'ETH', amount: '0.5', fee: null })
    expect(eth?.amount).toBe('1.5')
    expect(usd?.amount).toBe('-2010')
  })

  it('a fee with Total = Subtotal: the quantity is what was credited; the fee, $1.20 ÷ $2,400 = 0.0005 ETH, came out before', () => {
    const { entries, eth, usd } = holdings(file('r1,2024-03-02 10:00:00 UTC,Receive,ETH,0.5,USD,"$2,400.00","$1,200.00","$1,200.00",$1.20,Received 0.5 ETH from an external account'))
    expect(entries[1]).toMatchObject({ kind: 'deposit', asset: 'ETH', amount: '0.5005', fee: { asset: 'ETH', amount: '0.0005' } })
    expect(eth?.amount).toBe('1.5')
    // Only the buy's $2,010 left in USD: no $1.20 payment.
    expect(usd?.amount).toBe('-2010')
  })

  it('a fee with Total = Subtotal − fee: the fee came out of the quantity', () => {
    const { entries, eth, usd } = holdings(file('r1,2024-03-02 10:00:00 UTC,Receive,ETH,0.5,USD,"$2,400.00","$1,200.00","$1,198.80",$1.20,'))
    expect(entries[1]).toMatchObject({ kind: 'deposit', asset: 'ETH', amount: '0.5', fee: { asset: 'ETH', amount: '0.0005' } })
    expect(eth?.amount).toBe('1.4995')
    expect(usd?.amount).toBe('-2010')
  })

  it('refuses a Receive whose Total fits no reading, naming the line and the column', () => {
    expect(importError('coinbase', file('r1,2024-03-02 10:00:00 UTC,Receive,ETH,0.5,USD,"$2,400.00","$1,200.00","$1,150.00",$1.20,'))).toMatchObject({
      line: 5, column: 'Total (inclusive of fees and/or spread)', message: expect.stringContaining('fee'),
    })
  })

  it('a fiat Deposit keeps its fee in its own currency', () => {
    const { entries } = holdings(file('d1,2024-03-02 10:00:00 UTC,Deposit,USD,500,USD,$1.00,$500.00,$500.00,$1.50,'))
    expect(entries[1]).toMatchObject({ kind: 'deposit', asset: 'USD', amount: '500', fee: { asset: 'USD', amount: '1.5' } })
  })
})

describe('a Receive stored with its fee in USD by earlier versions', () => {
  const RECEIVE = 'r1,2024-03-02 10:00:00 UTC,Receive,ETH,0.5,USD,"$2,400.00","$1,200.00","$1,200.00",$1.20,Received 0.5 ETH'
  let dir: string
  let store: Store
  let portfolio: PortfolioService
  beforeEach(() => {
    dir = tempDir('co-cb-receive-former-')
    store = openStore(dir, migrationsDir)
    portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  })
  afterEach(() => {
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const importEntries = (entries: readonly LedgerEntryInput[]) => portfolio.importFile(entries, [], { account: 'cb', format: 'coinbase', fileName: 'history.csv' })

  it('is not added again when the file is imported again', async () => {
    const entries = parseExport('coinbase', file(RECEIVE), { account: 'cb' }).entries
    const old = entries.map((e) => {
      if (e.kind !== 'deposit') return e
      const { formerBooking: _drop, ...rest } = e
      return { ...rest, amount: '0.5', fee: { asset: 'USD', amount: '1.2' } }
    })
    expect(await importEntries(old)).toMatchObject({ inserted: 2 })
    expect(await importEntries(entries)).toMatchObject({ inserted: 0, duplicates: 2 })
  })
})

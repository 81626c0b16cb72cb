import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { parseExport } from '../../src-main/portfolio/import'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempDir } from '../support/temp-core'

// Earlier versions booked a Coinbase Send's network fee as a payment in USD. The same report row now books
// it in the coin, so it hashes differently: re-importing a file stored back then must not add its Sends again.

const HEADER =
  'ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes'
const BUY = 'b1,2024-03-01 10:00:00 UTC,Buy,ETH,1,USD,"$2,000.00","$2,000.00","$2,010.00",$10.00,Bought 1 ETH'
const SEND = 's1,2024-03-02 10:00:00 UTC,Send,ETH,-0.5,USD,"$2,400.00","$1,200.00","$1,206.00",$6.00,Sent 0.5 ETH'
// Two Sends alike in all the old booking kept (same time, quantity and USD fee), at different prices.
const TWIN_A = 's2,2024-03-03 10:00:00 UTC,Send,ETH,-0.1,USD,"$2,000.00",$200.00,$200.00,$2.00,'
const TWIN_B = 's3,2024-03-03 10:00:00 UTC,Send,ETH,-0.1,USD,"$2,500.00",$250.00,$250.00,$2.00,'
const FILE = `Transactions\nUser,Jane,x\n${HEADER}\n${BUY}\n${SEND}\n${TWIN_A}\n${TWIN_B}\n`

let dir: string
let store: Store
let portfolio: PortfolioService
const parse = () => parseExport('coinbase', FILE, { account: 'cb' })
const importEntries = (entries: readonly LedgerEntryInput[]) => portfolio.importFile(entries, [], { account: 'cb', format: 'coinbase', fileName: 'history.csv' })

/** What the version before the fix stored for the file: each Send's quantity sent, its Fees column a USD fee. */
function oldBooking(): LedgerEntryInput[] {
  const fees: Record<string, string> = { 'Send s1': '6', 'Send s2': '2', 'Send s3': '2' }
  const quantities: Record<string, string> = { 'Send s1': '0.5', 'Send s2': '0.1', 'Send s3': '0.1' }
  return parse().entries.map((e) => {
    const memo = e.memo ?? ''
    if (!(memo in fees)) return e
    const { formerBooking: _drop, ...rest } = e as LedgerEntryInput & { formerBooking?: unknown }
    return { ...rest, amount: quantities[memo]!, fee: { asset: 'USD', amount: fees[memo]! } } as LedgerEntryInput
  })
}

const eth = () => portfolio.compute({ reportingCurrency: 'USD' }).positions.find((p) => p.asset === 'ETH')?.amount
const withdrawals = () =>
  store.sqlite.prepare("select amount, fee_asset as feeAsset, fee_amount as feeAmount from ledger_entries where account = 'cb' and kind = 'withdrawal' order by id").all()

beforeEach(() => {
  dir = tempDir('co-cb-send-former-')
  store = openStore(dir, migrationsDir)
  portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('Coinbase Sends stored with the fee in USD by earlier versions', () => {
  it('re-importing the same file adds none of them again; the stored rows stay as they were', async () => {
    expect(await importEntries(oldBooking())).toMatchObject({ inserted: 4 })
    const before = { eth: eth(), rows: withdrawals() }
    // 1 − 0.5 − 0.1 − 0.1 ETH, the fees having left as USD.
    expect(before.eth).toBe('0.3')

    expect(await importEntries(parse().entries)).toMatchObject({ inserted: 0, duplicates: 4 })
    expect(eth()).toBe(before.eth)
    expect(withdrawals()).toEqual(before.rows)
    expect(withdrawals()).toHaveLength(3)
  })

  it('two Sends the old booking could not tell apart count as two: one stored, the other is added', async () => {
    // An earlier file had only the first of them.
    expect(await importEntries(oldBooking().filter((e) => e.memo !== 'Send s3'))).toMatchObject({ inserted: 3 })
    expect(await importEntries(parse().entries)).toMatchObject({ inserted: 1, duplicates: 3 })
    expect(withdrawals()).toHaveLength(3)
  })

  it('removing that import and importing the file again books the fees in the coin', async () => {
    const old = await importEntries(oldBooking())
    expect(portfolio.removeImport(old.importId!)).not.toBeNull()
    expect(await importEntries(parse().entries)).toMatchObject({ inserted: 4 })
    // 1 − 0.5 − 0.0025 (fee on top) − 0.1 − 0.1 (fees inside the quantities).
    expect(eth()).toBe('0.2975')
    expect(withdrawals()).toEqual([
      { amount: '0.5', feeAsset: 'ETH', feeAmount: '0.0025' },
      { amount: '0.099', feeAsset: 'ETH', feeAmount: '0.001' },
      { amount: '0.0992', feeAsset: 'ETH', feeAmount: '0.0008' },
    ])
  })

  it('a file imported with the coin fee is still recognised on its own', async () => {
    expect(await importEntries(parse().entries)).toMatchObject({ inserted: 4 })
    expect(await importEntries(parse().entries)).toMatchObject({ inserted: 0, duplicates: 4 })
    expect(eth()).toBe('0.2975')
  })
})

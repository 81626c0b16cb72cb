import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// German reports take a sale's cost from its own wallet's coins unless the user chooses one pool: the BMF
// letter of 10 May 2022 (Rz. 61) applies FIFO wallet by wallet.

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

function trade(side: 'buy' | 'sell', amount: string, price: string, iso: string, account: string): LedgerEntryInput {
  return { kind: 'trade', account, timestamp: Date.parse(iso), symbol: 'BTC/EUR', base: 'BTC', quote: 'EUR', side, price, amount, fee: null, source: 'csv', externalId: null }
}

// Wallet A: 1 BTC bought January 2023 at 10,000, never moved. Wallet B: 1 BTC bought March 2024 at 60,000, sold June 2024 at 65,000.
const entries = [
  trade('buy', '1', '10000', '2023-01-10T12:00:00+01:00', 'A'),
  trade('buy', '1', '60000', '2024-03-10T12:00:00+01:00', 'B'),
  trade('sell', '1', '65000', '2024-06-10T12:00:00+02:00', 'B'),
]

const lineView = (r: TaxReport) => r.lines.map((l) => [l.account, new Date(l.acquiredAt ?? 0).toISOString().slice(0, 10), l.cost, l.gain, l.term])

describe('tax report: Germany, wallet by wallet by default', () => {
  it('a sale in wallet B takes B’s coins, held under a year: a taxable private sale', () => {
    const r = report(entries, { jurisdiction: 'de', year: 2024 })
    expect(r.pooling).toBe('per-account')
    expect(lineView(r)).toEqual([['B', '2024-03-10', '60000.00', '5000.00', 'short']])
    expect(r.summary.taxable).toBe('5000.00')
    expect(r.summary.notes[0]).toMatch(/account by account/)
  })

  it('one pool across the wallets when the user chooses it', () => {
    const r = report(entries, { jurisdiction: 'de', year: 2024, pooling: 'universal' })
    expect(r.pooling).toBe('universal')
    expect(lineView(r)).toEqual([['B', '2023-01-10', '10000.00', '55000.00', 'long']])
    expect(r.summary.taxable).toBe('0.00')
    expect(r.summary.notes).toContainEqual(expect.stringMatching(/wallet by wallet \(BMF letter of 10 May 2022, Rz\. 61\): this report pools all accounts as you asked/))
  })
})

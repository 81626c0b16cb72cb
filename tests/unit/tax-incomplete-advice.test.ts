import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// The Incomplete banner says what could not be valued — trades or income — and what would value it: a price
// of that asset, and the ECB's or the Bank of England's rates only where the report is in euros or pounds.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

const l = ledger('acct')
const income = (amount: string, iso: string): LedgerEntryInput => ({ ...l.deposit('DOT', amount), kind: 'income', timestamp: at(iso) })

describe('tax report: what the Incomplete banner says', () => {
  it('US staking rewards with no price are income receipts, and the advice is a DOT price, not ECB rates', () => {
    const r = report([income('10', '2024-03-01T12:00:00Z'), income('5', '2024-04-01T12:00:00Z'), { ...l.sell('DOT/USDT', '15', '8'), timestamp: at('2024-06-01T12:00:00Z') }], { jurisdiction: 'us', year: 2024 })
    const text = r.summary.incomplete ?? ''
    expect(text).toMatch(/^Incomplete: 2 income receipts of DOT could not be valued in USD/)
    expect(text).not.toMatch(/trades? could not/)
    expect(text).toContain('date,DOT,USD,rate')
    expect(text).not.toMatch(/ECB|Bank of England/)
  })

  it('an income receipt and a trade of the same coin are counted apart', () => {
    const r = report([income('10', '2024-03-01T12:00:00Z'), { ...l.buy('ETH/DOT', '1', '100'), timestamp: at('2024-03-02T12:00:00Z') }], { jurisdiction: 'us', year: 2024 })
    expect(r.summary.incomplete).toMatch(/1 trade could not be valued in USD/)
    expect(r.summary.incomplete).toMatch(/1 income receipt of DOT could not be valued in USD/)
  })

  it('a EUR report short of rates names the ECB’s; a GBP one the Bank of England’s', () => {
    const trades = [{ ...l.buy('BTC/USDT', '1', '44000'), timestamp: at('2024-05-10T12:00:00Z') }, { ...l.sell('BTC/USDT', '1', '55000'), timestamp: at('2024-06-10T12:00:00Z') }]
    expect(report(trades, { jurisdiction: 'de', year: 2024 }).summary.incomplete).toMatch(/ECB/)
    const uk = report(trades, { jurisdiction: 'uk', year: 2024 }).summary.incomplete ?? ''
    expect(uk).toMatch(/Bank of England/)
    expect(uk).not.toMatch(/ECB/)
  })
})

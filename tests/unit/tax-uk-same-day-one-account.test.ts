import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// UK: all of a day's disposals of an asset are one disposal, in every account of the person's. A report of
// one of those accounts still shows its own sale of that day: its units and proceeds, with its share of
// the day's cost.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

function trade(side: 'buy' | 'sell', amount: string, price: string, iso: string, account: string): LedgerEntryInput {
  return { kind: 'trade', account, timestamp: at(iso), symbol: 'BTC/GBP', base: 'BTC', quote: 'GBP', side, price, amount, fee: null, source: 'csv', externalId: null }
}

describe('UK one-account report: a day with sales in two accounts', () => {
  const entries = [
    trade('buy', '1', '20000', '2024-05-01T12:00:00Z', 'A'),
    trade('buy', '3', '40000', '2024-05-02T12:00:00Z', 'B'),
    trade('sell', '1', '50000', '2024-06-10T09:00:00Z', 'A'),
    trade('sell', '2', '50000', '2024-06-10T15:00:00Z', 'B'),
  ]

  it('the report over both holds one disposal of the day', () => {
    const all = report(entries, { jurisdiction: 'uk', year: 2024 })
    expect(all.summary.all).toEqual({ disposals: 1, proceeds: '150000.00', cost: '105000.00', gain: '45000.00' })
  })

  it("B's report holds B's sale of that day, at its share of the pooled cost", () => {
    const b = report(entries, { jurisdiction: 'uk', year: 2024, account: 'B' })
    expect(b.lines.map((l) => [l.account, l.amount, l.proceeds, l.cost, l.gain, l.rule])).toEqual([['B', '2', '100000.00', '70000.00', '30000.00', 'section-104']])
    const a = report(entries, { jurisdiction: 'uk', year: 2024, account: 'A' })
    expect(a.lines.map((l) => [l.account, l.amount, l.proceeds, l.cost, l.gain])).toEqual([['A', '1', '50000.00', '35000.00', '15000.00']])
  })
})

import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// UK: a sale matched with the same day's acquisitions takes its cost from all of that London day's, in any
// of the user's accounts; a one-account report keeps the warnings those acquisitions raised. The day is
// London's calendar day, 25 hours long when the clocks go back (26 October 2025): an acquisition in its
// last hour is that day's too.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

const trade = (account: string, side: 'buy' | 'sell', amount: string, iso: string): LedgerEntryInput => ({
  kind: 'trade', account, timestamp: at(iso), symbol: 'BTC/GBP', base: 'BTC', quote: 'GBP', side, price: '80000', amount, fee: null, source: 'csv', externalId: null,
})
const deposit = (account: string, iso: string): LedgerEntryInput => ({ kind: 'deposit', account, timestamp: at(iso), asset: 'BTC', amount: '1', fee: null, source: 'csv', externalId: null }) as LedgerEntryInput

describe('UK one-account report: warnings of the same-day acquisitions it takes its cost from', () => {
  it("keeps B's deposit warning from the last hour of a 25-hour London day", () => {
    const entries = [
      // 00:30 BST on 26 October: the day's first acquisition.
      trade('B', 'buy', '1', '2025-10-25T23:30:00Z'),
      trade('A', 'sell', '2', '2025-10-26T12:00:00Z'),
      // 23:45 GMT on 26 October, 24 h 15 min after the first: the same London day.
      deposit('B', '2025-10-26T23:45:00Z'),
    ]
    const all = report(entries, { jurisdiction: 'uk', year: 2025 })
    expect(all.lines.map((l) => [l.account, l.amount, l.rule])).toEqual([['A', '2', 'same-day']])
    const a = report(entries, { jurisdiction: 'uk', year: 2025, account: 'A' })
    expect(a.lines.map((l) => [l.amount, l.rule, l.cost])).toEqual([['2', 'same-day', '160000.00']])
    expect(a.warnings.filter((w) => w.kind === 'unmatched-deposit').map((w) => [w.account, w.asset, w.timestamp])).toEqual([['B', 'BTC', at('2025-10-26T23:45:00Z')]])
  })
})

import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { parseMoney } from '../../src-main/tax/money'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// UK: a day's sales in several accounts are one disposal. Each account's report shows its own part of it;
// the parts, to the penny, are the day's: the accounts' proceeds, costs and gains add up to the report over
// all of them, and each line's gain is its proceeds less its cost.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

function trade(side: 'buy' | 'sell', amount: string, price: string, iso: string, account: string): LedgerEntryInput {
  return { kind: 'trade', account, timestamp: at(iso), symbol: 'BTC/GBP', base: 'BTC', quote: 'GBP', side, price, amount, fee: null, source: 'csv', externalId: null }
}

const sum = (xs: string[]) => xs.reduce((s, x) => s + parseMoney(x), 0n)

describe("UK one-account reports: a day's parts add up to the day", () => {
  // A pool of 3 BTC that cost 100,000.00 (33,333.33⅓ each), sold a third in each account on one day, each
  // sale's proceeds ending in half a penny.
  const entries = [
    trade('buy', '3', '33333.333333333333333333', '2024-05-01T12:00:00Z', 'A'),
    trade('sell', '1', '50000.005', '2024-06-10T09:00:00Z', 'A'),
    trade('sell', '1', '50000.005', '2024-06-10T10:00:00Z', 'B'),
    trade('sell', '1', '50000.005', '2024-06-10T11:00:00Z', 'C'),
    // A buy-back in B within 30 days: part of the day is matched bed and breakfast, the rest from the pool.
    trade('buy', '0.5', '41000.003', '2024-06-20T12:00:00Z', 'B'),
  ]

  it('proceeds, cost and gain of A, B and C add up to the report over all of them', () => {
    const all = report(entries, { jurisdiction: 'uk', year: 2024 })
    expect(all.summary.all.disposals).toBe(1)
    const parts = ['A', 'B', 'C'].map((account) => report(entries, { jurisdiction: 'uk', year: 2024, account }))
    for (const p of parts) {
      expect(p.summary.all.disposals).toBe(1)
      for (const l of p.lines) expect(parseMoney(l.gain)).toBe(parseMoney(l.proceeds) - parseMoney(l.cost))
    }
    expect(sum(parts.map((p) => p.summary.all.proceeds))).toBe(parseMoney(all.summary.all.proceeds))
    expect(sum(parts.map((p) => p.summary.all.cost))).toBe(parseMoney(all.summary.all.cost))
    expect(sum(parts.map((p) => p.summary.all.gain))).toBe(parseMoney(all.summary.all.gain))
  })
})

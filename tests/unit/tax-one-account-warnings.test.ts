import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// A report of one account keeps the warnings its own lines rest on, wherever they arose: coins acquired
// without a price (or deposited with none) in account A, moved to B and sold there, make B's gain rest on
// an unknown cost, so B's report must say so. Another account's warnings its lines do not use stay out.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string, account: string): LedgerEntryInput {
  const [base, quote] = symbol.split('/') as [string, string]
  return { kind: 'trade', account, timestamp: at(iso), symbol, base, quote, side, price, amount, fee: null, source: 'csv', externalId: null }
}

function flow(kind: 'deposit' | 'withdrawal', asset: string, amount: string, iso: string, account: string): LedgerEntryInput {
  return { kind, account, timestamp: at(iso), asset, amount, fee: null, source: 'csv', externalId: null } as LedgerEntryInput
}

const cases = [
  { jurisdiction: 'us', quote: 'USD', year: 2025 },
  { jurisdiction: 'uk', quote: 'GBP', year: 2025 },
  { jurisdiction: 'de', quote: 'EUR', year: 2025 },
] as const

describe('tax report of one account: warnings of the coins it sold that arose in another account', () => {
  for (const { jurisdiction, quote, year } of cases) {
    it(`${jurisdiction}: an unpriced deposit in A, moved to B and sold there, is warned in B's report`, () => {
      const entries = [
        flow('deposit', 'SOL', '2', '2025-05-01T12:00:00Z', 'A'),
        // Never moved: its warning is A's alone.
        flow('deposit', 'DOT', '5', '2025-05-02T12:00:00Z', 'A'),
        flow('withdrawal', 'SOL', '2', '2025-06-01T12:00:00Z', 'A'),
        flow('deposit', 'SOL', '2', '2025-06-01T12:20:00Z', 'B'),
        trade('sell', `SOL/${quote}`, '2', '150', '2025-07-01T12:00:00Z', 'B'),
      ]
      const b = report(entries, { jurisdiction, year, account: 'B' })
      expect(b.lines.map((l) => [l.account, l.cost, l.gain])).toEqual([['B', '0.00', '300.00']])
      expect(b.warnings.filter((w) => w.kind === 'unpriced-deposit').map((w) => w.asset)).toEqual(['SOL'])
      expect(b.summary.incomplete).toMatch(/deposit of SOL could not be valued/)
      const a = report(entries, { jurisdiction, year, account: 'A' })
      expect(a.warnings.filter((w) => w.kind === 'unpriced-deposit').map((w) => w.asset).sort()).toEqual(['DOT', 'SOL'])
    })

    it(`${jurisdiction}: coins A had no record of acquiring, moved to B and sold there, are warned as without a cost basis in B's report`, () => {
      const entries = [
        trade('buy', `BTC/${quote}`, '1', '20000', '2025-05-01T12:00:00Z', 'A'),
        flow('withdrawal', 'BTC', '2', '2025-06-01T12:00:00Z', 'A'),
        flow('deposit', 'BTC', '2', '2025-06-01T12:20:00Z', 'B'),
        trade('sell', `BTC/${quote}`, '2', '50000', '2025-07-01T12:00:00Z', 'B'),
      ]
      const b = report(entries, { jurisdiction, year, account: 'B' })
      expect(b.lines.filter((l) => l.rule === 'no-cost-basis').map((l) => [l.account, l.amount, l.cost])).toEqual([['B', '1', '0.00']])
      expect(b.warnings.filter((w) => w.kind === 'missing-cost-basis').map((w) => [w.account, w.asset, w.amount])).toEqual([['B', 'BTC', '1']])
    })

    it(`${jurisdiction}: a trade in A that could not be valued, its coins sold from B, marks B's report incomplete`, () => {
      const entries = [
        // Neither XYZ nor (yet) BTC has a price: the BTC bought is valued at 0.
        trade('buy', 'BTC/XYZ', '1', '300000', '2025-05-01T12:00:00Z', 'A'),
        flow('withdrawal', 'BTC', '1', '2025-06-01T12:00:00Z', 'A'),
        flow('deposit', 'BTC', '1', '2025-06-01T12:20:00Z', 'B'),
        trade('sell', `BTC/${quote}`, '1', '50000', '2025-07-01T12:00:00Z', 'B'),
      ]
      const b = report(entries, { jurisdiction, year, account: 'B' })
      expect(b.lines.at(-1)?.unpriced).toBe(true)
      expect(b.warnings.some((w) => w.kind === 'unpriced-asset' && w.asset === 'XYZ')).toBe(true)
      expect(b.summary.incomplete).toMatch(/could not be valued in/)
    })
  }

  it('an account whose own warning is grouped with an earlier one of another account still shows its own', () => {
    const entries = [
      flow('deposit', 'SOL', '1', '2025-05-01T12:00:00Z', 'A'),
      flow('deposit', 'SOL', '3', '2025-05-03T12:00:00Z', 'B'),
      trade('sell', 'SOL/USD', '3', '150', '2025-07-01T12:00:00Z', 'B'),
    ]
    const b = report(entries, { jurisdiction: 'us', year: 2025, account: 'B' })
    const unpriced = b.warnings.filter((w) => w.kind === 'unpriced-deposit')
    expect(unpriced.map((w) => [w.account, w.amount, w.count ?? 1])).toEqual([['B', '3', 1]])
    const all = report(entries, { jurisdiction: 'us', year: 2025 })
    expect(all.warnings.filter((w) => w.kind === 'unpriced-deposit').map((w) => [w.amount, w.count ?? 1])).toEqual([['4', 2]])
  })
})

import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// German average cost pools every unit held across the user's accounts: a sale's cost is the pool's
// average, whichever units it is dated by. A deposit in another account with no price (zero cost) in that
// pool lowers the cost of a one-account report's sale, so that report must warn of it and be incomplete,
// as a UK Section 104 sale's is.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: (a) => a !== 'sim', now: 0 }).report
}

describe('DE average cost, one account: an unpriced deposit elsewhere in the pool', () => {
  const sol = (account: string, side: 'buy' | 'sell', price: string, iso: string): LedgerEntryInput => ({
    kind: 'trade', account, timestamp: at(iso), symbol: 'SOL/EUR', base: 'SOL', quote: 'EUR', side, price, amount: '1', fee: null, source: 'csv', externalId: null,
  })
  const entries: LedgerEntryInput[] = [
    // No SOL price known yet: counted at zero cost.
    { kind: 'deposit', account: 'A', timestamp: at('2025-04-01T12:00:00Z'), asset: 'SOL', amount: '1', fee: null, source: 'csv', externalId: null } as LedgerEntryInput,
    sol('B', 'buy', '100', '2025-05-01T12:00:00Z'),
    // A's sale takes the oldest unit's date (its deposit) at the pool's average, 50: the pool keeps 50 for B's unit.
    sol('A', 'sell', '150', '2025-06-01T12:00:00Z'),
    sol('B', 'buy', '100', '2025-06-02T12:00:00Z'),
    sol('B', 'sell', '150', '2025-07-01T12:00:00Z'),
  ]

  it("B's sale at the pool's average cost, lowered by A's deposit with no price, is warned and incomplete", () => {
    const b = report(entries, { jurisdiction: 'de', year: 2025, method: 'average', pooling: 'universal', account: 'B' })
    // The pool before B's sale: 2 SOL at 150 (100 + the 50 left by the deposit at 0), dated by B's purchase of 1 May.
    expect(b.lines.map((l) => [l.account, l.cost, l.acquiredAt])).toEqual([['B', '75.00', at('2025-05-01T12:00:00Z')]])
    expect(b.warnings.filter((w) => w.kind === 'unpriced-deposit').map((w) => [w.account, w.asset])).toEqual([['A', 'SOL']])
    expect(b.summary.incomplete).toMatch(/deposit of SOL could not be valued/)
  })
})

import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// A deposit of a coin no price is known for comes in at zero cost: its whole sale price is then gain. The
// report must say so, in those words, and count it as incomplete.

const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>): TaxReport {
  return buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

describe('tax report: a deposit with no price', () => {
  const l = ledger('acct')
  const entries: LedgerEntryInput[] = [
    { ...l.deposit('SOL', '2'), timestamp: at('2024-02-01T12:00:00Z') },
    { ...l.sell('SOL/USDT', '2', '150'), timestamp: at('2024-03-01T12:00:00Z') },
  ]

  for (const pooling of ['universal', 'per-account'] as const) {
    it(`is warned as unpriced, counted at zero cost, and the report is incomplete (${pooling})`, () => {
      const r = report(entries, { jurisdiction: 'us', year: 2024, pooling })
      expect(r.lines.map((x) => [x.asset, x.proceeds, x.cost, x.gain])).toEqual([['SOL', '300.00', '0.00', '300.00']])
      const unpriced = r.warnings.find((w) => w.kind === 'unpriced-deposit')
      expect(unpriced?.asset).toBe('SOL')
      expect(unpriced?.message).toMatch(/no USD price for SOL .*zero cost/)
      // The unmatched deposit's own warning no longer claims a value on arrival.
      const unmatched = r.warnings.find((w) => w.kind === 'unmatched-deposit')
      expect(unmatched?.message).toContain('at zero cost (no price known)')
      expect(unmatched?.message).not.toContain('value on arrival')
      expect(r.summary.incomplete).toMatch(/deposit of SOL could not be valued in USD/)
    })
  }
})

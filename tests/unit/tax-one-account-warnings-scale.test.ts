import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReportInput } from '../../src-main/api/schemas/tax'
import { oneAccountBesideWarnings } from '../bench/tax-one-account-workload'

// A one-account report keeps another account's warnings only when its lines take their cost from the
// entries they arose on (lines-warnings.ts). Its speed beside many such warnings (it once grew with the
// square of the ledger) is measured by the bench row tax.report.one-account, not here.

const N = 2_000

function report(input: Omit<TaxReportInput, 'lineLimit'>) {
  return buildTaxReport({ entries: oneAccountBesideWarnings(N), marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

describe("one account's report beside another account's many warnings", () => {
  it('has every one of its own sales and none of the other account’s warnings, which the report over all accounts has', () => {
    const all = report({ jurisdiction: 'us', year: 2025 })
    const b = report({ jurisdiction: 'us', year: 2025, account: 'B' })
    expect(b.lineCount).toBe(N)
    expect(b.warnings.filter((w) => w.account === 'A')).toEqual([])
    expect(all.warnings.some((w) => w.account === 'A' && w.kind === 'unmatched-deposit')).toBe(true)
  })
})

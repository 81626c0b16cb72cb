import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// A one-account report keeps another account's warnings only when its lines take their cost from the
// entries they arose on (lines-warnings.ts). Telling which must not cost a pass over every line per
// warning: an account with many sales beside another with many deposits took seconds more than the report
// over both (25,000 of each: about 10 times as long, growing with the square of the ledger).

const at = Date.UTC(2025, 0, 2, 12)
const N = 25_000

function entries(): LedgerEntryInput[] {
  const out: LedgerEntryInput[] = []
  const trade = (side: 'buy' | 'sell', t: number): LedgerEntryInput => ({
    kind: 'trade', account: 'B', timestamp: t, symbol: 'SOL/USD', base: 'SOL', quote: 'USD', side, price: side === 'buy' ? '1' : '2', amount: '1', fee: null, source: 'csv', externalId: null,
  })
  // A: deposits never withdrawn before (each warned as such), kept in A.
  for (let i = 0; i < N; i++) out.push({ kind: 'deposit', account: 'A', timestamp: at + i * 60_000, asset: 'SOL', amount: '1', fee: null, source: 'csv', externalId: null } as LedgerEntryInput)
  // B: its own lots, each sold in a sale of its own.
  for (let i = 0; i < N; i++) out.push(trade('buy', at + 30_000 + i * 60_000))
  for (let i = 0; i < N; i++) out.push(trade('sell', at + 40 * 86_400_000 + i * 60_000))
  return out
}

function timed(list: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>) {
  const start = performance.now()
  const report = buildTaxReport({ entries: list, marks: [], query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
  return { report, ms: performance.now() - start }
}

describe("one account's report beside another account's many warnings", () => {
  it('takes about as long as the report over all accounts, and keeps none of the other account’s warnings', () => {
    const list = entries()
    timed(list, { jurisdiction: 'us', year: 2025 }) // warm-up
    const all = timed(list, { jurisdiction: 'us', year: 2025 })
    const b = timed(list, { jurisdiction: 'us', year: 2025, account: 'B' })
    expect(b.report.lineCount).toBe(N)
    expect(b.report.warnings.filter((w) => w.account === 'A')).toEqual([])
    expect(all.report.warnings.some((w) => w.account === 'A' && w.kind === 'unmatched-deposit')).toBe(true)
    expect(b.ms).toBeLessThan(3 * all.ms + 200)
  }, 60_000)
})

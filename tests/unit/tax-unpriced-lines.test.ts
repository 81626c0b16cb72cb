import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { taxFile } from '../../src-main/tax/jobs'
import { formatTax } from '../../src-main/cli/tax-command'
import { warningWhen } from '../../src-renderer/features/tax/taxModel'
import { ledger } from './portfolio-support'

// ETH bought with ARB (no ARB price anywhere) on two days, one more ETH for USDT; all sold together. The two
// lines whose cost counts 0 for want of a price must be told from the priced one, in every place the report
// goes, and the warnings must say when they began.

const at = (iso: string) => Date.parse(iso)
const l = ledger('acct')
const entries: LedgerEntryInput[] = [
  { ...l.buy('ETH/ARB', '1', '2500'), timestamp: at('2024-03-05T12:00:00Z') },
  { ...l.buy('ETH/ARB', '1', '2600'), timestamp: at('2024-04-09T12:00:00Z') },
  { ...l.buy('ETH/USDT', '1', '3000'), timestamp: at('2024-05-10T12:00:00Z') },
  { ...l.sell('ETH/USDT', '3', '3500'), timestamp: at('2024-06-01T12:00:00Z') },
]
const built = buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }), includes: () => true, now: 0 })
const eth = built.report.lines.filter((x) => x.asset === 'ETH')

describe('tax report: lines valued without a price', () => {
  it('the lines of coins acquired through an unpriced trade are marked; the priced one is not', () => {
    expect(eth.map((x) => [x.cost, x.unpriced ?? false])).toEqual([
      ['0.00', true],
      ['0.00', true],
      ['3000.00', false],
    ])
  })

  it('the CSV says which lines, in a column after Form 8949’s', async () => {
    const file = await taxFile(built.report, built.allLines(), 'csv')
    const rows = parse(file.data.replace(/^\uFEFF/, '')) as string[][]
    const header = rows[0] as string[]
    expect(header.slice(0, 8)).toEqual(['Form 8949 part', 'Box', 'Description of property', 'Date acquired', 'Date sold or disposed of', 'Proceeds', 'Cost or other basis', 'Gain or (loss)'])
    const col = header.indexOf('Valued without a price')
    expect(col).toBe(header.length - 1)
    const ethRows = rows.slice(1).filter((r) => r[2]?.endsWith(' ETH'))
    expect(ethRows.map((r) => [r[6], r[col]])).toEqual([
      ['0.00', 'no price'],
      ['0.00', 'no price'],
      ['3000.00', ''],
    ])
  })

  it('the CLI and the Tax page give each warning’s first date and how many times', () => {
    const cli = formatTax({ report: built.report, written: null })
      .split('\n')
      .filter((x) => x.startsWith('warning: acct ARB'))
    expect(cli.length).toBeGreaterThan(0)
    for (const x of cli) expect(x).toMatch(/from 2024-03-05, 2 times/)
    const w = built.report.warnings.find((x) => x.kind === 'unpriced-asset')!
    expect(warningWhen(w, built.report.timeZone)).toBe('from 2024-03-05, 2 times')
  })
})

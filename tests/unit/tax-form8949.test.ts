import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { taxReportInputSchema, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { pdfText } from '../support/pdf-text'

// The US files say where each line goes on Form 8949: Part I (short term: held one year or less) or
// Part II (long term: more than one year, counted from the day after acquisition), and the box — C / F
// before 2025, I / L from 2025 (not reported to you on Form 1099-B / 1099-DA: the report is the user's own).
//
// 2024, FIFO, by hand:
//   bought 1 BTC on 10 Jan 2023 for 20,000, 1 on 15 Mar 2023 for 25,000, 1 on 1 Feb 2024 for 30,000
//   20 Feb 2024 sell 1 at 40,000: the 10 Jan 2023 lot, held more than a year: long, gain 20,000
//   15 Mar 2024 sell 1 at 26,000: the 15 Mar 2023 lot, held exactly one year: short, gain 1,000
//    1 Jun 2024 sell 0.5 at 32,000: half the 2024 lot (15,000): short, proceeds 16,000, gain 1,000
//   Part I (box C): proceeds 42,000, cost 40,000, gain 2,000; Part II (box F): 40,000, 20,000, 20,000.

const base = { account: 'acct', fee: null, source: 'csv', externalId: null } as const
const trade = (side: 'buy' | 'sell', amount: string, price: string, iso: string): LedgerEntryInput => ({
  ...base, kind: 'trade', timestamp: Date.parse(iso), symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount,
})
const ny = (day: string) => `${day}T12:00:00-05:00`

const entries2024 = [
  trade('buy', '1', '20000', ny('2023-01-10')),
  trade('buy', '1', '25000', ny('2023-03-15')),
  trade('buy', '1', '30000', ny('2024-02-01')),
  trade('sell', '1', '40000', ny('2024-02-20')),
  trade('sell', '1', '26000', ny('2024-03-15')),
  trade('sell', '0.5', '32000', ny('2024-06-01')),
]

async function files(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>) {
  const built = buildTaxReport({ entries, query: taxReportInputSchema.parse(input), includes: () => true, now: 0 })
  const csv = await taxFile(built.report, built.allLines(), 'csv')
  const pdf = await taxFile(built.report, built.allLines(), 'pdf')
  return { report: built.report, rows: parse(csv.data, { columns: true, bom: true }) as Record<string, string>[], pdf: await pdfText(Buffer.from(pdf.data, 'base64')) }
}

const cells = (rows: Record<string, string>[]) =>
  rows.map((r) => [r['Form 8949 part'], r['Box'], r['Description of property'], r['Date acquired'], r['Date sold or disposed of'], r['Proceeds'], r['Cost or other basis'], r['Gain or (loss)'], r['Term']])

describe('Form 8949: part and box of each US line', () => {
  it('2024: short-term lines (box C) first, then long-term (box F); a year to the day is still short term', async () => {
    const { report, rows } = await files(entries2024, { jurisdiction: 'us', year: 2024 })
    // The report itself stays in time order.
    expect(report.lines.map((l) => l.term)).toEqual(['long', 'short', 'short'])
    expect(cells(rows)).toEqual([
      ['I', 'C', '1 BTC', '03/15/2023', '03/15/2024', '26000.00', '25000.00', '1000.00', 'short'],
      ['I', 'C', '0.5 BTC', '02/01/2024', '06/01/2024', '16000.00', '15000.00', '1000.00', 'short'],
      ['II', 'F', '1 BTC', '01/10/2023', '02/20/2024', '40000.00', '20000.00', '20000.00', 'long'],
    ])
  })

  it('2025 on: digital assets have boxes of their own: I (short) and L (long); the day after the anniversary is long', async () => {
    const { report, rows } = await files(
      [
        trade('buy', '1', '30000', ny('2024-03-15')),
        trade('buy', '1', '35000', ny('2025-01-02')),
        trade('sell', '1', '40000', ny('2025-03-16')),
        trade('sell', '1', '34500', ny('2025-04-01')),
      ],
      { jurisdiction: 'us', year: 2025 },
    )
    expect(cells(rows)).toEqual([
      ['I', 'I', '1 BTC', '01/02/2025', '04/01/2025', '34500.00', '35000.00', '-500.00', 'short'],
      ['II', 'L', '1 BTC', '03/15/2024', '03/16/2025', '40000.00', '30000.00', '10000.00', 'long'],
    ])
    expect(report.summary.notes).toContainEqual(expect.stringContaining('under box I and box L (not reported to you on Form 1099-DA)'))
    expect(report.summary.notes).toContainEqual(expect.stringContaining('check the box against it (G or H for short term, J or K for long term)'))
  })

  it('the PDF groups the lines under Part I and Part II, each with its box and its totals', async () => {
    const { pdf } = await files(entries2024, { jurisdiction: 'us', year: 2024 })
    const partI = pdf.indexOf('Part I — Short-term (held one year or less)')
    const partII = pdf.indexOf('Part II — Long-term (held more than one year)')
    expect(partI).toBeGreaterThan(-1)
    expect(partII).toBeGreaterThan(partI)
    const first = pdf.slice(partI, partII)
    const second = pdf.slice(partII)
    expect(first).toContain('Box C: Short-term transactions not reported to you on Form 1099-B')
    expect(first).toMatch(/Part I totals \(2 lines\)\s*42,000\.00\s*40,000\.00\s*2,000\.00/)
    expect(first).not.toContain('20,000.00')
    expect(second).toContain('Box F: Long-term transactions not reported to you on Form 1099-B')
    expect(second).toMatch(/Part II totals \(1 line\)\s*40,000\.00\s*20,000\.00\s*20,000\.00/)
    expect(pdf).toContain('check the box against it')
  })

  it('UK and German files have no Form 8949 part', async () => {
    const { rows, pdf } = await files([trade('buy', '1', '20000', ny('2024-05-01')), trade('sell', '1', '21000', ny('2024-06-01'))], { jurisdiction: 'uk', year: 2024, timeZone: 'America/New_York' })
    expect(Object.keys(rows[0] ?? {})).not.toContain('Form 8949 part')
    expect(pdf).not.toContain('Part I')
  })
})

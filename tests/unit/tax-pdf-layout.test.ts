import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'
import { pdfTextItems, type PdfTextItem } from '../support/pdf-text'

// The PDF's disposal table with cells too long for one line: 18-decimal amounts, long asset and account
// names. Each row must stay whole on one page, wrapped lines must not run into the next row, and each page
// of the table starts with the column header.

const LINES = 120
const tag = (i: number) => String(i).padStart(4, '0')

function entries(): LedgerEntryInput[] {
  const t0 = Date.UTC(2024, 1, 1)
  const buy = { ...ledger('exchange').buy('LONGASSETNAMETOKEN/USDT', '1000', '1'), timestamp: t0 }
  const sells = Array.from({ length: LINES }, (_, i) => ({
    // The account's first and last words mark the row: the name wraps in its cell, so they land on two lines.
    ...ledger(`w${tag(i)} Ledger Nano X kept in the safe at home, the long-term cold storage e${tag(i)}`).sell('LONGASSETNAMETOKEN/USDT', `1.${String(123456789012345678n + BigInt(i))}`, '2'),
    timestamp: t0 + (i + 1) * 3_600_000,
  }))
  return [buy, ...sells]
}

async function pdfPages(): Promise<PdfTextItem[][]> {
  const built = buildTaxReport({ entries: entries(), marks: [], query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }), includes: () => true, now: 0 })
  const file = await taxFile(built.report, built.allLines(), 'pdf')
  return pdfTextItems(Buffer.from(file.data, 'base64'))
}

const overlaps = (a: PdfTextItem, b: PdfTextItem) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5

describe('tax PDF: the disposal table', () => {
  it('no text is drawn over other text, even where cells wrap', async () => {
    const pages = await pdfPages()
    const clashes: string[] = []
    pages.forEach((items, p) => {
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) if (overlaps(items[i]!, items[j]!)) clashes.push(`page ${p + 1}: "${items[i]!.str}" over "${items[j]!.str}"`)
      }
    })
    expect(clashes.slice(0, 5)).toEqual([])
  })

  it('each row stays on one page, with its account, and each page of the table starts with the header', async () => {
    const pages = await pdfPages()
    const texts = pages.map((items) => items.map((i) => i.str).join(' '))
    const tablePages = new Set<number>()
    for (let i = 0; i < LINES; i++) {
      const start = texts.flatMap((t, p) => (new RegExp(`\\bw${tag(i)}\\b`).test(t) ? [p] : []))
      const end = texts.flatMap((t, p) => (new RegExp(`\\be${tag(i)}\\b`).test(t) ? [p] : []))
      expect({ row: i, start, end }).toEqual({ row: i, start: [start[0]], end: [start[0]] })
      tablePages.add(start[0]!)
    }
    expect(tablePages.size).toBeGreaterThan(2)
    for (const p of tablePages) {
      const items = pages[p]!
      const header = items.find((i) => i.str.includes('Proceeds USD'))
      expect({ page: p + 1, header: header !== undefined, account: items.some((i) => i.str === 'Account') }).toEqual({ page: p + 1, header: true, account: true })
      const firstRow = Math.min(...items.filter((i) => /\bw\d{4}\b/.test(i.str)).map((i) => i.y))
      expect(header!.y).toBeLessThan(firstRow)
    }
  })
})

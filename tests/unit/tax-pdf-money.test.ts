import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { groupedMoney } from '../../src-main/tax/money'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'
import { pdfTextItems, type PdfTextItem } from '../support/pdf-text'

// Money in the PDF's tables is never split across lines, however large: a cell too narrow for it shows it
// smaller, whole, on its row.

function trade(side: 'buy' | 'sell', amount: string, price: string, iso: string): LedgerEntryInput {
  const l = ledger('Main')
  return { ...(side === 'buy' ? l.buy('BTC/USDT', amount, price, null) : l.sell('BTC/USDT', amount, price, null)), timestamp: Date.parse(iso) }
}

describe('tax PDF: money cells', () => {
  it('a billion-dollar part total and 21-digit line figures each stay whole, on their row', async () => {
    // Ten round trips of 2,000 BTC at ~61,728: Part I totals over 1.2 billion USD; one sale of 10 million BTC at 98,765,432.10.
    const entries = Array.from({ length: 10 }, (_, i) => [
      trade('buy', '2000', '61728.394', `2024-0${1 + (i % 9)}-0${1 + (i % 8)}T10:00:00Z`),
      trade('sell', '2000', '61728.395', `2024-0${1 + (i % 9)}-0${1 + (i % 8)}T11:00:00Z`),
    ]).flat()
    entries.push(trade('buy', '10000000', '1', '2024-10-01T10:00:00Z'), trade('sell', '10000000', '98765432.1', '2024-10-02T10:00:00Z'))
    const built = buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }), includes: () => true, now: 0 })
    const file = await taxFile(built.report, built.allLines(), 'pdf')
    const pages = await pdfTextItems(Buffer.from(file.data, 'base64'))
    const items = pages.flat()
    const short = built.report.summary.short!
    const label = items.find((i) => i.str.startsWith('Part I totals'))!
    expect(label).toBeDefined()
    // The totals row: its three figures whole, on the label's line.
    for (const figure of [short.proceeds, short.cost, short.gain].map(groupedMoney)) {
      const cell = items.find((i) => i.str === figure)
      expect({ figure, found: cell !== undefined }).toEqual({ figure, found: true })
      expect(Math.abs(cell!.y + cell!.height - (label.y + label.height))).toBeLessThan(2)
    }
    // The big sale's line: proceeds 987,654,321,000,000.00 whole.
    const big = built.report.lines.find((l) => l.amount === '10000000')!
    expect(items.some((i) => i.str === groupedMoney(big.proceeds))).toBe(true)
    // Shrunk to fit, a figure runs into nothing beside it.
    const clash = (a: PdfTextItem, b: PdfTextItem) =>
      Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5
    const overlaps = pages.flatMap((on) => on.flatMap((a, i) => on.slice(i + 1).filter((b) => clash(a, b)).map((b) => `${a.str} / ${b.str}`)))
    expect(overlaps).toEqual([])
    // No cell holds a fragment of a figure: every number drawn is a whole money figure or a line's amount.
    const amounts = new Set(built.report.lines.map((l) => l.amount))
    const fragments = items.filter((i) => /^[\d,.]+$/.test(i.str) && !/^\d{1,3}(,\d{3})*\.\d{2}$/.test(i.str) && !amounts.has(i.str))
    expect(fragments.map((i) => i.str)).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// The tax CSV as a spreadsheet opens it: Excel needs a byte-order mark to read UTF-8 ("Börse", not
// "BÃ¶rse"), and in a locale whose list separator is ";" (Germany) it splits unquoted text at ";", so a
// cell could start with "=" and run as a formula.

let n = 0
const trade = (quote: string, account: string, side: 'buy' | 'sell', amount: string, price: string, iso: string): LedgerEntryInput => ({
  kind: 'trade',
  account,
  timestamp: Date.parse(iso),
  symbol: `BTC/${quote}`,
  base: 'BTC',
  quote,
  side,
  price,
  amount,
  fee: null,
  source: 'csv',
  externalId: `${++n}`,
})

const ACCOUNTS = ['Bison Börse', "main;=cmd|' /C calc'!A0", '@SUM(1+1);+x,-y']

async function csvBytes(jurisdiction: 'de' | 'us'): Promise<Buffer> {
  const quote = jurisdiction === 'us' ? 'USDT' : 'EUR'
  const entries = ACCOUNTS.flatMap((a) => [trade(quote, a, 'buy', '1', '30000', '2024-01-05T10:00:00Z'), trade(quote, a, 'sell', '0.1', '20000', '2024-06-05T10:00:00Z')])
  const built = buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse({ jurisdiction, year: 2024, pooling: 'per-account' }), includes: () => true, now: 0 })
  const file = await taxFile(built.report, built.allLines(), 'csv')
  expect(file.encoding).toBe('utf8')
  return Buffer.from(file.data, 'utf8')
}

/** A line's cells as Excel splits them at `sep`: quotes group text (and are dropped), anything else is kept. */
function excelCells(line: string, sep: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === sep && !quoted) {
      cells.push(cell)
      cell = ''
    } else cell += ch
  }
  return [...cells, cell]
}

describe('tax CSV in a spreadsheet', () => {
  it('starts with a UTF-8 byte-order mark, and reads back with every name as written', async () => {
    for (const j of ['de', 'us'] as const) {
      const bytes = await csvBytes(j)
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
      const rows = parse(bytes.toString('utf8'), { columns: true, bom: true }) as Record<string, string>[]
      // Quoted, "main;=cmd…" is one cell starting with "m"; "@SUM…" would start a formula: an apostrophe leads it.
      expect(rows.map((r) => r['Account'])).toEqual(['Bison Börse', ACCOUNTS[1], `'${ACCOUNTS[2]}`])
      expect(rows.every((r) => r['Asset'] === 'BTC')).toBe(true)
    }
  })

  it('split at ";" (a German Excel), no cell starts as a formula; amounts and losses stay numbers', async () => {
    for (const j of ['de', 'us'] as const) {
      const text = (await csvBytes(j)).toString('utf8')
      const cells = text.replace(/^\uFEFF/, '').split('\r\n').flatMap((line) => excelCells(line, ';'))
      expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([])
      // Read with ",": the loss is a plain negative number.
      const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[]
      expect(rows.map((r) => r[j === 'us' ? 'Gain or (loss)' : 'Gain (EUR)'])).toEqual(['-1000.00', '-1000.00', '-1000.00'])
    }
  })
})

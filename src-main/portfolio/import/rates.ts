import type { PriceMarkInput } from '../pnl'
import { CsvImportError } from './errors'
import { readRows, type CsvRow } from './table'
import { assetCell, decimalCell } from './values'

// Daily exchange rates from a CSV file, as price marks: what values a dollar (and so USDT, USDC) in euros
// or pounds on each day, for P&L and tax reports in EUR or GBP. Three layouts, told apart by the header:
//
//   rates   date,base,quote,rate        2024-01-05,GBP,USD,1.2712   (1 base = rate quote)
//   ecb     Date,USD,JPY,…              the ECB's euro reference rates (eurofxref-hist.csv): units per
//                                       1 EUR; the USD column becomes EUR/USD (N/A days are skipped)
//   boe     DATE,XUDLUSS                the Bank of England's spot rate, US$ into sterling (its database
//                                       export, dates like "02 Jan 2024"): GBP/USD
//
// A rate holds from the start of its day (UTC) until the next one. All or nothing: the first bad row
// rejects the file with its line, and nothing is stored.

export type RatesFormat = 'rates' | 'ecb' | 'boe'

export interface ParsedRates {
  format: RatesFormat
  marks: PriceMarkInput[]
  /** Data rows read (skipped N/A days included). */
  rows: number
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** A day as "2024-01-05" or "05 Jan 2024" → its first moment in UTC. */
function dayCell(raw: string, line: number, column: string): number {
  const text = raw.trim()
  let y: number
  let m: number
  let d: number
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  const named = /^(\d{1,2})[ -]([A-Za-z]{3})[ -](\d{4})$/.exec(text)
  if (iso) {
    ;[y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  } else if (named && MONTHS.includes((named[2] as string).toLowerCase())) {
    ;[y, m, d] = [Number(named[3]), MONTHS.indexOf((named[2] as string).toLowerCase()) + 1, Number(named[1])]
  } else {
    throw new CsvImportError(`"${raw}" is not a day (expected YYYY-MM-DD or DD Mon YYYY)`, line, column, raw)
  }
  const t = Date.UTC(y, m - 1, d)
  const check = new Date(t)
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw new CsvImportError(`"${raw}" is not a valid date`, line, column, raw)
  return t
}

const norm = (s: string) => s.trim().toLowerCase()

export function parseRates(text: string): ParsedRates {
  const rows = readRows(text)
  if (rows.length === 0) throw new CsvImportError('the file is empty: a rates file starts with a header row')
  const header = rows[0] as CsvRow
  const names = header.cells.map(norm)
  const data = rows.slice(1)
  const at = (name: string) => names.indexOf(name)

  if (at('xudluss') >= 0 && at('date') >= 0) {
    const [dc, rc] = [at('date'), at('xudluss')]
    const marks = data.map((r) => ({ asset: 'GBP', quote: 'USD', price: decimalCell(r.cells[rc] ?? '', { line: r.line, column: 'XUDLUSS' }), at: dayCell(r.cells[dc] ?? '', r.line, 'DATE') }))
    return { format: 'boe', marks, rows: data.length }
  }
  if (at('base') >= 0 || at('quote') >= 0 || at('rate') >= 0) {
    const cols = { date: at('date'), base: at('base'), quote: at('quote'), rate: at('rate') }
    const missing = Object.entries(cols).filter(([, i]) => i < 0).map(([k]) => k)
    if (missing.length > 0) throw new CsvImportError(`wrong header for a rates file: expected date,base,quote,rate; found ${header.cells.join(',')} (missing ${missing.join(', ')})`, header.line)
    const marks = data.map((r) => {
      const where = (column: string) => ({ line: r.line, column })
      const base = assetCell(r.cells[cols.base] ?? '', where('base'))
      const quote = assetCell(r.cells[cols.quote] ?? '', where('quote'))
      if (base === quote) throw new CsvImportError(`base and quote are both ${base}`, r.line, 'quote', quote)
      return { asset: base, quote, price: decimalCell(r.cells[cols.rate] ?? '', where('rate')), at: dayCell(r.cells[cols.date] ?? '', r.line, 'date') }
    })
    return { format: 'rates', marks, rows: data.length }
  }
  if (at('date') === 0 && at('usd') > 0) {
    const usd = at('usd')
    const marks: PriceMarkInput[] = []
    for (const r of data) {
      const cell = (r.cells[usd] ?? '').trim()
      // The ECB writes N/A (or nothing) on days it published no rate for a currency.
      if (cell === '' || /^n\/?a$/i.test(cell)) continue
      marks.push({ asset: 'EUR', quote: 'USD', price: decimalCell(cell, { line: r.line, column: 'USD' }), at: dayCell(r.cells[0] ?? '', r.line, 'Date') })
    }
    return { format: 'ecb', marks, rows: data.length }
  }
  throw new CsvImportError(
    `not a rates file: expected the columns date,base,quote,rate, or the ECB's Date,USD,… or the Bank of England's DATE,XUDLUSS; found ${header.cells.join(',')}`,
    header.line,
  )
}

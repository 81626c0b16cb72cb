import type { TaxLine, TaxReport } from '../api/schemas/tax'
import { dayOf, type Day } from './calendar'
import { rulesFor } from './rules'
import { byPart, form8949Of } from './form8949'
import { spreadsheetCsv } from '../reports/spreadsheet-csv'

// A report's lines as CSV, one row per line, for a spreadsheet or tax software. The US file follows
// Form 8949's columns (description, date acquired, date sold, proceeds, cost, gain; dates MM/DD/YYYY),
// led by the part and box each line goes in (form8949.ts), Part I's lines first, then Part II's;
// the UK and German files use ISO dates. Written for spreadsheets (spreadsheet-csv.ts): a byte-order
// mark, every field quoted, text that would run as a formula led by an apostrophe.

const usDate = (d: Day) => `${String(d.m).padStart(2, '0')}/${String(d.d).padStart(2, '0')}/${d.y}`
const isoDate = (d: Day) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`

/** The last column: lines whose cost or proceeds count 0 for something that had no price (after Form 8949's columns). */
const UNPRICED_HEADER = 'Valued without a price'

export function taxCsv(report: TaxReport, lines: readonly TaxLine[]): string {
  const ccy = report.currency
  const zone = report.timeZone
  const us = report.jurisdiction === 'us'
  const date = (t: number | null, none: string) => (t === null ? none : us ? usDate(dayOf(t, zone)) : isoDate(dayOf(t, zone)))
  const header = us
    ? ['Form 8949 part', 'Box', 'Description of property', 'Date acquired', 'Date sold or disposed of', 'Proceeds', 'Cost or other basis', 'Gain or (loss)', 'Term', 'Asset', 'Amount', 'Matched by', 'Account', UNPRICED_HEADER]
    : ['Asset', 'Amount', 'Date acquired', 'Date disposed', `Proceeds (${ccy})`, `Cost (${ccy})`, `Gain (${ccy})`, ...(rulesFor(report.jurisdiction).holdingPeriod ? ['Term'] : []), 'Matched by', 'Account', UNPRICED_HEADER]
  const ordered = us ? byPart(lines).flatMap((p) => p.lines) : lines
  const rows = ordered.map((l) => {
    const acquired = date(l.acquiredAt, l.rule === 'section-104' ? 'Section 104 pool' : 'unknown')
    const { asset, account } = l
    const rule = l.cause === 'fee' ? `${l.rule} (fee)` : l.rule
    const unpriced = l.unpriced ? 'no price' : ''
    if (us) {
      const { part, box } = form8949Of(report.year, l.term)
      return [part, box, `${l.amount} ${asset}`, acquired, date(l.disposedAt, ''), l.proceeds, l.cost, l.gain, l.term ?? '', asset, l.amount, rule, account, unpriced]
    }
    return [asset, l.amount, acquired, date(l.disposedAt, ''), l.proceeds, l.cost, l.gain, ...(l.term !== null ? [l.term] : []), rule, account, unpriced]
  })
  return spreadsheetCsv([header, ...rows])
}

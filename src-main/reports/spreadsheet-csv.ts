import { stringify } from 'csv-stringify/sync'
import { spreadsheetSafe } from './spreadsheet-text'

// A CSV file for a spreadsheet (the tax export, from the app and from `tax --out` alike). It starts with a
// UTF-8 byte-order mark, without which Excel reads the file in the Windows code page ("Börse" becomes
// "BÃ¶rse"). Every field is quoted: Excel in a locale whose list separator is ";" (Germany) splits unquoted
// text at ";", so "main;=1+1" would make a cell "=1+1"; inside quotes the ";" stays text. Text that would
// still start a formula is written with a leading apostrophe; numbers (a loss is "-12.50") are left as they are.

const BOM = '\uFEFF'
const NUMBER = /^-?\d+(\.\d+)?$/

export function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => (NUMBER.test(cell) ? cell : spreadsheetSafe(cell))))
  return BOM + stringify(safe, { record_delimiter: '\r\n', quoted: true })
}

import { parse, CsvError } from 'csv-parse/sync'
import { CsvImportError } from './errors'

// Reading an export file into rows with their line numbers, and finding its header. csv-parse does the
// quoting and escaping; everything after that (which columns, what they mean) is the format's parser.

export interface CsvRow {
  /** The file line the record ends on (1-based). */
  line: number
  cells: string[]
}

export function readRows(text: string): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? err.lines : null
      throw new CsvImportError(`the file is not valid CSV (${err.message})`, line)
    }
    throw err
  }
  // A row of separators only (",,,,") is as empty as a blank line.
  return records.map((r) => ({ line: r.info.lines, cells: r.record })).filter((r) => r.cells.some((c) => c !== ''))
}

/** A layout: each key the parser reads, with the header names that mean it (the first is the one shown). */
export interface Layout<K extends string> {
  name: string
  columns: Record<K, readonly string[]>
  optional?: readonly K[]
  /** Headers a column is also known by, as a pattern (a name that carries a value: Date(UTC+1)). */
  patterns?: Partial<Record<K, RegExp>>
}

export interface Table<K extends string> {
  layout: Layout<K>
  /** Where the header is. */
  headerLine: number
  /** The header as the file writes it for a key's column; undefined when the column is absent. */
  headerOf(key: K): string | undefined
  rows: TableRow<K>[]
}

export interface TableRow<K extends string> {
  line: number
  /** The trimmed cell for a key; '' when the column is absent or the row is short. */
  get(key: K): string
  has(key: K): boolean
}

const norm = (s: string) => s.trim().toLowerCase()

function columnIndex<K extends string>(layout: Layout<K>, header: string[]): Map<K, number> | { missing: string[] } {
  const names = header.map(norm)
  const index = new Map<K, number>()
  const missing: string[] = []
  for (const key of Object.keys(layout.columns) as K[]) {
    const aliases = layout.columns[key]
    const pattern = layout.patterns?.[key]
    const at = names.findIndex((n, i) => aliases.some((a) => norm(a) === n) || (pattern?.test(header[i]!.trim()) ?? false))
    if (at >= 0) index.set(key, at)
    else if (!layout.optional?.includes(key)) missing.push(aliases[0] ?? key)
  }
  return missing.length > 0 ? { missing } : index
}

const describe = (layout: Layout<string>) =>
  (Object.keys(layout.columns) as string[])
    .filter((k) => !layout.optional?.includes(k))
    .map((k) => layout.columns[k]?.[0] ?? k)
    .join(',')

/**
 * Finds the header among the first `searchRows` rows (1 for formats whose header is the first line; more
 * for exports with a preamble, like Coinbase's) and returns the data rows below it. Columns may come in
 * any order and extra columns are ignored; a missing column is an error naming what was expected and found.
 */
export function readTable<K extends string>(
  text: string,
  layouts: readonly Layout<K>[],
  { format, searchRows = 1 }: { format: string; searchRows?: number },
): Table<K> {
  const rows = readRows(text)
  if (rows.length === 0) throw new CsvImportError(`the file is empty: a ${format} export starts with a header row`)
  let best: { row: CsvRow; missing: string[]; layout: Layout<K> } | null = null
  for (const row of rows.slice(0, searchRows)) {
    for (const layout of layouts) {
      const found = columnIndex(layout, row.cells)
      if (found instanceof Map) {
        const data = rows.filter((r) => r.line > row.line)
        return {
          layout,
          headerLine: row.line,
          headerOf: (key: K) => {
            const i = found.get(key)
            return i === undefined ? undefined : row.cells[i]
          },
          rows: data.map((r) => ({
            line: r.line,
            get: (key: K) => {
              const i = found.get(key)
              return i === undefined ? '' : (r.cells[i] ?? '').trim()
            },
            has: (key: K) => found.has(key),
          })),
        }
      }
      if (!best || found.missing.length < best.missing.length) best = { row, missing: found.missing, layout }
    }
  }
  const expected = layouts.map((l) => `${describe(l)} (${l.name})`).join(' or ')
  const where = best ? best.row : rows[0]!
  throw new CsvImportError(
    `wrong header for a ${format} file: expected the columns ${expected}; found ${where.cells.join(',')}` +
      (best ? ` (missing ${best.missing.join(', ')})` : '') +
      separatorHint(rows[0]?.cells ?? []),
    where.line,
  )
}

/** A header read as one cell holding ";" or tabs: the file has another separator (a spreadsheet's locale). */
function separatorHint(cells: readonly string[]): string {
  const text = cells.join(',')
  const separator = [';', '\t'].find((s) => text.includes(s) && cells.filter((c) => c.trim() !== '').length <= 1)
  if (separator === undefined) return ''
  const shown = separator === '\t' ? 'tabs' : `"${separator}"`
  return `. The file is separated by ${shown}, not ",": a spreadsheet set to a language with decimal commas saves CSV so; save or export it with "," as the separator and "." as the decimal point`
}

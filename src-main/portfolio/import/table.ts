import { Readable } from 'node:stream'
import { parse as parseStream } from 'csv-parse'
import { parse } from 'csv-parse/sync'
import { CsvImportError } from './errors'
import { breathe, SLICE_MS, type Parsing } from './pace'

// Reading an export file into rows with their line numbers, and finding its header. csv-parse does the
// quoting and escaping; everything after that (which columns, what they mean) is the format's parser.

export interface CsvRow {
  /** The file line the record ends on (1-based). */
  line: number
  cells: string[]
}

const CSV_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true } as const

type CsvRecord = { record: string[]; info: { lines: number } }

export function readRows(text: string): CsvRow[] {
  let records: CsvRecord[]
  try {
    records = parse(text, CSV_OPTIONS) as unknown as CsvRecord[]
  } catch (err) {
    throw csvRefusal(err)
  }
  return records.map(toRow).filter(hasCells)
}

/** Text handed to csv-parse's stream at a time: parsing one takes a few milliseconds. */
const TEXT_SLICE = 32 * 1024

/**
 * readRows through csv-parse's stream, the text fed in slices, the event loop let in whenever reading has
 * held it for `sliceMs`: the same rows and the same refusals as readRows.
 */
export async function readRowsPaced(text: string, sliceMs = SLICE_MS): Promise<CsvRow[]> {
  const parser = parseStream(CSV_OPTIONS)
  Readable.from(slices(text), { objectMode: false }).pipe(parser)
  const rows: CsvRow[] = []
  let since = performance.now()
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      const row = toRow(record)
      if (hasCells(row)) rows.push(row)
      if (performance.now() - since >= sliceMs) {
        await breathe()
        since = performance.now()
      }
    }
  } catch (err) {
    throw csvRefusal(err)
  }
  return rows
}

/** The text in slices ending after a line break where there is one (a slice never splits a surrogate pair). */
function* slices(text: string): Generator<string> {
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + TEXT_SLICE)
    if (to < text.length) {
      const nl = text.lastIndexOf('\n', to - 1)
      if (nl >= from) to = nl + 1
      else if (/[\uD800-\uDBFF]/.test(text[to - 1]!)) to -= 1
    }
    yield text.slice(from, to)
    from = to
  }
}

const toRow = (r: CsvRecord): CsvRow => ({ line: r.info.lines, cells: r.record })
// A row of separators only (",,,,") is as empty as a blank line.
const hasCells = (r: CsvRow) => r.cells.some((c) => c !== '')

// Recognised by its code, not `instanceof CsvError`: under CommonJS resolution (the CLI, the headless engine)
// 'csv-parse' and 'csv-parse/sync' are separate bundles with a CsvError class each, and the paced reader's
// errors failed the check against the sync one, reaching the user raw and without a line number.
function isCsvError(err: unknown): err is Error & { code: string; lines?: unknown } {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('CSV_')
}

function csvRefusal(err: unknown): unknown {
  if (!isCsvError(err)) return err
  const line = typeof err.lines === 'number' ? err.lines : null
  return new CsvImportError(`the file is not valid CSV (${err.message})`, line)
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

/** A data row read through its table's column index (a class: a large file holds hundreds of thousands). */
class Row<K extends string> implements TableRow<K> {
  readonly line: number
  constructor(
    private readonly row: CsvRow,
    private readonly index: ReadonlyMap<K, number>,
  ) {
    this.line = row.line
  }

  get(key: K): string {
    const i = this.index.get(key)
    return i === undefined ? '' : (this.row.cells[i] ?? '').trim()
  }

  has(key: K): boolean {
    return this.index.has(key)
  }
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
export function* readTable<K extends string>(
  rows: readonly CsvRow[],
  layouts: readonly Layout<K>[],
  { format, searchRows = 1 }: { format: string; searchRows?: number },
): Parsing<Table<K>> {
  if (rows.length === 0) throw new CsvImportError(`the file is empty: a ${format} export starts with a header row`)
  let best: { row: CsvRow; missing: string[]; layout: Layout<K> } | null = null
  for (const row of rows.slice(0, searchRows)) {
    for (const layout of layouts) {
      const found = columnIndex(layout, row.cells)
      if (found instanceof Map) {
        const data: TableRow<K>[] = []
        for (const r of rows) {
          if (r.line <= row.line) continue
          data.push(new Row(r, found))
          yield
        }
        return {
          layout,
          headerLine: row.line,
          headerOf: (key: K) => {
            const i = found.get(key)
            return i === undefined ? undefined : row.cells[i]
          },
          rows: data,
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

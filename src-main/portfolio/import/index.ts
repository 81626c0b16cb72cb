import { parseBinance } from './binance'
import { parseCoinbase } from './coinbase'
import { parseGeneric } from './generic'
import { parseKraken } from './kraken'
import { runPaced, runToEnd } from './pace'
import { readRows, readRowsPaced } from './table'
import type { CsvParser, ImportFormat, ParseContext, ParsedImport } from './types'

export { CsvImportError } from './errors'
export { importFormats, type ImportFormat, type ParsedImport, type ParseContext } from './types'

const parsers: Record<ImportFormat, CsvParser> = {
  binance: parseBinance,
  coinbase: parseCoinbase,
  kraken: parseKraken,
  generic: parseGeneric,
}

/** An export file's text to ledger entries; throws CsvImportError (with the line) and returns nothing half-read. */
export function parseExport(format: ImportFormat, text: string, context: ParseContext): ParsedImport {
  return runToEnd(parsers[format](readRows(text), context))
}

/**
 * The same, read and checked a slice at a time with the event loop let in between (pace.ts): what the
 * engine and the CLI use, so a large file never stalls market streams, triggers or the screen.
 */
export async function parseExportPaced(format: ImportFormat, text: string, context: ParseContext): Promise<ParsedImport> {
  return runPaced(parsers[format](await readRowsPaced(text), context))
}

import { parseBinance } from './binance'
import { parseCoinbase } from './coinbase'
import { parseGeneric } from './generic'
import { parseKraken } from './kraken'
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
  return parsers[format](text, context)
}

import type { LedgerEntryInput } from '../model'
import type { PriceMarkInput } from '../pnl'
import type { Parsing } from './pace'
import type { CsvRow } from './table'

export const importFormats = ['binance', 'coinbase', 'kraken', 'generic'] as const
export type ImportFormat = (typeof importFormats)[number]

export interface ParseContext {
  /** The ledger account the file's rows belong to (the name given at import). */
  account: string
}

/** A parsed export: every row as a ledger entry, or counted as skipped (a kind the ledger does not hold). */
export interface ParsedImport {
  format: ImportFormat
  /** Which export layout was recognised, e.g. "trade history" or "fills". */
  layout: string
  /** Data rows read (entries + skipped). */
  rows: number
  entries: LedgerEntryInput[]
  /** Skipped rows by reason, e.g. { "Convert": 2, "Learning Reward": 5 }. */
  skipped: Record<string, number>
  /** Prices the export states beside a transfer (Coinbase's spot price on a reward): they value it. */
  marks?: PriceMarkInput[]
}

/** A file's rows to a ParsedImport; it yields between rows (pace.ts) and throws CsvImportError at the first bad one. */
export type CsvParser = (rows: readonly CsvRow[], context: ParseContext) => Parsing<ParsedImport>

export function countSkip(skipped: Record<string, number>, reason: string): void {
  addCount(skipped, reason, 1)
}

/**
 * Adds to a count kept under a name a file chose: defined as the object's own key, so a row typed
 * "__proto__" or "toString" is counted like any other, not read from or written to Object's prototype.
 */
export function addCount(counts: Record<string, number>, key: string, n: number): void {
  const value = (Object.hasOwn(counts, key) ? (counts[key] as number) : 0) + n
  Object.defineProperty(counts, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A table's entry for a name read from a file: its own entries only (never "constructor" and the like). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

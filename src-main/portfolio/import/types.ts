import type { LedgerEntryInput } from '../model'
import type { PriceMarkInput } from '../pnl'

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

export type CsvParser = (text: string, context: ParseContext) => ParsedImport

export function countSkip(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1
}

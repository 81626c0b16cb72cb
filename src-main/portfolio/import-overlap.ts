import type { LedgerEntryInput } from './model'
import { sqliteOf, type LedgerDb } from './sqlite'
import { COMPLETE_IMPORT } from './visible'

// Before a file goes into an account: the import accounts that already hold files of its format, and how
// many of its rows each already has. The same export saved twice ("Trades.csv", "Trades (1).csv") and
// imported under two names would count every trade twice; the dialog proposes the account that has them.
// A sample of the rows tells which account that is: the whole file read once per account stalled the
// engine for half a minute (15 MiB, 20 accounts).

export interface ImportOverlap {
  account: string
  /** The file's rows (entries it would add). */
  rows: number
  /** How many rows were checked: the first and the last SAMPLE_END (all of a smaller file). */
  sampled: number
  /** How many of the sampled rows this account holds already. */
  already: number
}

/** Rows checked at each end of the file. */
export const SAMPLE_END = 500

/** The indexes checked of a file of `rows` rows: the first and the last SAMPLE_END. */
export function sampleRows(rows: number): number[] {
  if (rows <= 2 * SAMPLE_END) return Array.from({ length: rows }, (_, i) => i)
  return [...Array.from({ length: SAMPLE_END }, (_, i) => i), ...Array.from({ length: SAMPLE_END }, (_, i) => rows - SAMPLE_END + i)]
}

/** At most this many accounts are checked (the newest first). */
const MAX_ACCOUNTS = 20

/**
 * The import accounts (other than `except`) holding a complete file of `format`, the most rows already
 * there first, then the newest import; `countStoredIn` finds the sampled rows as the ledger writer does.
 */
export function importOverlaps(
  db: LedgerDb,
  entries: readonly LedgerEntryInput[],
  format: string,
  except: string | null,
  countStoredIn: (entries: readonly LedgerEntryInput[], accounts: readonly string[], sample: readonly number[]) => Map<string, number>,
): ImportOverlap[] {
  const accounts = sqliteOf(db)
    .prepare(`select account from ledger_imports where format = ? and ${COMPLETE_IMPORT} group by account order by max(created_at) desc, max(id) desc limit ?`)
    .pluck()
    .all(format, MAX_ACCOUNTS + 1) as string[]
  const checked = accounts.filter((a) => a !== except).slice(0, MAX_ACCOUNTS)
  const sample = sampleRows(entries.length)
  const held = countStoredIn(entries, checked, sample)
  return checked
    .map((account, order) => ({ account, order, rows: entries.length, sampled: sample.length, already: held.get(account) ?? 0 }))
    .sort((a, b) => b.already - a.already || a.order - b.order)
    .map(({ account, rows, sampled, already }) => ({ account, rows, sampled, already }))
}

import type { LedgerEntryInput } from './model'
import { sqliteOf, type LedgerDb } from './sqlite'
import { COMPLETE_IMPORT } from './visible'

// Before a file goes into an account: the import accounts that already hold files of its format, and how
// many of its rows each already has. The same export saved twice ("Trades.csv", "Trades (1).csv") and
// imported under two names would count every trade twice; the dialog proposes the account that has them.

export interface ImportOverlap {
  account: string
  /** The file's rows (entries it would add). */
  rows: number
  /** How many of them this account holds already. */
  already: number
}

/** At most this many accounts are checked (the newest first): a check reads the whole file once per account. */
const MAX_ACCOUNTS = 20

/**
 * The import accounts (other than `except`) holding a complete file of `format`, the most rows already
 * there first, then the newest import; `countStored` finds stored entries as the ledger writer does.
 */
export function importOverlaps(
  db: LedgerDb,
  entries: readonly LedgerEntryInput[],
  format: string,
  except: string | null,
  countStored: (entries: readonly LedgerEntryInput[]) => number,
): ImportOverlap[] {
  const accounts = sqliteOf(db)
    .prepare(`select account from ledger_imports where format = ? and ${COMPLETE_IMPORT} group by account order by max(created_at) desc, max(id) desc limit ?`)
    .pluck()
    .all(format, MAX_ACCOUNTS + 1) as string[]
  return accounts
    .filter((a) => a !== except)
    .slice(0, MAX_ACCOUNTS)
    .map((account, order) => ({ account, order, rows: entries.length, already: countStored(entries.map((e) => ({ ...e, account }))) }))
    .sort((a, b) => b.already - a.already || a.order - b.order)
    .map(({ account, rows, already }) => ({ account, rows, already }))
}

import { AppError } from '../api/errors'
import { isSimTraderAccount } from '../portfolio/sim-feed'
import { sqliteOf, type LedgerDb } from '../portfolio/sqlite'
import { visibleEntry } from '../portfolio/visible'

// The accounts a report may be asked for: those with entries in the ledger, and the exchange and paper
// accounts the app keeps (one with no entries yet reports an empty year, truly); a simulated trader's only
// when named (no report counts them otherwise, and the list of known names leaves them out). A name outside them is a mistake (a typo, an import since removed):
// reported, it would read as a year with nothing in it.

/** Every account a report may name, the simulated traders' included. */
export function reportAccounts(db: LedgerDb): string[] {
  const sqlite = sqliteOf(db)
  const names = new Set([
    ...(sqlite.prepare(`select distinct account from ledger_entries where ${visibleEntry()}`).pluck().all() as string[]),
    ...(sqlite.prepare('select id from accounts').pluck().all() as string[]),
    ...(sqlite.prepare('select id from paper_accounts').pluck().all() as string[]),
  ])
  return [...names].sort()
}

/** Why `account` cannot be reported on, or null when it can (or none is named). */
export function unknownAccount(db: LedgerDb, account: string | undefined): string | null {
  if (account === undefined) return null
  const known = reportAccounts(db)
  if (known.includes(account)) return null
  const own = known.filter((a) => !isSimTraderAccount(a))
  return `"${account}" is not a ledger account (known: ${own.length > 0 ? own.join(', ') : 'none'})`
}

/** Refuses a report for an account the ledger does not have (NOT_FOUND), naming those it has. */
export function checkReportAccount(db: LedgerDb, account: string | undefined): void {
  const why = unknownAccount(db, account)
  if (why !== null) throw new AppError('NOT_FOUND', `account ${why}`)
}

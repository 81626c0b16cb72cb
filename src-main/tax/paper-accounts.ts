import { SIM_LEDGER_ACCOUNT } from '../portfolio/sim-feed'
import { SIM_ACCOUNT_LABEL } from '../venues/sim/label'
import { sqliteOf, type LedgerDb } from '../portfolio/sqlite'
import { hasLedgerEntries } from '../portfolio/sync/ledger-accounts'

// Paper accounts in a tax report: practice, not the user's gains to declare. A report over all accounts
// leaves them out (and names them, so their absence is not a mystery); one named alone still reports, marked
// as paper. They are the simulated exchange's own paper account ('sim') and every account opened on a
// venue's book ('paper:<n>', on a real exchange or on the simulated one; open or closed).

export interface PaperLedgerAccount {
  account: string
  label: string
}

export const isPaperLedgerAccount = (account: string): boolean => account === SIM_LEDGER_ACCOUNT || account.startsWith('paper:')

/** The paper accounts the ledger holds entries of, with their names ('sim' first, then by number). */
export function ledgerPaperAccounts(db: LedgerDb): PaperLedgerAccount[] {
  const rows = sqliteOf(db).prepare('select id, label from paper_accounts order by seq').all() as { id: string; label: string }[]
  const candidates = [{ account: SIM_LEDGER_ACCOUNT, label: SIM_ACCOUNT_LABEL }, ...rows.map((r) => ({ account: r.id, label: r.label }))]
  // Index lookups per account, not a scan of the ledger (a report's own replay is the one scan).
  return candidates.filter((c) => hasLedgerEntries(db, c.account)).sort((a, b) => a.account.localeCompare(b.account, 'en', { numeric: true }))
}

/** The engine's note on a report of one paper account. */
export const paperAccountNote = (p: PaperLedgerAccount): string => `${p.account} (${p.label}) is a paper account: its trades were practice, not a tax return’s to declare.`

/** The named account as a paper account (its name from the paper module), or null when it is not one. */
export function paperAccountOf(db: LedgerDb, account: string): PaperLedgerAccount | null {
  if (!isPaperLedgerAccount(account)) return null
  if (account === SIM_LEDGER_ACCOUNT) return { account, label: SIM_ACCOUNT_LABEL }
  const label = sqliteOf(db).prepare('select label from paper_accounts where id = ?').pluck().get(account) as string | undefined
  return { account, label: label ?? account }
}

/** What a report says of paper accounts: those it left out (over all accounts), or the one it is of. */
export interface ReportPaper {
  leftOut: PaperLedgerAccount[]
  named: PaperLedgerAccount | null
}

export function reportPaper(db: LedgerDb, account: string | undefined): ReportPaper {
  return account === undefined ? { leftOut: ledgerPaperAccounts(db), named: null } : { leftOut: [], named: paperAccountOf(db, account) }
}

/** "Paper accounts are not in this report (paper:1 Binance paper, sim Simulated exchange)": the CLI and the PDF say it. */
export const paperLeftOutText = (leftOut: readonly PaperLedgerAccount[]): string =>
  `Paper accounts are not in this report (${leftOut.map((p) => `${p.account} ${p.label}`).join(', ')})`

import type { LedgerAccountView, SyncStatus } from '../../api/schemas/portfolio'
import { simTraders } from '../../venues/sim/traders/registry'
import { SIM_ACCOUNT_LABEL } from '../../venues/sim/label'
import { isSimTraderAccount, SIM_LEDGER_ACCOUNT } from '../sim-feed'
import { sqliteOf, type LedgerDb } from '../sqlite'
import { COMPLETE_IMPORT, visibleEntry } from '../visible'

// portfolio.accounts: every ledger account with what the screen needs to name it and to offer a sync.
// Kinds: 'sim' (the simulated exchange's paper account), 'trader' (a simulated trader, `sim:trader:<slug>`),
// 'exchange' (an exchange account: its id), 'paper' (a paper account on a real venue, `paper:<n>`),
// 'import' (any other name: given at CSV import).

export interface LedgerAccountSources {
  db: LedgerDb
  /** Exchange accounts (AccountsService.list): id, label, and where a first sync reads from by default. */
  exchangeAccounts(): { id: string; label: string; historyStart: number }[]
  /** Venue labels by id (VenueRegistry.list), for paper accounts. */
  venueLabels(): Map<string, string>
  /** The name a removed exchange account or a closed paper account had (VenueRegistry.formerLabel). */
  formerLabel?(account: string): string | undefined
  syncStatus(account: string): SyncStatus
  /** Accounts with a sync run on record. */
  syncedAccounts(): string[]
}

interface CountRow {
  account: string
  entries: number
  firstAt: number | null
  lastAt: number | null
}

export function ledgerAccounts(s: LedgerAccountSources): LedgerAccountView[] {
  const rows = sqliteOf(s.db)
    .prepare(`select account, count(*) as entries, min(timestamp) as firstAt, max(timestamp) as lastAt from ledger_entries where ${visibleEntry()} group by account`)
    .all() as CountRow[]
  const counts = new Map(rows.map((r) => [r.account, r]))
  const exchangeAccounts = new Map(s.exchangeAccounts().map((a) => [a.id, a]))
  const venueLabels = s.venueLabels()
  const names = new Set([...counts.keys(), ...exchangeAccounts.keys(), ...s.syncedAccounts()])
  const views: LedgerAccountView[] = []
  for (const account of names) {
    const count = counts.get(account)
    const exchange = exchangeAccounts.get(account)
    const isExchange = exchange !== undefined
    const { kind, label } = describe(account, exchange?.label, venueLabels.get(account) ?? s.formerLabel?.(account))
    views.push({
      account,
      label,
      kind,
      entries: count?.entries ?? 0,
      firstAt: count?.firstAt ?? null,
      lastAt: count?.lastAt ?? null,
      canSync: isExchange,
      sync: isExchange ? s.syncStatus(account) : null,
      historyStart: exchange?.historyStart ?? null,
    })
  }
  const order: Record<LedgerAccountView['kind'], number> = { sim: 0, exchange: 1, paper: 2, import: 3, trader: 4 }
  return views.sort((a, b) => order[a.kind] - order[b.kind] || a.label.localeCompare(b.label))
}

/** `venueLabel`: the venue's name, or the one it had before it was removed or closed. */
function describe(account: string, exchangeLabel: string | undefined, venueLabel: string | undefined): Pick<LedgerAccountView, 'kind' | 'label'> {
  if (exchangeLabel !== undefined) return { kind: 'exchange', label: exchangeLabel }
  if (account === SIM_LEDGER_ACCOUNT) return { kind: 'sim', label: SIM_ACCOUNT_LABEL }
  const trader = isSimTraderAccount(account) ? account.slice(SIM_LEDGER_ACCOUNT.length + 1) : null
  if (trader !== null) {
    const profile = simTraders.find((t) => t.id === trader)
    return { kind: 'trader', label: traderLabel(profile?.name ?? trader.slice('trader:'.length)) }
  }
  if (/^paper:/.test(account)) return { kind: 'paper', label: venueLabel ?? account }
  // A removed exchange account's ledger stays, under the name it had (it syncs no more).
  if (venueLabel !== undefined) return { kind: 'exchange', label: venueLabel }
  return { kind: 'import', label: account }
}

/** What a simulated trader's ledger account is called on screen: "Trader: Arb Ari". */
const traderLabel = (name: string) => `Trader: ${name}`

/** Names the app manages itself: an import under one of them would mix a file into a venue's own ledger. */
export function isManagedAccount(account: string, exchangeIds: ReadonlySet<string>): boolean {
  return account === SIM_LEDGER_ACCOUNT || account.startsWith(`${SIM_LEDGER_ACCOUNT}:`) || /^paper:/.test(account) || exchangeIds.has(account)
}

/**
 * The exchange or paper account label an import account name would look like (trimmed, any case), if any:
 * "Binance main" beside the exchange account "Binance main" would be two accounts that read the same, and
 * "my accounts" would count both holdings.
 */
export function clashingLabel(account: string, labels: Iterable<string>): string | null {
  const key = account.trim().toLowerCase()
  for (const label of labels) if (label.trim().toLowerCase() === key) return label
  return null
}

/** The labels of every simulated trader's account (all the traders the app runs, whether they traded yet or not). */
const simTraderLabels = (): string[] => simTraders.map((t) => traderLabel(t.name))

/**
 * The label of another account an import account name would read like, if any: an exchange or paper
 * account's (`accountLabels`: they differ by door) or a simulated trader's, which the account filter would
 * then list twice while only one of the two is the user's. The app and the CLI both ask this.
 */
export function importNameClash(account: string, accountLabels: Iterable<string>): string | null {
  return clashingLabel(account, [...accountLabels, ...simTraderLabels()])
}

/** Why a file cannot be imported under a name an exchange, paper or simulated trader's account already shows. */
export function labelClashRefusal(label: string): string {
  if (simTraderLabels().includes(label))
    return `"${label}" is the name of a simulated trader's account: a file imported under it would look like that trader's account, yet count as yours in "my accounts"; import under a name of its own (like "${label.replace(/^Trader:\s*/, '')} CSV")`
  return `"${label}" is the name of an exchange or paper account: a file imported under it would be a second account that looks the same, and its holdings would count twice in "my accounts"; import under a name of its own (like "${label} CSV")`
}

/** The exchange and paper accounts' labels, read from the store (where no AccountsService runs: the CLI). */
export function storedAccountLabels(db: LedgerDb): string[] {
  const sqlite = sqliteOf(db)
  return [
    ...(sqlite.prepare('select label from accounts').pluck().all() as string[]),
    ...(sqlite.prepare('select label from paper_accounts').pluck().all() as string[]),
  ]
}

/** The names files were imported under (not the accounts the app keeps itself): an exchange account may not take one. */
export function importAccountNames(db: LedgerDb, exchangeIds: ReadonlySet<string>): string[] {
  const names = sqliteOf(db).prepare(`select distinct account from ledger_imports where ${COMPLETE_IMPORT}`).pluck().all() as string[]
  return names.filter((n) => !isManagedAccount(n, exchangeIds))
}

/** Why a file cannot be imported into an account the app keeps itself. */
export const managedImportRefusal = (account: string) =>
  `"${account}" is an account the app keeps itself (an exchange, paper or simulated account): import under a name of its own`

/** Why an import into an account the app keeps itself is not taken back out. */
export const managedRemoveRefusal = (account: string) =>
  `"${account}" is an account the app keeps itself: its history comes from the exchange or the app and is not removed here`

/** The exchange accounts' ids, read from the store (where no AccountsService runs: the CLI). */
export function storedExchangeIds(db: LedgerDb): Set<string> {
  return new Set(sqliteOf(db).prepare('select id from accounts').pluck().all() as string[])
}

/**
 * Whether the ledger holds an entry of this account: two index lookups (every row has an external id or a
 * content hash, and each has a partial index led by the account), not a scan of the ledger.
 */
export function hasLedgerEntries(db: LedgerDb, account: string): boolean {
  const row = sqliteOf(db)
    .prepare(
      `select exists(select 1 from ledger_entries where account = @account and external_id is not null and ${visibleEntry()}) or ` +
        `exists(select 1 from ledger_entries where account = @account and content_hash is not null and ${visibleEntry()}) as found`,
    )
    .get({ account }) as { found: number }
  return row.found === 1
}

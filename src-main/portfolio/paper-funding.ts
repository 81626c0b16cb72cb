import type { LedgerEntryInput } from './model'

// Paper accounts on real venues in the ledger: their fills arrive as app fills (account 'paper:<n>'); this
// adds the money the app put in and took out — each starting balance as a deposit when the account was
// opened (ids `opening:<asset>`, as the simulated exchange's) and, when it was closed, what it held then as
// a withdrawal (ids `closed:<asset>`), so a closed account's coins no longer count as held.

export interface AssetAmount {
  asset: string
  amount: string
}

/** One paper account's funding, as the paper module knows it. */
export interface PaperFundingFact {
  account: string
  openedAt: number
  opening: AssetAmount[]
  closedAt: number | null
  held: AssetAmount[]
}

export const PAPER_OPENING = 'opening:'
export const PAPER_CLOSED = 'closed:'

export function paperOpeningEntries(account: string, balances: readonly AssetAmount[], at: number): LedgerEntryInput[] {
  return transfers('deposit', PAPER_OPENING, account, balances, at)
}

export function paperClosingEntries(account: string, held: readonly AssetAmount[], at: number): LedgerEntryInput[] {
  return transfers('withdrawal', PAPER_CLOSED, account, held, at)
}

/**
 * The entries missing for accounts an earlier version opened or closed: an account whose ledger has no
 * opening deposit gets one, a closed one without its closing withdrawal gets that.
 */
export function missingPaperFunding(facts: readonly PaperFundingFact[], has: (account: string, prefix: string) => boolean): LedgerEntryInput[] {
  const entries: LedgerEntryInput[] = []
  for (const f of facts) {
    if (!has(f.account, PAPER_OPENING)) entries.push(...paperOpeningEntries(f.account, f.opening, f.openedAt))
    if (f.closedAt !== null && !has(f.account, PAPER_CLOSED)) entries.push(...paperClosingEntries(f.account, f.held, f.closedAt))
  }
  return entries
}

function transfers(kind: 'deposit' | 'withdrawal', prefix: string, account: string, amounts: readonly AssetAmount[], at: number): LedgerEntryInput[] {
  return amounts
    .filter((b) => /^\d*\.?\d+$/.test(b.amount) && !/^0*\.?0*$/.test(b.amount))
    .map((b): LedgerEntryInput => ({ kind, account, timestamp: at, asset: b.asset, amount: b.amount, fee: null, source: 'app', externalId: `${prefix}${b.asset}` }))
}

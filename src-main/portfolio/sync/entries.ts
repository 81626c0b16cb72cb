import type { Fill, Transfer } from '../../venues/port'
import type { LedgerEntryInput, LedgerTransferInput } from '../model'
import { fillToEntry } from '../symbols'

// Venue history → ledger entries. Trades keep the venue's trade id as their external id (the same key the
// app's own fills are recorded under, so a synced fill the app already recorded is a duplicate, not a second
// trade); deposits and withdrawals get "deposit:<id>" / "withdrawal:<id>" so they never meet a trade id.

export function fillEntries(account: string, fills: readonly Fill[]): LedgerEntryInput[] {
  const out: LedgerEntryInput[] = []
  for (const fill of fills) {
    const entry = fillToEntry(fill, account, 'venue')
    if (entry) out.push(entry)
  }
  return out
}

/** Completed transfers only: a pending one has not moved money yet (the sync comes back for it). */
export function transferEntries(account: string, transfers: readonly Transfer[]): LedgerTransferInput[] {
  return transfers
    .filter((t) => t.status === 'ok')
    .map((t) => ({
      kind: t.kind,
      account,
      timestamp: t.timestamp,
      asset: t.asset,
      amount: t.amount,
      fee: t.fee,
      source: 'venue' as const,
      externalId: `${t.kind}:${t.id}`,
    }))
}

import type { LedgerEntryView } from '../../../src-main/api/schemas/portfolio'

// Words for the Entries dialog (EntriesDialog.tsx): its kind filter, and how one stored entry is named.

export type EntryKindFilter = 'all' | LedgerEntryView['kind']

export const ENTRY_KINDS: readonly { value: EntryKindFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'trade', label: 'Trades' },
  { value: 'deposit', label: 'Deposits' },
  { value: 'withdrawal', label: 'Withdrawals' },
  { value: 'income', label: 'Income' },
]

/** "buy", "sell", "deposit", "withdrawal", "income". */
export function entryKindLabel(e: Pick<LedgerEntryView, 'kind' | 'side'>): string {
  return e.kind === 'trade' ? (e.side ?? 'trade') : e.kind
}

/** A trade's market ("ETH/USDT"), or the asset a transfer or income moved. */
export function entryMarket(e: Pick<LedgerEntryView, 'kind' | 'symbol' | 'base' | 'quote'>): string {
  if (e.kind !== 'trade') return e.base
  return e.symbol ?? `${e.base}/${e.quote ?? '?'}`
}

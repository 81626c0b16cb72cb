import type { Conversion, Fill, Reward, Transfer } from '../../venues/port'
import { conversionTrade } from '../import/conversion'
import type { LedgerEntryInput, LedgerTradeInput, LedgerTransferInput } from '../model'
import { fillToEntry } from '../symbols'

// Venue history → ledger entries. Trades keep the venue's trade id as their external id (the same key the
// app's own fills are recorded under, so a synced fill the app already recorded is a duplicate, not a second
// trade); deposits and withdrawals get "deposit:<id>" / "withdrawal:<id>", conversions "convert:<id>", dust
// sweeps "dust:<sweep>:<coin>", fiat purchases "buy:<order>" and rewards "reward:<id>", so they never meet a
// trade id or each other.

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

/** Completed conversions, each one trade with both sides exact (import/conversion.ts), kept as "<prefix>:<id>". */
export function conversionEntries(account: string, conversions: readonly Conversion[], prefix: 'convert' | 'dust' | 'buy' = 'convert'): LedgerTradeInput[] {
  return conversions
    .filter((c) => c.status === 'ok')
    .map((c) => conversionTrade(account, c.timestamp, c.spent, c.received, 'venue', `${prefix}:${c.id}`))
}

export interface RewardEntries {
  entries: LedgerTransferInput[]
  /** Records not read, by reason: "token swap" (both sides), "debit". */
  skipped: Map<string, number>
}

/**
 * Credits as income. A record booked as one movement with a debit (same transaction id: a token swap or
 * redenomination, old coin out, new coin in) is no income, so the whole movement is skipped, as the
 * statement import does (binance-statement.ts); a lone debit is skipped too, and both are counted.
 */
export function rewardEntries(account: string, rewards: readonly Reward[]): RewardEntries {
  const groupsWith = (direction: Reward['direction']) => new Set(rewards.filter((r) => r.direction === direction && r.group !== null).map((r) => r.group))
  const credited = groupsWith('in')
  const swapGroups = new Set([...groupsWith('out')].filter((g) => credited.has(g)))
  const skipped = new Map<string, number>()
  const entries: LedgerTransferInput[] = []
  for (const r of rewards) {
    const reason = r.group !== null && swapGroups.has(r.group) ? 'token swap' : r.direction === 'out' ? 'debit' : null
    if (reason) {
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1)
      continue
    }
    entries.push({ kind: 'income', account, timestamp: r.timestamp, asset: r.asset, amount: r.amount, fee: null, source: 'venue', externalId: `reward:${r.id}`, memo: r.what || null })
  }
  return { entries, skipped }
}

import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// A one-account tax report beside another account with many warnings (lines-warnings.ts must not check
// every warning against every line): account A holds `n` deposits never withdrawn before (each warned as
// such), account B `n` lots of its own, each sold in a sale of its own, 40 days later (2025).
export function oneAccountBesideWarnings(n: number): LedgerEntryInput[] {
  const at = Date.UTC(2025, 0, 2, 12)
  const out: LedgerEntryInput[] = []
  const trade = (side: 'buy' | 'sell', t: number): LedgerEntryInput => ({
    kind: 'trade', account: 'B', timestamp: t, symbol: 'SOL/USD', base: 'SOL', quote: 'USD', side, price: side === 'buy' ? '1' : '2', amount: '1', fee: null, source: 'csv', externalId: null,
  })
  for (let i = 0; i < n; i++) out.push({ kind: 'deposit', account: 'A', timestamp: at + i * 60_000, asset: 'SOL', amount: '1', fee: null, source: 'csv', externalId: null } as LedgerEntryInput)
  for (let i = 0; i < n; i++) out.push(trade('buy', at + 30_000 + i * 60_000))
  for (let i = 0; i < n; i++) out.push(trade('sell', at + 40 * 86_400_000 + i * 60_000))
  return out
}

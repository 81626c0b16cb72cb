import { D, ZERO, fmt, type D as Dec } from './decimal'
import type { PaperStore } from './store'

// The money put into and taken out of each paper account, for the Portfolio's ledger: its starting balances
// (in when opened) and, once closed, what it held then (out). The store keeps the balances as they are now;
// the starting ones are those less every fill, since only fills move a paper account's balances.

export interface AssetAmount {
  asset: string
  amount: string
}

export interface PaperFunding {
  /** 'paper:<n>', its ledger account too. */
  account: string
  openedAt: number
  opening: AssetAmount[]
  /** Null while open. */
  closedAt: number | null
  /** What it holds now (all free once closed: its orders were canceled). */
  held: AssetAmount[]
}

/** Every paper account, open or closed, oldest first. */
export function paperFunding(store: PaperStore): PaperFunding[] {
  return [...store.accounts(), ...store.closedAccounts()]
    .sort((a, b) => a.seq - b.seq)
    .map((row) => {
      const held = heldBy(store, row.id)
      return { account: row.id, openedAt: row.createdAt, opening: openingOf(store, row.id, held), closedAt: row.closedAt, held }
    })
}

/** What the account holds now, free and reserved, by asset (zero balances left out). */
export function heldBy(store: PaperStore, accountId: string): AssetAmount[] {
  return positive(new Map(store.balances(accountId).map((b) => [b.asset, new D(b.free).plus(b.used)])))
}

function openingOf(store: PaperStore, accountId: string, held: AssetAmount[]): AssetAmount[] {
  const start = new Map<string, Dec>(held.map((h) => [h.asset, new D(h.amount)]))
  const move = (asset: string, by: Dec) => start.set(asset, (start.get(asset) ?? ZERO).minus(by))
  for (const f of store.allFills(accountId)) {
    const [base, quote] = f.symbol.split(':')[0]!.split('/') as [string, string | undefined]
    if (quote === undefined) continue
    const value = new D(f.price).times(f.amount)
    move(base, f.side === 'buy' ? new D(f.amount) : new D(f.amount).neg())
    move(quote, f.side === 'buy' ? value.neg() : value)
    move(f.feeAsset, new D(f.fee).neg())
  }
  return positive(start)
}

function positive(amounts: Map<string, Dec>): AssetAmount[] {
  return [...amounts]
    .filter(([, amount]) => amount.gt(0))
    .map(([asset, amount]) => ({ asset, amount: fmt(amount) }))
    .sort((a, b) => a.asset.localeCompare(b.asset))
}

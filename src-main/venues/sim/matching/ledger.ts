import type { Balance, DecimalString } from '../../port'
import { Dec, ZERO, fmt } from './decimal'

export interface Holding {
  free: Dec
  locked: Dec
}

/**
 * Accounts' balances (free and locked per asset) and the fees the venue collected. Money only moves between
 * these buckets; deposits and resets are the only way in or out. Every touched (account, asset) is
 * remembered until `drainTouched`, so the engine can emit one 'balance' event per account per call.
 */
export class Ledger {
  private readonly accounts = new Map<string, Map<string, Holding>>()
  private readonly fees = new Map<string, Dec>()
  private touched = new Map<string, Set<string>>()

  has(accountId: string): boolean {
    return this.accounts.has(accountId)
  }

  accountIds(): string[] {
    return [...this.accounts.keys()]
  }

  ensure(accountId: string): Map<string, Holding> {
    let holdings = this.accounts.get(accountId)
    if (!holdings) this.accounts.set(accountId, (holdings = new Map()))
    return holdings
  }

  free(accountId: string, asset: string): Dec {
    return this.accounts.get(accountId)?.get(asset)?.free ?? ZERO
  }

  locked(accountId: string, asset: string): Dec {
    return this.accounts.get(accountId)?.get(asset)?.locked ?? ZERO
  }

  credit(accountId: string, asset: string, amount: Dec): void {
    const h = this.holding(accountId, asset)
    h.free = h.free.plus(amount)
  }

  /** free → locked. The caller has checked that free suffices. */
  lock(accountId: string, asset: string, amount: Dec): void {
    const h = this.holding(accountId, asset)
    if (h.free.lt(amount)) throw new Error(`ledger: lock ${fmt(amount)} ${asset} exceeds free ${fmt(h.free)} (${accountId})`)
    h.free = h.free.minus(amount)
    h.locked = h.locked.plus(amount)
  }

  /** locked → free. */
  unlock(accountId: string, asset: string, amount: Dec): void {
    if (amount.isZero()) return
    const h = this.holding(accountId, asset)
    if (h.locked.lt(amount)) throw new Error(`ledger: unlock ${fmt(amount)} ${asset} exceeds locked ${fmt(h.locked)} (${accountId})`)
    h.locked = h.locked.minus(amount)
    h.free = h.free.plus(amount)
  }

  /** Locked funds leave the account (paid to a counterparty). */
  spendLocked(accountId: string, asset: string, amount: Dec): void {
    const h = this.holding(accountId, asset)
    if (h.locked.lt(amount)) throw new Error(`ledger: spend ${fmt(amount)} ${asset} exceeds locked ${fmt(h.locked)} (${accountId})`)
    h.locked = h.locked.minus(amount)
  }

  collectFee(asset: string, amount: Dec): void {
    if (amount.isZero()) return
    this.fees.set(asset, (this.fees.get(asset) ?? ZERO).plus(amount))
  }

  /** Replaces the account's balances with exactly these free amounts (nothing locked). */
  reset(accountId: string, balances: Map<string, Dec>): void {
    const holdings = this.ensure(accountId)
    for (const asset of holdings.keys()) this.touch(accountId, asset)
    holdings.clear()
    for (const [asset, amount] of balances) {
      holdings.set(asset, { free: amount, locked: ZERO })
      this.touch(accountId, asset)
    }
  }

  balances(accountId: string, assets?: Iterable<string>): Balance[] {
    const holdings = this.accounts.get(accountId)
    const list = assets ? [...assets] : [...(holdings?.keys() ?? [])]
    return list.sort().map((asset) => {
      const h = holdings?.get(asset)
      const free = h?.free ?? ZERO
      const locked = h?.locked ?? ZERO
      return { asset, free: fmt(free), used: fmt(locked), total: fmt(free.plus(locked)) }
    })
  }

  feesCollected(): Record<string, DecimalString> {
    const out: Record<string, DecimalString> = {}
    for (const asset of [...this.fees.keys()].sort()) out[asset] = fmt(this.fees.get(asset) ?? ZERO)
    return out
  }

  /** The (account → assets) touched since the last drain, in first-touch order. */
  drainTouched(): Map<string, Set<string>> {
    const touched = this.touched
    this.touched = new Map()
    return touched
  }

  exportHoldings(accountId: string): Record<string, { free: DecimalString; locked: DecimalString }> {
    const out: Record<string, { free: DecimalString; locked: DecimalString }> = {}
    const holdings = this.accounts.get(accountId)
    if (!holdings) return out
    for (const asset of [...holdings.keys()].sort()) {
      const h = holdings.get(asset) as Holding
      out[asset] = { free: fmt(h.free), locked: fmt(h.locked) }
    }
    return out
  }

  /** Restore only: sets a holding without touching anything. */
  restoreHolding(accountId: string, asset: string, free: Dec, locked: Dec): void {
    this.ensure(accountId).set(asset, { free, locked })
  }

  restoreFee(asset: string, amount: Dec): void {
    this.fees.set(asset, amount)
  }

  private holding(accountId: string, asset: string): Holding {
    const holdings = this.ensure(accountId)
    let h = holdings.get(asset)
    if (!h) holdings.set(asset, (h = { free: new Dec(0), locked: new Dec(0) }))
    this.touch(accountId, asset)
    return h
  }

  private touch(accountId: string, asset: string): void {
    let set = this.touched.get(accountId)
    if (!set) this.touched.set(accountId, (set = new Set()))
    set.add(asset)
  }
}

import { fixedArith as ar } from '../portfolio/arith'
import type { TaxLine, TaxWarning } from '../api/schemas/tax'
import type { Flow } from './flows'

// What every matcher produces: each disposal of an asset and the acquisitions its units were matched to.
// Also the one treatment of transfers all matchers share. The report is the user's, across their accounts,
// so an asset's holdings are one pool: a withdrawal is not a sale (the coins are still the user's, in a
// wallet the ledger does not see), and a later deposit of the same asset brings them back with the cost
// and dates they had. A deposit beyond what left is a new acquisition at its value on arrival, warned:
// its real cost basis may be older.

export interface MatchedPart {
  amount: bigint
  cost: bigint
  /** When the matched units were acquired; null for a pooled cost (UK Section 104) or no cost basis. */
  acquiredAt: number | null
  rule: TaxLine['rule']
  /** Acquired through an entry valued without a price (or disposed of for unpriced proceeds): its figure counts 0 for it. */
  unpriced?: boolean
}

export interface Disposal {
  id: number
  asset: string
  account: string
  t: number
  amount: bigint
  proceeds: bigint
  cause: 'trade' | 'fee'
  parts: MatchedPart[]
  /** Its proceeds were valued without a price (counted 0 for what had none). */
  unpriced?: boolean
  /** A UK day's disposals in several accounts (one disposal, hmrc.ts): each account's units and proceeds. */
  byAccount?: AccountShare[]
}

export interface AccountShare {
  account: string
  amount: bigint
  proceeds: bigint
  unpriced?: boolean
}

export interface Acquisition {
  t: number
  amount: bigint
  cost: bigint
  /** The account it was acquired in (where its basis goes first when one pool becomes per account). */
  account?: string
  /** Valued without a price (see MatchedPart). */
  unpriced?: boolean
}

/**
 * What a disposal brought in: a transfer's fee paid in coins is disposed of at their market value (HMRC
 * CRYPTO22280; US: fair market value), though the P&L books it as an expense with no proceeds.
 */
export function proceedsOf(f: Flow): bigint {
  return f.worth ?? f.value
}

/** Which of a report's warnings it keeps, by where and when each arose (report.ts: a one-account report's). */
export type KeepWarning = (w: { account: string; timestamp: number }) => boolean

interface RawWarning {
  kind: 'unmatched-deposit' | 'unpriced-deposit' | 'unpriced-transfer-fee' | 'stale-price'
  asset: string
  account: string
  timestamp: number
  amount: bigint | null
  message: string
}

/**
 * Warnings found while matching, grouped by kind and asset (the first one's time, a count and an amount).
 * With `each`, each is kept as it arose until listed, so that a one-account report groups only those it
 * keeps (a group of several accounts' warnings bears only its first one's account); without, they are
 * grouped as they come, holding no more than a group each (a ledger can raise one for every entry).
 */
export class MatchWarnings {
  private readonly raw: RawWarning[] | null
  private readonly groups = new Map<string, TaxWarning & { total: bigint | null }>()

  /**
   * `currency`: the report's, named in the warnings' words. `staleWithin`: the report's year; an old price
   * used outside it is not counted (it is listed with the report of the year it was used in).
   */
  constructor(
    readonly currency: string | null = null,
    private readonly staleWithin: { start: number; end: number } | null = null,
    options: { each?: boolean } = {},
  ) {
    this.raw = options.each ? [] : null
  }

  /** `amount` null: a warning with no amount to sum (an old price). */
  add(kind: RawWarning['kind'], asset: string, account: string, t: number, amount: bigint | null, message: string): void {
    if (kind === 'stale-price' && this.staleWithin !== null && (t < this.staleWithin.start || t > this.staleWithin.end)) return
    const w = { kind, asset, account, timestamp: t, amount, message }
    if (this.raw) this.raw.push(w)
    else group(this.groups, w)
  }

  /** The warnings `keep` keeps (all by default; choosing needs `each`), grouped. */
  list(keep?: KeepWarning): TaxWarning[] {
    let groups = this.groups
    if (this.raw) {
      groups = new Map()
      for (const w of this.raw) if (keep === undefined || keep(w)) group(groups, w)
    } else if (keep !== undefined) throw new Error('MatchWarnings: choosing among warnings needs them kept each (each: true)')
    return [...groups.values()].map(({ total, ...w }) => (total === null ? w : { ...w, amount: ar.format(total) }))
  }
}

function group(groups: Map<string, TaxWarning & { total: bigint | null }>, w: RawWarning): void {
  const key = `${w.kind}\u0000${w.asset}`
  const g = groups.get(key)
  if (g) {
    g.count = (g.count ?? 1) + 1
    if (g.total !== null && w.amount !== null) g.total += w.amount
    return
  }
  groups.set(key, { kind: w.kind, asset: w.asset, account: w.account, timestamp: w.timestamp, message: w.message, total: w.amount })
}

/**
 * A deposit's units beyond what was withdrawn before: acquired at their value on arrival, or — no price known
 * then, value 0 — at zero cost, which makes a later sale all gain: warned apart (unpriced-deposit), as the
 * report's incompleteness.
 */
export function warnFreshDeposit(warnings: MatchWarnings, asset: string, f: Flow, fresh: bigint): void {
  const unpriced = f.value === 0n
  warnings.add('unmatched-deposit', asset, f.account, f.t, fresh, `${asset} deposited without an earlier withdrawal of it in the ledger: counted as acquired ${unpriced ? 'at zero cost (no price known)' : 'at its value on arrival'}`)
  if (!unpriced) return warnOldPrice(warnings, f, `the ${asset} deposit`)
  const currency = warnings.currency === null ? '' : `${warnings.currency} `
  warnings.add('unpriced-deposit', asset, f.account, f.t, fresh, `no ${currency}price for ${asset} when it was deposited: counted at zero cost, so what it sells for is all gain (import a price of ${asset} for that day)`)
}

/**
 * A transfer's fee paid in coins with no price then: disposed of for 0 (proceedsOf), so its line's gain is
 * short by what the coins were worth. The book values the fee as an expense and needs no price, so it does
 * not warn: tax does.
 */
export function warnUnpricedTransferFee(warnings: MatchWarnings, f: Flow): void {
  if (f.cause !== 'fee' || f.transfer === undefined || f.worth !== undefined) return
  const currency = warnings.currency === null ? '' : `${warnings.currency} `
  warnings.add('unpriced-transfer-fee', f.asset, f.account, f.t, f.amount, `no ${currency}price for ${f.asset} when its ${f.transfer} fee was paid; the fee is counted as disposed of for 0 (import a price of ${f.asset} for that day)`)
}

/** The warning for a flow valued at an old price (BookFlow.oldPrice), naming the asset and the price's date. */
export function warnOldPrice(warnings: MatchWarnings, f: Flow, what: string): void {
  const old = f.oldPrice
  if (old === undefined) return
  const days = Math.floor((f.t - old.at) / 86_400_000)
  const day = (t: number) => new Date(t).toISOString().slice(0, 10)
  warnings.add('stale-price', old.asset, f.account, f.t, null, `${what} on ${day(f.t)} is valued at the newest price of ${old.asset} known then, from ${day(old.at)} (${days} days older): import a price of ${old.asset} for that time`)
}

/** A flow valued without a price marks what it makes (a lot, a disposal). */
export function unpricedOf(f: Flow): { unpriced?: true } {
  return f.unpriced ? { unpriced: true } : {}
}

/**
 * Walks one asset's flows: acquisitions and disposals go to the matcher, transfers are settled here
 * (see above). `until` bounds the disposals kept: later ones are still applied (UK matching looks ahead),
 * and the caller decides which to report.
 */
export function splitFlows(
  asset: string,
  flows: readonly Flow[],
  warnings: MatchWarnings,
  on: { acquire(a: Acquisition): void; dispose(d: Omit<Disposal, 'id' | 'parts'>): void },
): { away: bigint } {
  let away = 0n
  for (const f of flows) {
    if (f.dir === 'out') {
      if (f.cause === 'withdrawal') away += f.amount
      else on.dispose({ asset, account: f.account, t: f.t, amount: f.amount, proceeds: proceedsOf(f), cause: f.cause === 'fee' ? 'fee' : 'trade', ...unpricedOf(f) })
      continue
    }
    if (f.cause !== 'deposit') {
      on.acquire({ t: f.t, amount: f.amount, cost: f.value, account: f.account, ...unpricedOf(f) })
      continue
    }
    const back = away < f.amount ? away : f.amount
    away -= back
    const fresh = f.amount - back
    if (fresh > 0n) {
      const cost = back === 0n ? f.value : ar.mulDiv(f.value, fresh, f.amount)
      warnFreshDeposit(warnings, asset, f, fresh)
      on.acquire({ t: f.t, amount: fresh, cost, account: f.account, ...unpricedOf(f) })
    }
  }
  // Withdrawn and not deposited again (yet): still the user's, in a wallet the ledger does not see.
  return { away }
}

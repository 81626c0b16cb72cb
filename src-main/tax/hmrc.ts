import { fixedArith as ar } from '../portfolio/arith'
import { dayNumber, dayOf } from './calendar'
import type { Disposal, MatchWarnings } from './disposals'
import { splitFlows } from './disposals'
import type { Flow } from './flows'

// The UK's matching rules for cryptoassets (HMRC Cryptoassets Manual CRYPTO22200; TCGA 1992 s.104–106A),
// applied in this order, by UK calendar day:
//   1. same day: all of one day's disposals are one disposal (TCGA 1992 s.105(1)(a), HMRC CG51560:
//      one line, one of the year's disposals), matched with the same day's acquisitions (all of one
//      day's acquisitions count as one, at their average cost);
//   2. bed and breakfast: what is left is matched with acquisitions in the 30 days after the disposal,
//      earliest first;
//   3. Section 104 pool: the rest comes out of the pool of everything else held, at its average cost.
// Acquisitions used by rules 1 and 2 never enter the pool. Needs the flows up to 30 days after the
// last disposal reported.

interface DayAcquisitions {
  day: number
  firstT: number
  amount: bigint
  cost: bigint
  left: bigint
  /** The cost of `left`: what is not yet matched, so that parts and the pooled rest add up to `cost` exactly. */
  costLeft: bigint
  /** Some of the day's acquisitions were valued without a price (MatchedPart.unpriced). */
  unpriced: boolean
}

interface Pending {
  disposal: Disposal
  day: number
  left: bigint
  /** The accounts the day's disposals were in (the line names them all). */
  accounts: string[]
}

/** The cost of `part` of what is left of a day's acquisitions (their average cost; all that is left when it is all). */
function costOf(a: DayAcquisitions, part: bigint): bigint {
  return part === a.left ? a.costLeft : ar.mulDiv(a.cost, part, a.amount)
}

export function matchHmrc(asset: string, flows: readonly Flow[], zone: string, warnings: MatchWarnings, nextId: () => number): Disposal[] {
  const days: DayAcquisitions[] = []
  const byDay = new Map<number, DayAcquisitions>()
  const pending: Pending[] = []
  const byDisposalDay = new Map<number, Pending>()
  splitFlows(asset, flows, warnings, {
    acquire: (a) => {
      const day = dayNumber(dayOf(a.t, zone))
      let d = byDay.get(day)
      if (!d) {
        d = { day, firstT: a.t, amount: 0n, cost: 0n, left: 0n, costLeft: 0n, unpriced: false }
        byDay.set(day, d)
        days.push(d)
      }
      d.amount += a.amount
      d.cost += a.cost
      d.left += a.amount
      d.costLeft += a.cost
      if (a.unpriced) d.unpriced = true
    },
    dispose: (d) => {
      const day = dayNumber(dayOf(d.t, zone))
      const same = byDisposalDay.get(day)
      if (same) return combine(same, d)
      const p: Pending = { disposal: { ...d, id: nextId(), parts: [] }, day, left: d.amount, accounts: [d.account] }
      byDisposalDay.set(day, p)
      pending.push(p)
    },
  })

  // 1. Same day.
  for (const p of pending) {
    const a = byDay.get(p.day)
    if (a) take(p, a, 'same-day')
  }
  // 2. Bed and breakfast: the next 30 days' acquisitions, earliest first (days are in time order).
  let from = 0
  for (const p of pending) {
    if (p.left === 0n) continue
    while (from < days.length && (days[from] as DayAcquisitions).day <= p.day) from++
    for (let i = from; i < days.length && p.left > 0n; i++) {
      const a = days[i] as DayAcquisitions
      if (a.day > p.day + 30) break
      take(p, a, 'bed-and-breakfast')
    }
  }
  // 3. The Section 104 pool, in time order: a day's acquisitions join before that day's disposals leave.
  let poolAmount = 0n
  let poolCost = 0n
  // Whether units valued without a price are in the pool (until it is emptied): its average cost is short.
  let poolUnpriced = false
  let next = 0
  for (const p of pending) {
    while (next < days.length && (days[next] as DayAcquisitions).day <= p.day) {
      const a = days[next++] as DayAcquisitions
      if (a.left > 0n) {
        poolAmount += a.left
        poolCost += a.costLeft
        if (a.unpriced) poolUnpriced = true
      }
    }
    if (p.left === 0n) continue
    const taken = p.left < poolAmount ? p.left : poolAmount
    if (taken > 0n) {
      const cost = taken === poolAmount ? poolCost : ar.mulDiv(poolCost, taken, poolAmount)
      p.disposal.parts.push({ amount: taken, cost, acquiredAt: null, rule: 'section-104', ...(poolUnpriced ? { unpriced: true } : {}) })
      poolAmount -= taken
      poolCost -= cost
      if (poolAmount === 0n) poolUnpriced = false
      p.left -= taken
    }
    if (p.left > 0n) {
      p.disposal.parts.push({ amount: p.left, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      p.left = 0n
    }
  }
  return pending.map((p) => p.disposal)
}

/**
 * Adds a disposal to the same day's: one disposal of the day's units and proceeds, in every account (HMRC
 * pools a person's holdings), dated at the day's first. A fee joins a sale as part of it.
 */
function combine(p: Pending, d: Omit<Disposal, 'id' | 'parts'>): void {
  const into = p.disposal
  // Each account's part, for a report of one of them (one-account.ts): the day's first disposal's, then each added.
  const shares = (into.byAccount ??= [{ account: into.account, amount: into.amount, proceeds: into.proceeds, ...(into.unpriced ? { unpriced: true } : {}) }])
  const share = shares.find((s) => s.account === d.account)
  if (share) {
    share.amount += d.amount
    share.proceeds += d.proceeds
    if (d.unpriced) share.unpriced = true
  } else shares.push({ account: d.account, amount: d.amount, proceeds: d.proceeds, ...(d.unpriced ? { unpriced: true } : {}) })
  into.amount += d.amount
  into.proceeds += d.proceeds
  p.left += d.amount
  if (d.cause === 'trade') into.cause = 'trade'
  if (d.unpriced) into.unpriced = true
  if (!p.accounts.includes(d.account)) {
    p.accounts.push(d.account)
    into.account = p.accounts.join(', ')
  }
}

function take(p: Pending, a: DayAcquisitions, rule: 'same-day' | 'bed-and-breakfast'): void {
  const part = p.left < a.left ? p.left : a.left
  if (part === 0n) return
  const cost = costOf(a, part)
  p.disposal.parts.push({ amount: part, cost, acquiredAt: a.firstT, rule, ...(a.unpriced ? { unpriced: true } : {}) })
  a.left -= part
  a.costLeft -= cost
  p.left -= part
}

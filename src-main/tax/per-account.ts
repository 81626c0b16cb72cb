import { fixedArith as ar } from '../portfolio/arith'
import { proceedsOf, splitFlows, unpricedOf, warnFreshDeposit, type Disposal, type MatchWarnings } from './disposals'
import type { Flow } from './flows'
import { Lots, type LotMethod } from './lot-matching'

// Matching per account (wallet by wallet, as US rules require from 2025: Rev. Proc. 2024-28): a sale in
// an account takes its cost only from that account's lots. Coins sent from one account to another take
// their lots with them: a withdrawal takes lots from its account (by the same method) and holds them in
// transit; the next deposit of the asset, in any account, receives them with their dates and costs. A
// deposit beyond what is in transit is acquired at its value on arrival (warned, as with one pool).

interface TransitLot {
  t: number
  amount: bigint
  cost: bigint
  /** Left an account that had no record of acquiring them: still without a cost basis where they arrive. */
  unknown: boolean
  /** Acquired through an entry valued without a price (MatchedPart.unpriced). */
  unpriced?: boolean
}

/** Where per-account matching starts: each account's lots, and lots on their way between accounts. */
interface StartingLots {
  byAccount: Map<string, TransitLot[]>
  transit: TransitLot[]
}

export function matchLotsPerAccount(asset: string, flows: readonly Flow[], method: LotMethod, warnings: MatchWarnings, nextId: () => number, start?: StartingLots): Disposal[] {
  const pools = new Map<string, Lots>()
  const lotsOf = (account: string) => {
    let lots = pools.get(account)
    if (!lots) pools.set(account, (lots = new Lots(method)))
    return lots
  }
  for (const [account, lots] of start?.byAccount ?? []) for (const lot of lots) lotsOf(account).add(lot)
  const transit: TransitLot[] = [...(start?.transit ?? [])]
  const out: Disposal[] = []
  for (const f of flows) {
    const lots = lotsOf(f.account)
    if (f.dir === 'out') {
      const { parts, missing } = lots.take(f.amount)
      if (f.cause === 'withdrawal') {
        // What left without a known cost travels as such: sold later, it is reported (and warned) as having
        // no cost basis, as one pool would report it.
        for (const p of parts) transit.push({ t: p.acquiredAt ?? f.t, amount: p.amount, cost: p.cost, unknown: p.rule === 'no-cost-basis', ...(p.unpriced ? { unpriced: true } : {}) })
        if (missing > 0n) transit.push({ t: f.t, amount: missing, cost: 0n, unknown: true })
        continue
      }
      if (missing > 0n) parts.push({ amount: missing, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      out.push({ id: nextId(), asset, account: f.account, t: f.t, amount: f.amount, proceeds: proceedsOf(f), cause: f.cause === 'fee' ? 'fee' : 'trade', parts, ...unpricedOf(f) })
      continue
    }
    if (f.cause !== 'deposit') {
      lots.add({ t: f.t, amount: f.amount, cost: f.value, ...unpricedOf(f) })
      continue
    }
    let left = f.amount
    while (left > 0n && transit.length > 0) {
      const lot = transit[0] as TransitLot
      if (lot.amount <= left) {
        lots.add(lot)
        left -= lot.amount
        transit.shift()
      } else {
        const cost = ar.mulDiv(lot.cost, left, lot.amount)
        lots.add({ t: lot.t, amount: left, cost, unknown: lot.unknown, ...(lot.unpriced ? { unpriced: true } : {}) })
        lot.amount -= left
        lot.cost -= cost
        left = 0n
      }
    }
    if (left > 0n) {
      warnFreshDeposit(warnings, asset, f, left)
      lots.add({ t: f.t, amount: left, cost: left === f.amount ? f.value : ar.mulDiv(f.value, left, f.amount), ...unpricedOf(f) })
    }
  }
  return out
}

/**
 * One pool until `cutover`, account by account after it — the US move to wallet-by-wallet basis on
 * 1 January 2025 (Rev. Proc. 2024-28). Reports before 2025 matched every account's sales against one pool;
 * matching per account from the first trade would use, in 2025, lots those reports had already used (a cost
 * deducted twice, another never). So the pool is matched up to the cutover, and the basis it has not used
 * is then allocated to the units each account holds (the safe harbour's allocation), by one stated rule:
 * each account first takes the unused lots bought in it (oldest first, up to what it holds); the lots
 * left over go, oldest first, to the units withdrawn and not yet deposited again, then to the accounts
 * still short, in the order of their names.
 */
export function matchLotsFromCutover(asset: string, flows: readonly Flow[], method: LotMethod, warnings: MatchWarnings, nextId: () => number, cutover: number): Disposal[] {
  const before = flows.filter((f) => f.t < cutover)
  if (before.length === 0) return matchLotsPerAccount(asset, flows, method, warnings, nextId)
  const after = flows.filter((f) => f.t >= cutover)
  const pool = new Lots(method)
  const out: Disposal[] = []
  const { away } = splitFlows(asset, before, warnings, {
    acquire: (a) => pool.add(a),
    dispose: (d) => {
      const { parts, missing } = pool.take(d.amount)
      if (missing > 0n) parts.push({ amount: missing, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      out.push({ ...d, id: nextId(), parts })
    },
  })
  const held = new Map<string, bigint>()
  for (const f of before) held.set(f.account, (held.get(f.account) ?? 0n) + (f.dir === 'in' ? f.amount : -f.amount))
  out.push(...matchLotsPerAccount(asset, after, method, warnings, nextId, allocate(pool.openLots(cutover), held, away)))
  return out
}

/** The pool's lots (oldest first) given to the holders by the rule above; what exceeds their units is not kept. */
function allocate(lots: readonly (TransitLot & { account?: string })[], held: ReadonlyMap<string, bigint>, away: bigint): StartingLots {
  const need = new Map([...held].filter(([, amount]) => amount > 0n))
  const start: StartingLots = { byAccount: new Map(), transit: [] }
  const give = (account: string | null, lot: TransitLot, amount: bigint): TransitLot => {
    const cost = amount === lot.amount ? lot.cost : ar.mulDiv(lot.cost, amount, lot.amount)
    const piece = { t: lot.t, amount, cost, unknown: lot.unknown, ...(lot.unpriced ? { unpriced: true } : {}) }
    if (account === null) start.transit.push(piece)
    else {
      let list = start.byAccount.get(account)
      if (!list) start.byAccount.set(account, (list = []))
      list.push(piece)
      need.set(account, (need.get(account) as bigint) - amount)
    }
    return { ...lot, amount: lot.amount - amount, cost: lot.cost - cost }
  }
  // 1. Each account's own lots, as far as it still holds units.
  const left: TransitLot[] = []
  for (const lot of lots) {
    let rest: TransitLot = lot
    const own = lot.account === undefined ? 0n : (need.get(lot.account) ?? 0n)
    if (own > 0n) rest = give(lot.account as string, lot, lot.amount <= own ? lot.amount : own)
    if (rest.amount > 0n) left.push(rest)
  }
  // 2. The rest: units in transit first, then the accounts still short, by name.
  const takers: [string | null, bigint][] = [...(away > 0n ? ([[null, away]] as [null, bigint][]) : []), ...[...need].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]
  for (const taker of takers) {
    let want = taker[0] === null ? taker[1] : (need.get(taker[0]) as bigint)
    while (want > 0n && left.length > 0) {
      const lot = left[0] as TransitLot
      const amount = lot.amount <= want ? lot.amount : want
      const rest = give(taker[0], lot, amount)
      want -= amount
      if (rest.amount === 0n) left.shift()
      else left[0] = rest
    }
  }
  return start
}

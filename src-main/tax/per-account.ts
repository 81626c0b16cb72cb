import { fixedArith as ar } from '../portfolio/arith'
import { proceedsOf, type Disposal, type MatchWarnings } from './disposals'
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
}

export function matchLotsPerAccount(asset: string, flows: readonly Flow[], method: LotMethod, warnings: MatchWarnings, nextId: () => number): Disposal[] {
  const pools = new Map<string, Lots>()
  const lotsOf = (account: string) => {
    let lots = pools.get(account)
    if (!lots) pools.set(account, (lots = new Lots(method)))
    return lots
  }
  const transit: TransitLot[] = []
  const out: Disposal[] = []
  for (const f of flows) {
    const lots = lotsOf(f.account)
    if (f.dir === 'out') {
      const { parts, missing } = lots.take(f.amount)
      if (f.cause === 'withdrawal') {
        // What left without a known cost travels as such: sold later, it is reported (and warned) as having
        // no cost basis, as one pool would report it.
        for (const p of parts) transit.push({ t: p.acquiredAt ?? f.t, amount: p.amount, cost: p.cost, unknown: p.rule === 'no-cost-basis' })
        if (missing > 0n) transit.push({ t: f.t, amount: missing, cost: 0n, unknown: true })
        continue
      }
      if (missing > 0n) parts.push({ amount: missing, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      out.push({ id: nextId(), asset, account: f.account, t: f.t, amount: f.amount, proceeds: proceedsOf(f), cause: f.cause === 'fee' ? 'fee' : 'trade', parts })
      continue
    }
    if (f.cause !== 'deposit') {
      lots.add({ t: f.t, amount: f.amount, cost: f.value })
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
        lots.add({ t: lot.t, amount: left, cost, unknown: lot.unknown })
        lot.amount -= left
        lot.cost -= cost
        left = 0n
      }
    }
    if (left > 0n) {
      warnings.add('unmatched-deposit', asset, f.account, f.t, left, `${asset} deposited without an earlier withdrawal of it in the ledger: counted as acquired at its value on arrival`)
      lots.add({ t: f.t, amount: left, cost: left === f.amount ? f.value : ar.mulDiv(f.value, left, f.amount) })
    }
  }
  return out
}

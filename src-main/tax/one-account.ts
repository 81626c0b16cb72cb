import { fixedArith as ar } from '../portfolio/arith'
import type { Disposal, MatchedPart } from './disposals'

// A report of one account keeps that account's disposals. A UK day's disposals in several accounts are one
// disposal (hmrc.ts); the account's report takes its own part of it: its units and proceeds, and of each
// matched part (same day, bed and breakfast, Section 104) the share its units are of the day's.

/** The account's disposals among all of the user's (`account` null: all of them). */
export function ownDisposals(list: readonly Disposal[], account: string | null): Disposal[] {
  if (account === null) return [...list]
  const out: Disposal[] = []
  for (const d of list) {
    if (d.account === account) {
      out.push(d)
      continue
    }
    const share = d.byAccount?.find((s) => s.account === account)
    if (share === undefined) continue
    const { byAccount: _, unpriced: __, ...rest } = d
    out.push({ ...rest, account, amount: share.amount, proceeds: share.proceeds, parts: shareParts(d, share.amount), ...(share.unpriced ? { unpriced: true } : {}) })
  }
  return out
}

/** The disposal's parts scaled to `amount` of its units; the units add up to `amount` exactly (the last part takes the rest). */
function shareParts(d: Disposal, amount: bigint): MatchedPart[] {
  let left = amount
  return d.parts.map((part, i) => {
    const units = i === d.parts.length - 1 ? left : ar.mulDiv(part.amount, amount, d.amount)
    left -= units
    return { ...part, amount: units, cost: ar.mulDiv(part.cost, amount, d.amount) }
  })
}

import { fixedArith as ar } from '../portfolio/arith'
import type { Disposal, MatchedPart } from './disposals'
import { cents } from './money'

// A report of one account keeps that account's disposals. A UK day's disposals in several accounts are one
// disposal (hmrc.ts); the account's report takes its own part of it: its units and proceeds, and of each
// matched part (same day, bed and breakfast, Section 104) the share its units are of the day's.
//
// The accounts' parts add up to the day to the penny: each account's proceeds, and its share of each matched
// part's cost, is the rounded running total through it less the rounded running total before it (in the
// day's order of accounts), so no penny is lost or counted twice between the accounts' reports.

/** The account's disposals among all of the user's (`account` null: all of them). */
export function ownDisposals(list: readonly Disposal[], account: string | null): Disposal[] {
  if (account === null) return [...list]
  const out: Disposal[] = []
  for (const d of list) {
    if (d.account === account) {
      out.push(d)
      continue
    }
    const at = d.byAccount?.findIndex((s) => s.account === account) ?? -1
    if (at < 0) continue
    out.push(accountPart(d, at))
  }
  return out
}

/** A whole number of pennies, at ledger scale. */
const PENNY = 10n ** 16n
const pennies = (n: bigint) => cents(n) * PENNY

function accountPart(d: Disposal, at: number): Disposal {
  const shares = d.byAccount!
  const share = shares[at]!
  let unitsBefore = 0n
  let proceedsBefore = 0n
  for (const s of shares.slice(0, at)) {
    unitsBefore += s.amount
    proceedsBefore += s.proceeds
  }
  const unitsThrough = unitsBefore + share.amount
  const costOf = (part: MatchedPart) =>
    d.amount === 0n ? 0n : pennies(ar.mulDiv(part.cost, unitsThrough, d.amount)) - pennies(ar.mulDiv(part.cost, unitsBefore, d.amount))
  const { byAccount: _, unpriced: __, ...rest } = d
  return {
    ...rest,
    account: share.account,
    amount: share.amount,
    proceeds: pennies(proceedsBefore + share.proceeds) - pennies(proceedsBefore),
    parts: shareParts(d, share.amount, costOf),
    ...(share.unpriced ? { unpriced: true } : {}),
  }
}

/** The disposal's parts scaled to `amount` of its units; the units add up to `amount` exactly (the last part takes the rest). */
function shareParts(d: Disposal, amount: bigint, costOf: (part: MatchedPart) => bigint): MatchedPart[] {
  let left = amount
  return d.parts.map((part, i) => {
    const units = i === d.parts.length - 1 ? left : d.amount === 0n ? 0n : ar.mulDiv(part.amount, amount, d.amount)
    left -= units
    return { ...part, amount: units, cost: costOf(part) }
  })
}

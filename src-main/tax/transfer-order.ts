import type { Flow } from './flows'

// One transfer between two of the user's accounts is two ledger entries, stamped by two exchanges' clocks:
// the deposit can be stamped seconds before the withdrawal it is (one records the transaction seen, the
// other its completion). Matched in time order, such a deposit finds nothing withdrawn: it would be a new
// acquisition at today's value, and the withdrawn lots would wait in transit for another deposit. So, before
// matching, such a pair is put withdrawal first.

/** How far apart the two ends of one transfer may be stamped. */
export const TRANSFER_WINDOW_MS = 3_600_000
/** The most of a withdrawal a network fee taken from it may be (what arrives is at least the rest): 5 %. */
const FEE_SHARE_MAX = { num: 5n, den: 100n }

/**
 * One asset's flows in time order, with each deposit that has a withdrawal from another account of about its
 * amount (the same, or up to 5 % more: the network fee) stamped up to an hour after it put after that
 * withdrawal, which takes the deposit's time. A withdrawal pairs with one deposit at most. Not paired: a deposit
 * that what is already in transit covers (it is that transfer), and a withdrawal with another flow of its
 * account stamped between the two (moved, it would leave before its own buy, say).
 */
export function withdrawalsFirst(flows: readonly Flow[]): Flow[] {
  const out = [...flows]
  // Withdrawn and not yet deposited, as the matchers will see it (any account's deposit takes it).
  let transit = 0n
  for (let i = 0; i < out.length; i++) {
    const d = out[i] as Flow
    if (d.cause === 'withdrawal') transit += d.amount
    if (d.dir !== 'in' || d.cause !== 'deposit') continue
    const j = transit < d.amount ? partner(out, i) : -1
    if (j >= 0) {
      const w = out[j] as Flow
      const moved = { ...w, t: d.t }
      out.splice(j, 1)
      out.splice(i, 0, moved)
      i++
      transit += w.amount
    }
    transit = transit > d.amount ? transit - d.amount : 0n
  }
  return out
}

/** The index of the withdrawal that deposit `out[i]` is, stamped up to an hour after it; -1: none. */
function partner(out: readonly Flow[], i: number): number {
  const d = out[i] as Flow
  const between = new Set<string>()
  for (let j = i + 1; j < out.length; j++) {
    const w = out[j] as Flow
    if (w.t - d.t > TRANSFER_WINDOW_MS) break
    if (w.cause === 'withdrawal' && w.account !== d.account && !between.has(w.account) && about(d.amount, w.amount)) return j
    between.add(w.account)
  }
  return -1
}

/** Whether `received` is what arrives of `sent` (equal, or less by at most the fee share). */
const about = (received: bigint, sent: bigint): boolean => received <= sent && (sent - received) * FEE_SHARE_MAX.den <= sent * FEE_SHARE_MAX.num

import type { SlotLog } from './slot-log'

// The capital a period's P&L % is of (Modified Dietz): the equity at the start plus each deposit and each
// withdrawal weighted by the share of the period it was there, so money taken out of an account that keeps
// going is capital no longer at work (profits taken out early, money moved to another of one's accounts).
// One case differs: when what is shown was emptied by a withdrawal (or all but dust: 0.1 % of it) (a paper account closed: its holdings
// written out as withdrawals), the period ends there — the withdrawal of everything weighs 0 rather than
// shrinking the capital to what was lost (10,000 in, −100, the 9,900 left taken out is −1 %, not −100 %).

export interface AccountMoney {
  /** Equity at the period's start (0: new, or emptied before). */
  held: bigint
  /** Money moved in (+) and out (−). */
  net: SlotLog | undefined
  /** Money put in only. */
  putIn: SlotLog | undefined
}

/**
 * The capital at work over start..now (null start: all time, the net deposits unweighted) of `accounts`,
 * whose equity now is `valueNow`. An account that held nothing at the start counts from its first money in
 * the period: it was at work all of the account's time, not for a share of a period it had no part in.
 */
export function capitalAtWork(accounts: readonly AccountMoney[], start: number | null, now: number, valueNow: bigint): bigint {
  const end = emptiedAt(accounts, valueNow)
  let capital = 0n
  for (const { held, net, putIn } of accounts) {
    capital += held
    if (net === undefined) continue
    if (end === null) {
      const from = start === null || held > 0n ? start : (net.firstSince(start) ?? start)
      capital += from === null ? net.total : net.weightedSince(from, now)
      continue
    }
    const from = start !== null && held > 0n ? start : net.firstSince(start ?? Number.NEGATIVE_INFINITY)
    if (from === null) continue
    // Opened and emptied within one 5-minute slot: no time to weigh by, the money put in was at work.
    capital += end > from ? net.weightedSince(from, end) : (putIn?.since(from) ?? 0n)
  }
  return capital
}

/**
 * The slot of the last money moved, when it took out what was left (nothing held now, or dust: under 0.1 %
 * of what that withdrawal took out — a cent an exchange's rounding left behind); else null.
 */
function emptiedAt(accounts: readonly AccountMoney[], valueNow: bigint): number | null {
  let last: number | null = null
  for (const a of accounts) {
    const t = a.net?.lastSlot ?? null
    if (t !== null && (last === null || t > last)) last = t
  }
  if (last === null) return null
  let out = 0n
  for (const a of accounts) out += (a.putIn?.since(last) ?? 0n) - (a.net?.since(last) ?? 0n)
  return out > 0n && isDust(valueNow, out) ? last : null
}

/** What is left counts as nothing: at most 0.1 % of what was just taken out. */
function isDust(left: bigint, takenOut: bigint): boolean {
  return left * 1000n <= takenOut
}

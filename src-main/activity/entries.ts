import Decimal from 'decimal.js'
import type { OrderRecord } from '../trading/model'
import type { AlertEvent, ConditionalView } from '../api/contract'
import type { CopyRecordView } from '../api/schemas/copy'
import { kindWords } from '../alerts/conditional-notices'
import { isCatchUp } from '../copy/catch-up'

// The words of the Activity feed's trading entries. Figures are the engine's own decimal strings; an
// average price is the exact cost / amount, to 8 places (as the fill notices say it).

export type Entry = { kind: string; message: string }

const ENDED = new Set<OrderRecord['status']>(['canceled', 'rejected', 'expired', 'lost'])

/** An order that filled, or ended without filling all of it; null for any other change. */
export function orderEntry(order: OrderRecord, previous: OrderRecord['status'] | null, labelOf: (venueId: string) => string): Entry | null {
  if (order.status === previous) return null
  const label = labelOf(order.venueId)
  if (order.status === 'filled') {
    const avg = new Decimal(order.cost).div(order.filled).toDecimalPlaces(8).toFixed()
    return { kind: 'orders', message: `${order.side === 'buy' ? 'Bought' : 'Sold'} ${order.filled} ${order.symbol} at ${avg} on ${label} (${order.type} order)` }
  }
  if (!ENDED.has(order.status)) return null
  const type = order.type.charAt(0).toUpperCase() + order.type.slice(1).replace(/-/g, ' ')
  const at = order.price === null ? '' : ` at ${order.price}`
  const part = new Decimal(order.filled).isZero() ? '' : ` (filled ${order.filled} of ${order.amount})`
  const why = order.error ? `: ${order.error}` : ''
  return { kind: 'orders', message: `${type} ${order.side} ${order.amount} ${order.symbol}${at} on ${label} ${order.status}${part}${why}` }
}

/** A conditional order that triggered or failed; null for any other state. */
export function conditionalEntry(v: ConditionalView): Entry | null {
  const what = `${kindWords[v.kind]} ${v.side} ${v.amount} ${v.symbol}`
  if (v.status === 'triggered') {
    const at = v.triggerPrice === null ? '' : ` at ${v.triggerPrice} (${v.trigger})`
    return { kind: 'conditional', message: `${what} triggered${at} on ${v.venueLabel}` }
  }
  if (v.status === 'failed') return { kind: 'conditional', message: `${what} failed on ${v.venueLabel}${v.reason ? `: ${v.reason}` : ''}` }
  return null
}

export function alertEntry(e: AlertEvent): Entry {
  return { kind: 'alerts', message: `${e.title} — ${e.body}` }
}

/** A copy placed (its order sent), skipped or failed; null for its other states (filled: the order's own entry says it). */
export function copyEntry(r: CopyRecordView, labelOf: (venueId: string) => string): Entry | null {
  const symbol = r.followerSymbol ?? r.leaderSymbol
  const sent = `${r.side} ${r.followerAmount ?? r.leaderAmount} ${symbol} on ${labelOf(r.followerVenueId)}`
  if (isCatchUp(r)) {
    // Not a copy of one leader fill: the sale making up those skipped while the leader's position was unknown.
    // Its leader amount is what those sales sold and its price the triggering fill's, so a catch-up not placed
    // is said in its own words (they carry the amount owed), never as "sell <the leader's amount> at <price>".
    const venue = labelOf(r.followerVenueId)
    if (r.status === 'pending' && r.clientOrderId !== null) return { kind: 'copy', message: `Copy catch-up placed: ${sent} — ${r.reason ?? 'sales skipped while the leader position was unknown'}` }
    if (r.status === 'skipped') return { kind: 'copy', message: `Copy catch-up skipped on ${venue} — ${r.reason ?? r.rule ?? 'no reason given'}` }
    if (r.status === 'failed') {
      return r.followerAmount === null
        ? { kind: 'copy', message: `Copy catch-up failed on ${venue} — ${r.error ?? 'no reason given'}${r.reason === null ? '' : `: ${r.reason}`}` }
        : { kind: 'copy', message: `Copy catch-up failed: ${sent} — ${r.error ?? 'no reason given'}` }
    }
    return null
  }
  if (r.status === 'pending' && r.clientOrderId !== null) {
    return { kind: 'copy', message: `Copy order placed: ${sent} (leader ${r.side === 'buy' ? 'bought' : 'sold'} ${r.leaderAmount} at ${r.leaderPrice})` }
  }
  if (r.status === 'skipped') return { kind: 'copy', message: `Copy skipped: ${r.side} ${r.leaderAmount} ${r.leaderSymbol} at ${r.leaderPrice} — ${r.reason ?? r.rule ?? 'no reason given'}` }
  if (r.status === 'failed') return { kind: 'copy', message: `Copy failed: ${sent} — ${r.error ?? 'no reason given'}` }
  return null
}

/** Remembers what was said (bounded: the oldest are forgotten first), so a state re-emitted is said once. */
export class SaidOnce {
  private readonly said = new Set<string>()
  constructor(private readonly max = 5000) {}

  first(key: string): boolean {
    if (this.said.has(key)) return false
    this.said.add(key)
    if (this.said.size > this.max) this.said.delete(this.said.values().next().value as string)
    return true
  }
}

/**
 * Skipped copies of one relationship for one rule, at most one entry a minute: following a busy leader
 * skips a copy every few seconds (about 18 a minute following the simulated exchange's busiest trader),
 * which would bury everything else. The entry after a quiet spell says how many were left out; every
 * skip is in the Copy page's records.
 */
export class SkipGate {
  private readonly runs = new Map<string, { since: number; leftOut: number }>()
  constructor(private readonly windowMs = 60_000) {}

  /** The entry's suffix when this skip is said, or null when it is counted only. */
  pass(key: string, now: number): string | null {
    const run = this.runs.get(key)
    if (run && now - run.since < this.windowMs) {
      run.leftOut++
      return null
    }
    const leftOut = run?.leftOut ?? 0
    this.runs.set(key, { since: now, leftOut: 0 })
    if (this.runs.size > 1000) this.runs.delete(this.runs.keys().next().value as string)
    return leftOut > 0 ? ` (${leftOut} more skipped for this reason before this one; see Copy → records)` : ''
  }
}

import { dayOf, startOfDay } from './calendar'
import type { Disposal, KeepWarning } from './disposals'
import type { Flow } from './flows'

// A report of one account is matched among all the user's accounts (report.ts), so its lines can sell coins
// acquired in another of them: a warning that arose there (a deposit or a trade with no price, an old price)
// is about those lines' cost too, and the report keeps it. Its other accounts' other warnings stay out.

/**
 * Keeps the account's own warnings, and another account's raised when it acquired an asset at a moment the
 * report's lines took their cost from: a lot's own date, a UK day's acquisitions (same day, bed and
 * breakfast: from the day's first to the end of that day in `zone`, 23 to 25 hours), or a pooled cost (Section 104, and average cost: everything acquired
 * before the sale — an average part is dated by its oldest units, but its cost is the whole pool's).
 */
export function keepForLines(account: string, parts: Iterable<{ d: Disposal; part: number }>, byAsset: ReadonlyMap<string, readonly Flow[]>, zone: string): KeepWarning {
  // asset → the spans of acquisition times its lines' costs come from.
  const spans = new Map<string, [number, number][]>()
  // A day's first acquisition → the day's end (many lines share a day; the zone's offsets cost an Intl call).
  const ends = new Map<number, number>()
  const endOf = (t: number) => {
    let end = ends.get(t)
    if (end === undefined) ends.set(t, (end = dayEnd(t, zone)))
    return end
  }
  for (const { d, part: i } of parts) {
    const part = d.parts[i]!
    if (part.rule === 'no-cost-basis') continue
    const span: [number, number] =
      part.acquiredAt === null || part.rule === 'average' ? [Number.NEGATIVE_INFINITY, d.t] : part.rule === 'same-day' || part.rule === 'bed-and-breakfast' ? [part.acquiredAt, endOf(part.acquiredAt)] : [part.acquiredAt, part.acquiredAt]
    const list = spans.get(d.asset)
    if (list) list.push(span)
    else spans.set(d.asset, [span])
  }
  // Merged and sorted, so that a warning is looked up in them, not checked against every line.
  const merged = new Map<string, Spans>()
  for (const [asset, list] of spans) merged.set(asset, merge(list))
  // Another account → the moments it acquired an asset at a time the lines take their cost from (a trade's
  // or deposit's warning bears its own time). Only those are indexed: a ledger can hold hundreds of
  // thousands of acquisitions and as many warnings, and the report's lines use few of them.
  const acquired = new Map<string, Set<number>>()
  for (const [asset, flows] of byAsset) {
    const within = merged.get(asset)
    if (within === undefined) continue
    for (const f of flows) {
      if (f.dir !== 'in' || f.account === account || !covers(within, f.t)) continue
      const times = acquired.get(f.account)
      if (times) times.add(f.t)
      else acquired.set(f.account, new Set([f.t]))
    }
  }
  return (w) => w.account === account || acquired.get(w.account)?.has(w.timestamp) === true
}

/** Disjoint spans in time order: `from[i]`–`to[i]`. */
interface Spans {
  from: number[]
  to: number[]
}

function merge(list: [number, number][]): Spans {
  list.sort((a, b) => a[0] - b[0])
  const out: Spans = { from: [], to: [] }
  for (const [from, to] of list) {
    const last = out.to.length - 1
    if (last >= 0 && from <= out.to[last]!) out.to[last] = Math.max(out.to[last]!, to)
    else {
      out.from.push(from)
      out.to.push(to)
    }
  }
  return out
}

/** Whether `t` is in one of the spans: the last one starting at or before it (binary search). */
function covers(s: Spans, t: number): boolean {
  let lo = 0
  let hi = s.from.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (s.from[mid]! <= t) lo = mid + 1
    else hi = mid
  }
  return lo > 0 && s.to[lo - 1]! >= t
}

/** The last moment (ms) of the day `t` falls on in `zone`. */
function dayEnd(t: number, zone: string): number {
  const day = dayOf(t, zone)
  const next = new Date(Date.UTC(day.y, day.m - 1, day.d + 1))
  return startOfDay({ y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate() }, zone) - 1
}

import type { Disposal, KeepWarning } from './disposals'
import type { Flow } from './flows'

// A report of one account is matched among all the user's accounts (report.ts), so its lines can sell coins
// acquired in another of them: a warning that arose there (a deposit or a trade with no price, an old price)
// is about those lines' cost too, and the report keeps it. Its other accounts' other warnings stay out.

const DAY_MS = 86_400_000

/**
 * Keeps the account's own warnings, and another account's raised when it acquired an asset at a moment the
 * report's lines took their cost from: a lot's own date, a UK day's acquisitions (same day, bed and
 * breakfast: the day from its first), or a pooled cost (Section 104, and average cost: everything acquired
 * before the sale — an average part is dated by its oldest units, but its cost is the whole pool's).
 */
export function keepForLines(account: string, parts: Iterable<{ d: Disposal; part: number }>, byAsset: ReadonlyMap<string, readonly Flow[]>): KeepWarning {
  // asset → the spans of acquisition times its lines' costs come from.
  const spans = new Map<string, [number, number][]>()
  for (const { d, part: i } of parts) {
    const part = d.parts[i]!
    if (part.rule === 'no-cost-basis') continue
    const span: [number, number] =
      part.acquiredAt === null || part.rule === 'average' ? [Number.NEGATIVE_INFINITY, d.t] : part.rule === 'same-day' || part.rule === 'bed-and-breakfast' ? [part.acquiredAt, part.acquiredAt + DAY_MS] : [part.acquiredAt, part.acquiredAt]
    const list = spans.get(d.asset)
    if (list) list.push(span)
    else spans.set(d.asset, [span])
  }
  // account and moment → the assets acquired then (a trade's or deposit's warning bears its own time).
  const acquired = new Map<string, string[]>()
  for (const [asset, flows] of byAsset) {
    if (!spans.has(asset)) continue
    for (const f of flows) {
      if (f.dir !== 'in') continue
      const key = `${f.account}\u0000${f.t}`
      const list = acquired.get(key)
      if (list) list.push(asset)
      else acquired.set(key, [asset])
    }
  }
  return (w) =>
    w.account === account ||
    (acquired.get(`${w.account}\u0000${w.timestamp}`) ?? []).some((asset) => spans.get(asset)!.some(([from, to]) => w.timestamp >= from && w.timestamp <= to))
}

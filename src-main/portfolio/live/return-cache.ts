import { ReturnChain, samePoint, type EquityPoint } from '../../analytics/metrics'

// The time-weighted return chains every step of a period's curve in decimals, which with thousands of
// deposits and withdrawals (each a flow point) is most of a view's time. The curve's points up to the
// last grid snapshot recorded do not change as time moves on, so the chain up to there is kept per
// (accounts shown, period start, resolution) and only the points after it are added on each view. The
// kept points are compared with the new curve's before the chain is reused: a replay from scratch, a late
// row patched in, or a grid that moved (hourly points turned daily) starts the chain over.

const MAX_ENTRIES = 64

interface Entry {
  prefix: EquityPoint[]
  chain: ReturnChain
}

export class ReturnChainCache {
  private entries = new Map<string, Entry>()

  /** timeWeightedReturnPct(points), reusing the chain kept for `key` while the points before `stableBefore` are unchanged. */
  pct(key: string, points: readonly EquityPoint[], stableBefore: number): string | null {
    const kept = this.entries.get(key)
    let chain: ReturnChain
    let from = 0
    if (kept !== undefined && kept.prefix.length <= points.length && kept.prefix.every((p, i) => samePoint(p, points[i] as EquityPoint))) {
      chain = kept.chain.clone()
      from = kept.prefix.length
    } else chain = new ReturnChain()
    // The last point (now) is never kept: it changes with every price.
    let stable = from
    while (stable < points.length - 1 && (points[stable] as EquityPoint).time < stableBefore) chain.add(points[stable++] as EquityPoint)
    if (kept === undefined || stable > from || from === 0) {
      this.entries.delete(key)
      this.entries.set(key, { prefix: points.slice(0, stable), chain: chain.clone() })
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string)
    }
    for (let i = stable; i < points.length; i++) chain.add(points[i] as EquityPoint)
    return chain.pct()
  }
}

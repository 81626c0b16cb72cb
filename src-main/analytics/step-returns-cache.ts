import { samePoint, stepReturnsFrom, type EquityPoint, type StepReturnsKept } from './metrics'

// The Leaderboard's Sharpe and drawdown chain every sub-step of an account's curve in decimals; with
// thousands of deposits and withdrawals that is most of the board's time. The steps up to the last grid
// snapshot recorded do not change as time moves on, so they are kept per key and only the newer steps are
// worked out. The kept points are compared with the new curve's first: any change starts over.

const MAX_ENTRIES = 256

export class StepReturnsCache {
  private entries = new Map<string, { prefix: EquityPoint[]; kept: StepReturnsKept }>()

  returns(key: string, points: readonly EquityPoint[], resolution: 'day' | 'hour' | '5m', keepBefore: number): number[] {
    const entry = this.entries.get(key)
    const reuse =
      entry !== undefined && entry.prefix.length <= points.length && entry.prefix.every((p, i) => samePoint(p, points[i] as EquityPoint))
    const { returns, kept } = stepReturnsFrom(points, resolution, reuse ? entry.kept : null, keepBefore)
    if (kept !== null && (!reuse || kept !== entry.kept)) {
      this.entries.delete(key)
      this.entries.set(key, { prefix: points.slice(0, kept.from + 1), kept })
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string)
    }
    return returns
  }
}

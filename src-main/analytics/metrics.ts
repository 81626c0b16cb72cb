// Performance statistics of an equity curve. These are ratios, not money: plain numbers are right here
// (the money they come from — P&L, realized — stays exact elsewhere), once each step's return is worked
// out in decimals (stepReturn).
//
// A period's return is the change of equity less the money moved in or out (F = D₁ − D₀), over the
// capital at work in it: r = (V₁ − V₀ − F) / (V₀ + max(F, 0)). Money put in during a step counts as there
// from its start — it can lose no more than itself, so a step never falls below −100 % (10,000 put in
// beside 100 and 1,000 lost is −9.9 %, not −1,000 %); money taken out is not counted, nor money that only
// passed through (100,000 put in and taken out again the same day). A step that ends emptied (an account
// closed: its holdings written out as withdrawals; a cent of dust left, under 0.1 % of what was taken out,
// counts as emptied) is over what was put in during it instead, when that
// was something: 10,000 put in, 100 lost and the rest taken out in one step is −1 %, not −100 %. The
// dust left then earns no one anything: the steps after it are left out until money is put in again.
// Steps with nothing at work (nothing held, nothing put in) have no return and are left out; a step from
// zero equity that money was put in during counts, in the period's return and in Sharpe and drawdown alike.
// A curve may hold the equity just before each time money moved (`beforeFlow`, the replay's flow points):
// the step from such a point has its money moved at its start, so its capital is exactly V₀ + F, and a
// step of the curve's resolution chains the sub-steps within it. Money put in, traded and taken out within
// one day is then weighed for the hours it was at work: 1,000 held, 100,000 put in, 2,000 lost on it and
// 98,000 taken out is −1.98 %, not −2,000 over the 1,000 held (−66.67 %).

import { LedgerDecimal } from '../portfolio/arith'

/** A point of an equity curve: numbers (the chart's) or exact decimal strings (the Portfolio's return). */
export interface EquityPoint {
  time: number
  value: number | string
  netDeposits: number | string
  /** Cumulative money put in (withdrawals not taken off): the capital of a step that ends emptied. */
  deposited?: number | string
  /** The equity just before money moved in or out at `time` (the next step starts with that money moved). */
  beforeFlow?: boolean
  /**
   * On a curve's first point: the accounts were emptied before it (dust left at most) and nothing was put in
   * since, so the chain starts closed (a period that starts after an account was closed).
   */
  closedBefore?: boolean
}

export function periodReturns(points: readonly EquityPoint[]): number[] {
  const out: number[] = []
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as EquityPoint
    const b = points[i] as EquityPoint
    if (!new LedgerDecimal(a.value).gt(0)) continue
    out.push(stepReturn(a, b, [], { closed: false }) ?? 0)
  }
  return out
}

/**
 * One step's return, worked in decimals: the points are the ledger's decimals made Numbers, and their float
 * differences leave noise (an idle cash account's 0 came out as 1.4e-16, enough for a Sharpe of 3.49). Kept
 * to 12 places, so a figure with more digits than a Number holds does not bring it back.
 */
function stepReturn(a: EquityPoint, b: EquityPoint, within: readonly EquityPoint[], state: ChainState): number | null {
  // Through the points within the step (flow points, finer ones): Π(1 + rᵢ) − 1 of its sub-steps.
  let growth = new LedgerDecimal(1)
  let steps = 0
  let from = a
  for (const p of [...within, b]) {
    const r = chainedStepReturn(from, p, state)
    if (r !== null) {
      growth = growth.times(r.plus(1))
      steps++
    }
    from = p
  }
  if (steps === 0) return null
  const r = growth.minus(1).toDecimalPlaces(12).toNumber()
  return r === 0 ? 0 : r // not −0
}

/** Carried along a curve: whether its last step ended emptied (an account closed, dust left at most). */
interface ChainState {
  closed: boolean
}

/**
 * A step's return in a chain (null: left out). Once a step ends emptied, what is left is dust and its price
 * moves are no one's return: the steps after it are left out until money is put in again (a closed account
 * keeps its −1 % when the 0.49 of BTC it left doubles).
 */
function chainedStepReturn(a: EquityPoint, b: EquityPoint, state: ChainState): LedgerDecimal | null {
  const putIn = a.deposited === undefined || b.deposited === undefined ? null : new LedgerDecimal(b.deposited).minus(a.deposited)
  if (state.closed && !(putIn !== null && putIn.gt(0))) return null
  const r = exactStepReturn(a, b)
  state.closed = endsEmptied(a, b)
  // A flow point's step that ends emptied had only the dust at work after the money left.
  return a.beforeFlow === true && state.closed ? null : r
}

/** All but dust (under 0.1 % of what was taken out in the step) taken out: the account was closed. */
export function endsEmptied(a: EquityPoint, b: EquityPoint): boolean {
  if (a.deposited === undefined || b.deposited === undefined) return false
  const flow = new LedgerDecimal(b.netDeposits).minus(a.netDeposits)
  const takenOut = new LedgerDecimal(b.deposited).minus(a.deposited).minus(flow)
  return takenOut.gt(0) && new LedgerDecimal(b.value).times(1000).lte(takenOut)
}

/** r = (V₁ − V₀ − F) / (V₀ + max(F, 0)) in decimals (see above); null when no capital was at work (nothing held, nothing put in). */
function exactStepReturn(a: EquityPoint, b: EquityPoint): LedgerDecimal | null {
  const v0 = new LedgerDecimal(a.value)
  const flow = new LedgerDecimal(b.netDeposits).minus(a.netDeposits)
  const gain = new LedgerDecimal(b.value).minus(v0).minus(flow)
  if (a.beforeFlow === true) {
    // All the step's money moved at its start: what was there then is what was at work.
    const atStart = v0.plus(flow)
    return atStart.gt(0) ? atMostAllLost(gain.div(atStart)) : null
  }
  const capital = v0.plus(LedgerDecimal.max(flow, 0))
  const putIn = a.deposited === undefined || b.deposited === undefined ? null : new LedgerDecimal(b.deposited).minus(a.deposited)
  // Emptied in the step (all but dust: 0.1 % of what was taken out), or more taken out than was there and
  // put in: the money put in was what was at work.
  const emptied = putIn !== null && new LedgerDecimal(b.value).times(1000).lte(putIn.minus(flow))
  const atWork = putIn !== null && putIn.gt(0) && (emptied || !capital.gt(0)) ? v0.plus(putIn) : capital
  if (!atWork.gt(0)) return null
  return atMostAllLost(gain.div(atWork))
}

/**
 * A step loses at most all that was at work (−100 %). Equity can end below zero when an account's history is
 * short (more sold than the ledger holds, then the price rose); −300 % would make the chained growth
 * negative, and every later gain would then show as a deeper loss.
 */
function atMostAllLost(r: LedgerDecimal): LedgerDecimal {
  return LedgerDecimal.max(r, -1)
}

/**
 * The period's time-weighted return in % (2 places), or null when no money was at work in it: the growth of
 * every step of the curve chained, Π(1 + rᵢ) − 1, each step's return the one above (net of the money moved
 * in or out in it). So money moved during the period neither dilutes nor inflates what the money there
 * earned: 100 that made +50 %, then 10,000 put in, is +50 %, not +0.5 %. Unlike Sharpe's returns it takes
 * every point of the curve — the finer recent ones and the live one, so it runs to now like the P&L — and
 * the steps that start from nothing but are funded in them (a new or emptied account's first money), whose
 * gain is part of the period's. With no money moved it is the change over the equity at the start.
 */
export function timeWeightedReturnPct(points: readonly EquityPoint[]): string | null {
  const chain = new ReturnChain()
  for (const p of points) chain.add(p)
  return chain.pct()
}

/**
 * timeWeightedReturnPct worked point by point, so a cache can keep the chain up to a point and add only
 * the points after it (portfolio/live/return-cache.ts).
 */
export class ReturnChain {
  private growth = new LedgerDecimal(1)
  private steps = 0
  private state: ChainState = { closed: false }
  private last: EquityPoint | null = null

  add(p: EquityPoint): void {
    if (this.last === null) this.state.closed = p.closedBefore === true
    else {
      const r = chainedStepReturn(this.last, p, this.state)
      if (r !== null) {
        this.growth = this.growth.times(r.plus(1))
        this.steps++
      }
    }
    this.last = p
  }

  clone(): ReturnChain {
    const c = new ReturnChain()
    c.growth = this.growth
    c.steps = this.steps
    c.state = { ...this.state }
    c.last = this.last
    return c
  }

  pct(): string | null {
    if (this.steps === 0) return null
    // To 20 places first: the chained quotients' last-digit noise must not tip the 2-place rounding.
    return this.growth.toDecimalPlaces(20).minus(1).times(100).toDecimalPlaces(2).toFixed()
  }
}

/** A step of each resolution, in ms. */
const STEP_MS = { day: 86_400_000, hour: 3_600_000, '5m': 300_000 } as const

/**
 * The returns of a curve at its resolution only. An equity curve keeps finer points for recent days (hourly,
 * then 5-minute, beside the daily ones); returns mixed from those steps would be annualized as the
 * resolution's and misstate Sharpe. Each step runs from one point on the step's grid to the next, chaining
 * the points within it (see stepReturn); the live point after the last one (a step not finished yet) is left out.
 */
export function stepReturns(points: readonly EquityPoint[], resolution: keyof typeof STEP_MS): number[] {
  return stepReturnsFrom(points, resolution, null, Number.POSITIVE_INFINITY).returns
}

/** Where stepReturns got to at a grid point: the returns up to it and whether the account was closed there. */
export interface StepReturnsKept {
  /** The index of the grid point the next step starts from. */
  from: number
  returns: number[]
  closed: boolean
}

/**
 * stepReturns resumed from `start` (a kept state of the same points up to start.from), giving back the
 * state at the last grid point before `keepBefore` for the next call (analytics/step-returns-cache.ts).
 */
export function stepReturnsFrom(
  points: readonly EquityPoint[],
  resolution: keyof typeof STEP_MS,
  start: StepReturnsKept | null,
  keepBefore: number,
): { returns: number[]; kept: StepReturnsKept | null } {
  const step = STEP_MS[resolution]
  const out: number[] = start === null ? [] : [...start.returns]
  let from = start?.from ?? -1
  const state: ChainState = { closed: start?.closed ?? points[0]?.closedBefore === true }
  let keptAt: { from: number; length: number; closed: boolean } | null = null
  for (let i = from + 1; i < points.length; i++) {
    if ((points[i] as EquityPoint).time % step !== 0) continue
    if (from >= 0) {
      const a = points[from] as EquityPoint
      // Every step goes through the chain (an emptied account's dust is left out until money comes in again).
      // A step from nothing that money was put in during counts, as in the period's return: the day an
      // account was funded (the first step of 'all') is no less its return for starting at 0.
      const r = stepReturn(a, points[i] as EquityPoint, points.slice(from + 1, i), state)
      if (r !== null) out.push(r)
    }
    from = i
    if ((points[i] as EquityPoint).time < keepBefore) keptAt = { from: i, length: out.length, closed: state.closed }
  }
  const kept = keptAt === null ? start : { from: keptAt.from, returns: out.slice(0, keptAt.length), closed: keptAt.closed }
  return { returns: out, kept }
}

/** Whether two curve points are the same (a kept chain is reused only over unchanged points). */
export function samePoint(a: EquityPoint, b: EquityPoint): boolean {
  return (
    a.time === b.time &&
    a.value === b.value &&
    a.netDeposits === b.netDeposits &&
    a.deposited === b.deposited &&
    a.beforeFlow === b.beforeFlow &&
    a.closedBefore === b.closedBefore
  )
}

/** Points a year for a curve's resolution (crypto trades every day of the year). */
export const STEPS_PER_YEAR = { day: 365, hour: 365 * 24, '5m': 365 * 288 } as const

/** Annualized Sharpe ratio (risk-free rate 0): mean ÷ sample standard deviation × √(steps a year). Null under 2 returns or with none varying. */
export function sharpe(returns: readonly number[], stepsPerYear: number): number | null {
  const n = returns.length
  if (n < 2) return null
  const mean = returns.reduce((s, r) => s + r, 0) / n
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1)
  if (!(variance > 0)) return null
  return (mean / Math.sqrt(variance)) * Math.sqrt(stepsPerYear)
}

/** The largest fall from a peak of the growth of 1 through `returns`, in % (0 when it only rose). */
export function maxDrawdownPct(returns: readonly number[]): number {
  let wealth = 1
  let peak = 1
  let worst = 0
  for (const r of returns) {
    wealth *= 1 + r
    if (wealth > peak) peak = wealth
    const dd = (peak - wealth) / peak
    if (dd > worst) worst = dd
  }
  return worst * 100
}

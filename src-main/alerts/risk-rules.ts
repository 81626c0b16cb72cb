import Decimal from 'decimal.js'
import type { AlertCondition, RiskMetric } from '../api/schemas/alerts'
import type { PortfolioView } from '../api/schemas/portfolio'
import { reached } from './rules'

// What a risk alert means, as pure functions: the figure it watches in a portfolio view, whether it has
// reached the threshold (exactly: the drawdown is compared by cross-multiplying, never through a rounded
// percentage), and the words it fires with.

export interface RiskTerms {
  metric: RiskMetric
  condition: AlertCondition
  threshold: string
  currency: string
  note: string | null
}

export const METRIC_NAMES: Record<RiskMetric, string> = {
  value: 'Portfolio value',
  pnl24h: 'P&L (24h)',
  drawdown: 'Drawdown from high',
}

export interface RiskReading {
  /** The figure in the currency: the value, the P&L, or for the drawdown the value. */
  amount: string
  /**
   * The drawdown's high-water mark after this reading, with the all-time net deposits it was taken at
   * ("high|deposits"); null for other metrics. Money moved in or out scales the high by as much as it
   * scaled the value, so a withdrawal is no drawdown and a deposit hides none.
   */
  peak: string | null
  /** The high as a value in the currency today (peak + net deposits); null for other metrics. */
  high: string | null
  /** What the alert shows: the figure, or the drawdown in % to two places (rounded down). */
  shown: string
}

/**
 * The figure of a view a rule watches. The drawdown's view is over all time (its net deposits are every
 * deposit less every withdrawal); its high is carried in `peak` (null: start at this reading).
 */
export function readRisk(view: Pick<PortfolioView, 'totals'>, metric: RiskMetric, peak: string | null): RiskReading {
  if (metric === 'value') return { amount: view.totals.value, peak: null, high: null, shown: view.totals.value }
  if (metric === 'pnl24h') return { amount: view.totals.pnl, peak: null, high: null, shown: view.totals.pnl }
  const value = new Decimal(view.totals.value)
  const deposits = new Decimal(view.totals.netDeposits)
  let high = value
  if (peak !== null) {
    const [before, at] = parsePeak(peak, deposits)
    // Readings come with every change of the view, so the value just before the money moved is this one
    // less the money; the high moves in proportion (800 of 1,000 with 600 taken out: 190 of 240.51, 21 %).
    const moved = deposits.minus(at)
    const prior = value.minus(moved)
    const carried = moved.isZero() ? before : prior.gt(0) ? before.times(value).div(prior).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN) : value
    high = Decimal.max(carried, value)
  }
  const pct = high.gt(0) ? high.minus(value).div(high).times(100) : new Decimal(0)
  return { amount: value.toFixed(), peak: `${high.toFixed()}|${deposits.toFixed()}`, high: high.toFixed(), shown: pct.toFixed(2, Decimal.ROUND_DOWN) }
}

/** A stored peak: "high|deposits", or (saved before that) the value less the deposits then, taken as now's. */
function parsePeak(peak: string, deposits: Decimal): [Decimal, Decimal] {
  const bar = peak.indexOf('|')
  if (bar < 0) return [new Decimal(peak).plus(deposits), deposits]
  return [new Decimal(peak.slice(0, bar)), new Decimal(peak.slice(bar + 1))]
}

/** Whether the reading is at or past the threshold in the rule's direction. */
export function riskReached(t: Pick<RiskTerms, 'metric' | 'condition' | 'threshold'>, r: RiskReading): boolean {
  if (t.metric !== 'drawdown') return reached(t.condition, t.threshold, r.amount)
  // (high − value) / high × 100 ≥ threshold  ⇔  (high − value) × 100 ≥ threshold × high  (high > 0)
  const high = new Decimal(r.high ?? r.amount)
  if (high.lte(0)) return false
  return high.minus(r.amount).times(100).gte(high.times(t.threshold))
}

/**
 * Where a repeating risk alert that fired arms again, as price alerts do (rules.ts rearmLevel): the value or
 * P&L a tenth of a percent of the threshold back past it on the side it came from, the P&L at least a tenth
 * of a percent of the portfolio's value (a threshold at or near 0 has no band of its own), rounded up to the
 * cent; the drawdown back at 99.9 % of its threshold. A figure sitting on the threshold, a cent either side,
 * would otherwise fire the alert on every other valuation, on every channel.
 */
export function riskRearmLevel(t: Pick<RiskTerms, 'metric' | 'condition' | 'threshold'>, portfolioValue: string): string {
  const threshold = new Decimal(t.threshold)
  if (t.metric === 'drawdown') return threshold.times('0.999').toFixed()
  let band = threshold.abs().times('0.001')
  if (t.metric === 'pnl24h') {
    // A P&L wobbles with the whole portfolio, so its band is at least 0.1 % of the portfolio value — but
    // never over a tenth of a threshold away from zero: below −500 on a 2,000,000 portfolio re-arms at −450,
    // not only after the day's P&L swung up to +1,500. A threshold of 0 takes the portfolio's band whole.
    let floor = new Decimal(portfolioValue).abs().times('0.001').toDecimalPlaces(2, Decimal.ROUND_UP)
    if (!threshold.isZero()) floor = Decimal.min(floor, threshold.abs().times('0.1'))
    band = Decimal.max(band, floor)
  }
  return (t.condition === 'above' ? threshold.minus(band) : threshold.plus(band)).toFixed()
}

/** Whether the reading is back at or past the re-arm level (riskRearmLevel) on the side the alert came from. */
export function riskBackAcross(t: Pick<RiskTerms, 'metric' | 'condition'>, r: RiskReading, level: string): boolean {
  if (t.metric === 'drawdown') {
    // (high − value) / high × 100 ≤ level  ⇔  (high − value) × 100 ≤ level × high  (high > 0)
    const high = new Decimal(r.high ?? r.amount)
    return high.lte(0) || high.minus(r.amount).times(100).lte(high.times(level))
  }
  const cmp = new Decimal(r.amount).cmp(level)
  return t.condition === 'above' ? cmp <= 0 : cmp >= 0
}

/** What a disarmed repeating alert shows while it waits to be back past its re-arm level. */
export function riskRearmWaiting(t: Pick<RiskTerms, 'metric' | 'condition'>, level: string): string {
  if (t.metric === 'drawdown') return `fires again after the drawdown is back at ${level}% or under`
  return `fires again after the figure is back at ${level} or ${t.condition === 'above' ? 'under' : 'over'}`
}

const unit = (t: Pick<RiskTerms, 'metric' | 'currency'>) => (t.metric === 'drawdown' ? '%' : ` ${t.currency}`)

/** Why a risk alert cannot be set: the figure is already there, so it would fire at once. */
export function riskAlreadyReachedMessage(t: RiskTerms, who: string, r: RiskReading): string {
  const where = t.metric === 'drawdown' ? 'at or over' : t.condition === 'above' ? 'at or above' : 'at or below'
  return `${METRIC_NAMES[t.metric]} of ${who} is ${r.shown}${unit(t)}, already ${where} ${t.threshold}${unit(t)}: the alert would fire at once.`
}

/** Title and body of a fired risk alert, as the notification centre, the desktop, email and webhook show them. */
export function riskFiredTexts(t: RiskTerms, who: string, r: RiskReading): { title: string; body: string } {
  const verb = t.metric === 'drawdown' ? 'reached' : t.condition === 'above' ? 'rose to' : 'fell to'
  const title = `${METRIC_NAMES[t.metric]} of ${who} ${verb} ${t.threshold}${unit(t)}`
  const now = t.metric === 'drawdown' ? `Drawdown ${r.shown}% (value ${r.amount} ${t.currency}, high ${r.high} ${t.currency})` : `${METRIC_NAMES[t.metric]} ${r.shown} ${t.currency}`
  return { title, body: `${now}${t.note ? ` — ${t.note}` : ''}` }
}

import type { RiskAlertView, RiskMetric } from '../../../src-main/api/contract'

// Words and figures of risk alerts for the screen (pure: tested in Node).

export const METRIC_LABELS: Record<RiskMetric, string> = {
  value: 'Portfolio value',
  pnl24h: 'P&L (24h)',
  drawdown: 'Drawdown from high',
}

/** "falls to 9,000 USD", "rises to 500 USD", "reaches 10 %". */
export function thresholdWords(a: Pick<RiskAlertView, 'metric' | 'condition' | 'currency'>, threshold: string): string {
  if (a.metric === 'drawdown') return `reaches ${threshold} %`
  return `${a.condition === 'above' ? 'rises to' : 'falls to'} ${threshold} ${a.currency}`
}

/** The figure now with its unit ("8,995.12 USD", "3.25 %"), or — before the first valuation. */
export function currentWords(a: Pick<RiskAlertView, 'metric' | 'currency' | 'current'>, format: (s: string) => string): string {
  if (a.current === null) return '—'
  return a.metric === 'drawdown' ? `${format(a.current)} %` : `${format(a.current)} ${a.currency}`
}

/** The condition a new risk alert's form sends: a drawdown only reaches its threshold. */
export function riskCondition(metric: RiskMetric, chosen: 'above' | 'below'): 'above' | 'below' {
  return metric === 'drawdown' ? 'above' : chosen
}

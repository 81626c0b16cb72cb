import type { PortfolioPeriod } from '../../api/schemas/portfolio'

// The P&L view's periods. A period starts on its grid (5 minutes for 24h, the hour for 7d, the UTC day for
// longer ones), so "realized in period", the equity at the start and the chart's first point all refer to
// one moment the equity history has a snapshot for.

export const MINUTE = 60_000
export const FIVE_MIN = 5 * MINUTE
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

export type Resolution = '5m' | 'hour' | 'day'
export const STEP: Record<Resolution, number> = { '5m': FIVE_MIN, hour: HOUR, day: DAY }

const SPAN: Record<Exclude<PortfolioPeriod, 'all'>, { span: number; grid: Resolution }> = {
  '24h': { span: DAY, grid: '5m' },
  '7d': { span: 7 * DAY, grid: 'hour' },
  '30d': { span: 30 * DAY, grid: 'day' },
  year: { span: 365 * DAY, grid: 'day' },
}

export const floorTo = (t: number, step: number): number => Math.floor(t / step) * step

/** When the period began (on its grid); null for 'all'. */
export function periodStart(period: PortfolioPeriod, now: number): number | null {
  if (period === 'all') return null
  const { span, grid } = SPAN[period]
  return floorTo(now - span, STEP[grid])
}

/** The equity chart's resolution for a period: intraday for 24h and 7d, daily beyond. */
export function periodResolution(period: PortfolioPeriod): Resolution {
  return period === 'all' ? 'day' : SPAN[period].grid
}

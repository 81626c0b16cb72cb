import { TickMarkType } from 'lightweight-charts'
import { formatDateTime, formatTime, type TimeFormat } from '../../ui/format'
import type { MarketTimeframe } from '../../../src-main/api/contract'

// How the candle chart names its times. Exchanges' daily candles are UTC days: a daily bar is named by its
// UTC date (in New York the day opening at 00:00 UTC would otherwise read "the day before, 19:00").
// Intraday bars are named in the user's zone.

/** Timeframes whose bars are whole UTC days. */
export const isDaily = (timeframe: MarketTimeframe) => timeframe === '1d'

/** The candle's time in the legend and the crosshair: 'YYYY-MM-DD UTC' for a daily bar, else date and time. */
export function candleTimeText(ms: number, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): string {
  if (isDaily(timeframe)) return `${formatDateTime(ms, { ...fmt, timeZone: 'utc' }).slice(0, 10)} UTC`
  return formatDateTime(ms, fmt, localZone)
}

/** Time-axis labels: the year, the month-day, or the time without seconds; UTC dates on a daily chart. */
export function tickLabel(ms: number, type: TickMarkType, fmt: TimeFormat, timeframe: MarketTimeframe, localZone?: string): string {
  const f = isDaily(timeframe) ? { ...fmt, timeZone: 'utc' as const } : fmt
  const dt = formatDateTime(ms, f, localZone)
  if (type === TickMarkType.Year) return dt.slice(0, 4)
  if (type === TickMarkType.Month || type === TickMarkType.DayOfMonth || isDaily(timeframe)) return dt.slice(5, 10)
  return formatTime(ms, f, localZone).replace(/:\d\d(?=( [AP]M)?$)/, '')
}

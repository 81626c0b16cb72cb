import { TickMarkType, type Time, type UTCTimestamp } from 'lightweight-charts'
import { formatDateTime, formatTime, type TimeFormat } from '../../ui/format'
import type { MarketTimeframe } from '../../../src-main/api/contract'

// How the candle chart names its times. Exchanges' daily candles are UTC days: a daily bar is named by its
// UTC date (in New York the day opening at 00:00 UTC would otherwise read "the day before, 19:00").
// Intraday bars are named in the user's zone.
//
// lightweight-charts has no time zones: it places tick marks and reads times as UTC. So an intraday bar is
// put on the chart at its open time shifted by the zone's offset at that instant (the library's documented
// way), and the chart's UTC wall time is the local wall time: hour marks fall on whole local hours (also in
// Asia/Kolkata, UTC+5:30). Times read back from the chart (crosshair, axis labels) are shifted back. Daily
// bars are UTC days and are not shifted.

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

const SECOND = 1000
const QUARTER_HOUR = 900_000
const DAY_MS = 86_400_000
const offsetFormatters = new Map<string, Intl.DateTimeFormat>()
// Offsets by zone and UTC quarter hour (zones change offset only on quarter hours), so a chart of minute bars
// makes one Intl call per quarter hour rather than one per bar.
const offsets = new Map<string, number>()

/** The zone's offset from UTC at the instant `ms`, in ms (east positive); 0 when times are shown in UTC. */
export function zoneOffset(ms: number, fmt: TimeFormat, localZone?: string): number {
  if (fmt.timeZone === 'utc') return 0
  const slot = `${localZone ?? ''}|${Math.floor(ms / QUARTER_HOUR)}`
  let offset = offsets.get(slot)
  if (offset === undefined) {
    if (offsets.size > 100_000) offsets.clear()
    offset = offsetAt(Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR, localZone)
    offsets.set(slot, offset)
  }
  return offset
}

function offsetAt(ms: number, localZone: string | undefined): number {
  const key = localZone ?? ''
  let f = offsetFormatters.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: localZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    offsetFormatters.set(key, f)
  }
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = Number(part.value)
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - ms
}

/** A candle's open time (UTC ms) as a chart time: UTC seconds reading as its local wall time; a daily bar unshifted. */
export function toChartTime(ms: number, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): UTCTimestamp {
  const shift = isDaily(timeframe) ? 0 : zoneOffset(ms, fmt, localZone)
  return Math.floor((ms + shift) / SECOND) as UTCTimestamp
}

/**
 * A chart time back to UTC ms. A local time the hour repeated when clocks go back gives twice is the first of
 * the two instants: that is the bar the chart keeps (chartTimes).
 */
export function fromChartTime(t: Time, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): number {
  const wall = typeof t === 'number' ? t * SECOND : typeof t === 'string' ? Date.parse(t) : Date.UTC(t.year, t.month - 1, t.day)
  if (isDaily(timeframe) || fmt.timeZone === 'utc') return wall
  // The offsets around it (a zone changes its offset at most once in two days); those that lead back to `wall`.
  const offsets = new Set([zoneOffset(wall - DAY_MS, fmt, localZone), zoneOffset(wall, fmt, localZone), zoneOffset(wall + DAY_MS, fmt, localZone)])
  const fits = [...offsets].map((o) => wall - o).filter((u) => u + zoneOffset(u, fmt, localZone) === wall)
  // None fits only in the hour skipped when clocks go forward, which no bar has: the offset before the change.
  return fits.length > 0 ? Math.min(...fits) : wall - zoneOffset(wall - DAY_MS, fmt, localZone)
}

/**
 * The chart times of candles' open times (ascending), or null for a candle the chart leaves out. The chart
 * needs strictly increasing times, and when clocks go back the repeated hour's bars come out at or before
 * the bars before them: those are left out (as lightweight-charts' docs advise, rather than merged into a
 * bar of another hour); the chart runs on from the end of the first pass at the first bar after it.
 */
export function chartTimes(times: readonly number[], timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): (UTCTimestamp | null)[] {
  let last = -Infinity
  return times.map((ms) => {
    const t = toChartTime(ms, timeframe, fmt, localZone)
    if (t <= last) return null
    last = t
    return t
  })
}

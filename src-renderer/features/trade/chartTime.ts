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
// bars are UTC days and are not shifted. When clocks go back, the local hour that comes twice is drawn at
// half speed over that hour (repeatedSpan), so every bar is drawn in order and named by its own time.

/** Timeframes whose bars are whole UTC days. */
export const isDaily = (timeframe: MarketTimeframe) => timeframe === '1d'

/**
 * The candle's time in the legend and the crosshair: 'YYYY-MM-DD UTC' for a daily bar, else date and time,
 * with the zone's name ('01:20:00 EDT', '01:20:00 EST') in the hour clocks going back show twice.
 */
export function candleTimeText(ms: number, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): string {
  if (isDaily(timeframe)) return `${formatDateTime(ms, { ...fmt, timeZone: 'utc' }).slice(0, 10)} UTC`
  const text = formatDateTime(ms, fmt, localZone)
  return inRepeatedTime(ms, fmt, localZone) ? `${text} ${zoneName(ms, localZone)}` : text
}

const zoneNames = new Map<string, Intl.DateTimeFormat>()

/** The zone's short name at `ms` as Intl gives it: 'EST', 'GMT+1'. */
function zoneName(ms: number, localZone: string | undefined): string {
  const key = localZone ?? ''
  let f = zoneNames.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: localZone, timeZoneName: 'short' })
    zoneNames.set(key, f)
  }
  return f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? ''
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

/** A change of the zone's offset: at UTC `at`, from `before` to `after` (ms, east positive). */
interface OffsetChange {
  at: number
  before: number
  after: number
}

/**
 * The change of offset within a day either side of `ms`, if any (a zone changes its offset at most once in
 * two days, and only on a UTC quarter hour): found by halving between the two ends.
 */
function changeNear(ms: number, fmt: TimeFormat, localZone: string | undefined): OffsetChange | null {
  const before = zoneOffset(ms - DAY_MS, fmt, localZone)
  const after = zoneOffset(ms + DAY_MS, fmt, localZone)
  if (before === after) return null
  // Quarter hours: lo has the old offset, hi the new one.
  let lo = Math.floor((ms - DAY_MS) / QUARTER_HOUR)
  let hi = Math.floor((ms + DAY_MS) / QUARTER_HOUR)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (zoneOffset(mid * QUARTER_HOUR, fmt, localZone) === before) lo = mid
    else hi = mid
  }
  return { at: hi * QUARTER_HOUR, before, after }
}

/**
 * When clocks go back by `Δ`, the UTC span [at − Δ, at + Δ) reads as the same local span [L − Δ, L) twice
 * (L: the local time the old offset reaches at the change). On the chart that span runs at half speed
 * over [L − Δ, L): both passes are drawn, in order, and the chart's times keep rising; before and after it
 * bars sit on their wall time, so hour marks stay on whole local hours (the mark at L − Δ is the first
 * pass's; the second pass starts at the half). The span, or null when `ms` is not in one.
 */
function repeatedSpan(ms: number, fmt: TimeFormat, localZone: string | undefined): { from: number; wall: number } | null {
  const change = changeNear(ms, fmt, localZone)
  if (change === null || change.after >= change.before) return null
  const back = change.before - change.after
  const from = change.at - back
  if (ms < from || ms >= change.at + back) return null
  return { from, wall: from + change.before }
}

/** Whether the local time of `ms` is one the zone shows twice (clocks going back); never in UTC. */
export function inRepeatedTime(ms: number, fmt: TimeFormat, localZone?: string): boolean {
  return repeatedSpan(ms, fmt, localZone) !== null
}

/** A candle's open time (UTC ms) as a chart time: UTC seconds reading as its local wall time; a daily bar unshifted. */
export function toChartTime(ms: number, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): UTCTimestamp {
  if (isDaily(timeframe)) return Math.floor(ms / SECOND) as UTCTimestamp
  const span = repeatedSpan(ms, fmt, localZone)
  const wall = span === null ? ms + zoneOffset(ms, fmt, localZone) : span.wall + (ms - span.from) / 2
  return Math.floor(wall / SECOND) as UTCTimestamp
}

/** A chart time back to the UTC ms of the bar it was made from (toChartTime's inverse). */
export function fromChartTime(t: Time, timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): number {
  const wall = typeof t === 'number' ? t * SECOND : typeof t === 'string' ? Date.parse(t) : Date.UTC(t.year, t.month - 1, t.day)
  if (isDaily(timeframe) || fmt.timeZone === 'utc') return wall
  // `wall` is within a day of the instant it was made from (offsets are under a day).
  const change = changeNear(wall, fmt, localZone)
  if (change === null) return wall - zoneOffset(wall, fmt, localZone)
  const { at, before, after } = change
  if (after < before) {
    // Clocks going back: the repeated span ran at half speed over [at − Δ + before, at + before).
    const from = at - (before - after)
    const start = from + before
    if (wall < start) return wall - before
    if (wall >= at + before) return wall - after
    // Exact for bars opening on even seconds after `from` (candles are whole minutes).
    return from + 2 * (wall - start)
  }
  // Clocks going forward: wall times in the skipped span [at + before, at + after) belong to no bar.
  return wall < at + before ? wall - before : wall >= at + after ? wall - after : at
}

/** The chart times of candles' open times (ascending): strictly rising, one for each (toChartTime). */
export function chartTimes(times: readonly number[], timeframe: MarketTimeframe, fmt: TimeFormat, localZone?: string): UTCTimestamp[] {
  return times.map((ms) => toChartTime(ms, timeframe, fmt, localZone))
}

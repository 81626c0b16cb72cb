// Calendar dates in a time zone: which day a trade happened on decides its tax year, a UK same-day or
// 30-day match, and whether it was held "more than one year". Intl knows every zone's offsets (summer
// time included); no date library needed.

const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formats.set(zone, f)
  }
  return f
}

/** A calendar day: y, m (1–12), d. */
export interface Day {
  y: number
  m: number
  d: number
}

function parts(t: number, zone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const out = { y: 0, m: 0, d: 0, h: 0, min: 0, s: 0 }
  for (const p of formatFor(zone).formatToParts(new Date(t))) {
    if (p.type === 'year') out.y = Number(p.value)
    else if (p.type === 'month') out.m = Number(p.value)
    else if (p.type === 'day') out.d = Number(p.value)
    else if (p.type === 'hour') out.h = Number(p.value)
    else if (p.type === 'minute') out.min = Number(p.value)
    else if (p.type === 'second') out.s = Number(p.value)
  }
  return out
}

const QUARTER_HOUR = 900_000
const offsets = new Map<string, Map<number, number>>()

/**
 * The day `t` (ms) falls on in `zone`. Intl is slow (microseconds a call) and a report asks for two days
 * per line, so the zone's offset is remembered per quarter hour (every zone changes offset on a quarter
 * hour) and the day is then plain arithmetic.
 */
export function dayOf(t: number, zone: string): Day {
  let byQuarter = offsets.get(zone)
  if (!byQuarter) offsets.set(zone, (byQuarter = new Map()))
  const quarter = Math.floor(t / QUARTER_HOUR)
  let offset = byQuarter.get(quarter)
  if (offset === undefined) {
    offset = offsetAt(quarter * QUARTER_HOUR, zone)
    if (byQuarter.size > 200_000) byQuarter.clear()
    byQuarter.set(quarter, offset)
  }
  const local = new Date(t + offset)
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() }
}

/** A sortable whole number for a day (days since 1970-01-01 on the proleptic calendar). */
export function dayNumber(day: Day): number {
  return Math.floor(Date.UTC(day.y, day.m - 1, day.d) / 86_400_000)
}

/** The zone's offset from UTC at `t`, in ms (local − UTC). */
function offsetAt(t: number, zone: string): number {
  const p = parts(t, zone)
  const local = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s)
  return local - Math.floor(t / 1000) * 1000
}

/** The first moment (ms) of `day` in `zone`. */
export function startOfDay(day: Day, zone: string): number {
  const guess = Date.UTC(day.y, day.m - 1, day.d)
  let t = guess - offsetAt(guess, zone)
  // Around a change of offset the first guess can be an hour off; one more step settles it.
  const again = guess - offsetAt(t, zone)
  if (again !== t) t = again
  return t
}

/** The same date a year later; 29 February → 28 February (a period ending on a missing day ends on the month's last). */
export function yearLater(day: Day): Day {
  const last = new Date(Date.UTC(day.y + 1, day.m, 0)).getUTCDate()
  return { y: day.y + 1, m: day.m, d: Math.min(day.d, last) }
}

/** The last day of a month (m: 1–12). */
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/**
 * How a year's holding is counted from a month's last day. 'date': to the same date a year later (§ 188
 * Abs. 2 BGB: 28 February 2023 → 28 February 2024). 'month-end': to that month's last day a year later
 * (US, Rev. Rul. 66-7: 28 February 2023 → 29 February 2024). Other days count alike.
 */
export type MonthEnd = 'date' | 'month-end'

/** The day a year's holding ends on: the anniversary (see MonthEnd for a month's last day). */
export function anniversary(acquired: Day, monthEnd: MonthEnd): Day {
  if (monthEnd === 'month-end' && acquired.d === lastDayOf(acquired.y, acquired.m)) return { y: acquired.y + 1, m: acquired.m, d: lastDayOf(acquired.y + 1, acquired.m) }
  return yearLater(acquired)
}

/** "Held more than one year": disposed after the anniversary of the acquisition day. */
export function heldOverAYear(acquired: Day, disposed: Day, monthEnd: MonthEnd = 'date'): boolean {
  return dayNumber(disposed) > dayNumber(anniversary(acquired, monthEnd))
}

const DAY_MS = 86_400_000

/**
 * heldOverAYear for two moments in `zone`. Most lots are held well under or well over a year, which the
 * time between them decides without a calendar (zone offsets move a day boundary by hours, not days);
 * only the days around the anniversary are looked up.
 */
export function heldOverAYearAt(acquiredAt: number, disposedAt: number, zone: string, monthEnd: MonthEnd = 'date'): boolean {
  const span = disposedAt - acquiredAt
  if (span < 363 * DAY_MS) return false
  if (span > 368 * DAY_MS) return true
  return heldOverAYear(dayOf(acquiredAt, zone), dayOf(disposedAt, zone), monthEnd)
}

export function isoDay(day: Day): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`
}

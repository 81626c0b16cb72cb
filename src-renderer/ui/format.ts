// Number and time formatting for the screen. Pure (no DOM), so it is tested in Node.
// Stored times are UTC milliseconds; how they are shown follows the ui.timeZone and ui.clock24h settings.

export type TimeZoneSetting = 'local' | 'utc'

export interface TimeFormat {
  timeZone: TimeZoneSetting
  clock24h: boolean
}

// Intl.DateTimeFormat is costly to build (tens of µs) and a tape formats a time per row per frame, so one
// formatter per (zone, clock) is kept; formatting with it is cheap.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(format: TimeFormat, localZone: string | undefined): Intl.DateTimeFormat {
  const timeZone = format.timeZone === 'utc' ? 'UTC' : localZone
  const key = `${timeZone ?? ''}|${format.clock24h ? 'h23' : 'h12'}`
  let formatter = formatters.get(key)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: format.clock24h ? 'h23' : 'h12',
    })
    formatters.set(key, formatter)
  }
  return formatter
}

/** `localZone` pins what 'local' means (tests); by default it is the runtime's own zone. */
function partsOf(ms: number, format: TimeFormat, localZone?: string): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const part of formatterOf(format, localZone).formatToParts(new Date(ms))) parts[part.type] = part.value
  return parts
}

function clockOf(p: Record<string, string>, clock24h: boolean): string {
  if (clock24h) return `${p.hour}:${p.minute}:${p.second}`
  // 12-hour clocks drop the leading zero: 1:05:09 PM.
  return `${Number(p.hour)}:${p.minute}:${p.second} ${(p.dayPeriod ?? '').toUpperCase()}`
}

/** '13:05:09' or '1:05:09 PM'. */
export function formatTime(ms: number, format: TimeFormat, localZone?: string): string {
  return clockOf(partsOf(ms, format, localZone), format.clock24h)
}

/** '2025-11-21 13:05:09' (ISO-like date, so it sorts and reads the same everywhere). */
export function formatDateTime(ms: number, format: TimeFormat, localZone?: string): string {
  const p = partsOf(ms, format, localZone)
  return `${p.year}-${p.month}-${p.day} ${clockOf(p, format.clock24h)}`
}

/**
 * A table row's time: the time of day for today (in the zone times are shown in), with the date before it
 * for any other day, so an order placed days ago does not read like one placed this morning.
 */
export function formatRowTime(ms: number, format: TimeFormat, now: number = Date.now(), localZone?: string): string {
  const p = partsOf(ms, format, localZone)
  const t = partsOf(now, format, localZone)
  const today = p.year === t.year && p.month === t.month && p.day === t.day
  return today ? clockOf(p, format.clock24h) : `${p.year}-${p.month}-${p.day} ${clockOf(p, format.clock24h)}`
}

/** Short label of the zone times are shown in: 'UTC' or 'local'. */
export function zoneLabel(format: TimeFormat): string {
  return format.timeZone === 'utc' ? 'UTC' : 'local'
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** Elapsed time: '42s', '5m 02s', '3h 04m 05s', '2d 03h 04m 05s'. Negative spans count as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (days > 0) return `${days}d ${pad2(hours)}h ${pad2(minutes)}m ${pad2(seconds)}s`
  if (hours > 0) return `${hours}h ${pad2(minutes)}m ${pad2(seconds)}s`
  if (minutes > 0) return `${minutes}m ${pad2(seconds)}s`
  return `${seconds}s`
}

/** '512 B', '1.5 KiB', '12.0 MiB'. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** How long ago, compact: 'now', '42s ago', '5m ago', '3h ago', '2d ago'. Future times count as now. */
export function formatAgo(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return 'now'
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86_400)}d ago`
}

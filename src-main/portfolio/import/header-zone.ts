import { CsvImportError } from './errors'

// A time zone named in a date column's header, as Binance writes it when the user picks the export's zone:
// Date(UTC), Date(UTC+1), Date(UTC-5), Date(UTC+05:30). Only fixed offsets from UTC (no daylight saving),
// so each time converts exactly.

const HEADER = /^date\s*\((.*)\)$/i
const OFFSET = /^UTC(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?$/i
/** Real zones run from UTC-12 to UTC+14. */
const MAX_MINUTES = 14 * 60

export const ZONED_DATE_HEADER = /^date\s*\(.*\)$/i

/** The header's offset from UTC in ms (UTC+1 → 3,600,000); an unreadable zone is refused, naming the header. */
export function headerZoneOffsetMs(header: string, line: number): number {
  const zone = HEADER.exec(header.trim())?.[1]?.trim() ?? ''
  const m = OFFSET.exec(zone)
  const minutes = m ? Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN
  if (!m || Number(m[3] ?? 0) > 59 || minutes > MAX_MINUTES) {
    throw new CsvImportError(
      `the date column "${header}" names a time zone that cannot be read: expected Date(UTC) or an offset from UTC like Date(UTC+1), Date(UTC-5) or Date(UTC+05:30)`,
      line,
      header,
      header,
    )
  }
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000
}

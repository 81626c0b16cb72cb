import { describe, expect, it } from 'vitest'
import { formatBytes, formatDateTime, formatDuration, formatRowTime, formatTime } from '../../src-renderer/ui/format'

// 2025-01-02 13:05:09 UTC and 00:05:09 UTC
const afternoon = Date.UTC(2025, 0, 2, 13, 5, 9)
const justAfterMidnight = Date.UTC(2025, 0, 2, 0, 5, 9)

describe('formatTime', () => {
  it('shows UTC in 24-hour and 12-hour form', () => {
    expect(formatTime(afternoon, { timeZone: 'utc', clock24h: true })).toBe('13:05:09')
    expect(formatTime(afternoon, { timeZone: 'utc', clock24h: false })).toBe('1:05:09 PM')
    expect(formatTime(justAfterMidnight, { timeZone: 'utc', clock24h: true })).toBe('00:05:09')
    expect(formatTime(justAfterMidnight, { timeZone: 'utc', clock24h: false })).toBe('12:05:09 AM')
  })

  it("shows 'local' in the local zone, and 'utc' ignores it", () => {
    expect(formatTime(afternoon, { timeZone: 'local', clock24h: true }, 'Asia/Tokyo')).toBe('22:05:09')
    expect(formatTime(afternoon, { timeZone: 'local', clock24h: false }, 'America/New_York')).toBe('8:05:09 AM')
    expect(formatTime(afternoon, { timeZone: 'utc', clock24h: true }, 'Asia/Tokyo')).toBe('13:05:09')
  })
})

describe('formatDateTime', () => {
  it('puts the date in ISO order and crosses midnight with the zone', () => {
    expect(formatDateTime(afternoon, { timeZone: 'utc', clock24h: true })).toBe('2025-01-02 13:05:09')
    expect(formatDateTime(justAfterMidnight, { timeZone: 'local', clock24h: true }, 'America/Los_Angeles')).toBe(
      '2025-01-01 16:05:09',
    )
    expect(formatDateTime(afternoon, { timeZone: 'local', clock24h: false }, 'Asia/Kolkata')).toBe(
      '2025-01-02 6:35:09 PM',
    )
  })
})

describe('formatDuration and formatBytes', () => {
  it('formats elapsed time compactly', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(42_900)).toBe('42s')
    expect(formatDuration(5 * 60_000 + 2000)).toBe('5m 02s')
    expect(formatDuration(3 * 3_600_000 + 4 * 60_000 + 5000)).toBe('3h 04m 05s')
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5000)).toBe('2d 03h 04m 05s')
    expect(formatDuration(-5000)).toBe('0s')
  })

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(12 * 1024 * 1024)).toBe('12.0 MiB')
  })
})

describe('formatRowTime (the orders tables’ time cells)', () => {
  const now = Date.UTC(2026, 10, 24, 9, 15, 0)
  const utc = { timeZone: 'utc', clock24h: true } as const
  it('today: the time of day only; another day: the date too, so days-old orders do not read as today', () => {
    expect(formatRowTime(now - 3_600_000, utc, now)).toBe('08:15:00')
    expect(formatRowTime(now - 5 * 86_400_000, utc, now)).toBe('2026-11-19 09:15:00')
    expect(formatRowTime(Date.UTC(2026, 10, 23, 23, 59, 59), utc, now)).toBe('2026-11-23 23:59:59')
  })

  it('"today" is the day in the zone times are shown in', () => {
    // 23:30 UTC on the 23rd is already the 24th in Tokyo, as is `now` (18:15 there).
    const late = Date.UTC(2026, 10, 23, 23, 30, 0)
    expect(formatRowTime(late, { timeZone: 'local', clock24h: true }, now, 'Asia/Tokyo')).toBe('08:30:00')
    expect(formatRowTime(late, utc, now, 'Asia/Tokyo')).toBe('2026-11-23 23:30:00')
  })
})

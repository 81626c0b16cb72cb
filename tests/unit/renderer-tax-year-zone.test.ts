import { describe, expect, it } from 'vitest'
import { currentTaxYear, yearOptions } from '../../src-renderer/features/tax/taxModel'
import { rulesFor, yearBounds } from '../../src-main/tax/rules'

// The Tax page opens on the tax year in progress as the report reckons it: in the jurisdiction's own zone
// (the report's, shown beside its dates), whatever zone the computer is set to.

const inProgress = (jurisdiction: 'us' | 'uk' | 'de', now: Date) => {
  const rules = rulesFor(jurisdiction)
  const t = now.getTime()
  for (let y = now.getUTCFullYear() - 1; y <= now.getUTCFullYear() + 1; y++) {
    const { start, end } = yearBounds(rules, y, rules.zone)
    if (t >= start && t <= end) return y
  }
  throw new Error('no year')
}

describe('tax page: the year in progress around New Year', () => {
  const moments = [
    // 22:00 on 31 December in New York, already 1 January in UTC, Berlin and London.
    '2026-01-01T03:00:00Z',
    // 00:30 on 1 January in Berlin, still 31 December in UTC, London and New York.
    '2025-12-31T23:30:00Z',
    '2026-04-05T23:30:00Z',
    '2026-07-01T12:00:00Z',
  ]
  for (const iso of moments) {
    for (const jurisdiction of ['us', 'uk', 'de'] as const) {
      it(`${jurisdiction} at ${iso} is the report's year in progress, and the list starts from it`, () => {
        const now = new Date(iso)
        expect(currentTaxYear(jurisdiction, now)).toBe(inProgress(jurisdiction, now))
        expect(yearOptions(jurisdiction, now)[0]?.year).toBe(inProgress(jurisdiction, now))
      })
    }
  }
})

import { describe, expect, it, vi } from 'vitest'
import { currentTaxYear, yearOptions } from '../../src-renderer/features/tax/taxModel'
import { lastYearAsked, taxStoreOn10February2026 } from './renderer-tax-harness'

// A UK tax year runs 6 April to 5 April (London time): from 1 January to 5 April the year in progress is
// the one that started the April before, and the Tax page opens the UK on it, not on one yet to start.

vi.mock('../../src-renderer/api', async () => (await import('./renderer-tax-harness')).apiMock)

const useTax = await taxStoreOn10February2026()

describe('tax page: the UK tax year in progress', () => {
  it('is the one that started the April before, until 5 April ends in London', () => {
    expect(currentTaxYear('uk', new Date('2026-02-10T12:00:00Z'))).toBe(2025)
    // 5 April 23:30 in London (BST) is still 2025/26; 00:30 on 6 April is 2026/27.
    expect(currentTaxYear('uk', new Date('2026-04-05T22:30:00Z'))).toBe(2025)
    expect(currentTaxYear('uk', new Date('2026-04-05T23:30:00Z'))).toBe(2026)
    expect(currentTaxYear('uk', new Date('2026-12-31T23:59:00Z'))).toBe(2026)
    expect(currentTaxYear('us', new Date('2026-02-10T12:00:00Z'))).toBe(2026)
    expect(currentTaxYear('de', new Date('2026-02-10T12:00:00Z'))).toBe(2026)
  })

  it('offers the UK years from the one in progress', () => {
    const now = new Date('2026-02-10T12:00:00Z')
    expect(yearOptions('uk', now).slice(0, 2)).toEqual([
      { year: 2025, label: '2025/26' },
      { year: 2024, label: '2024/25' },
    ])
    expect(yearOptions('uk', now)).toHaveLength(11)
    expect(yearOptions('us', now)[0]).toEqual({ year: 2026, label: '2026' })
  })

  it('switching to the UK on 10 February opens 2025/26; back to the US, 2026; a year the user chose stays', () => {
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'us', year: 2026 })
    useTax.getState().setQuery({ jurisdiction: 'uk' })
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'uk', year: 2025 })
    expect(lastYearAsked()).toBe(2025)
    useTax.getState().setQuery({ jurisdiction: 'us' })
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'us', year: 2026 })
    useTax.getState().setQuery({ year: 2023 })
    useTax.getState().setQuery({ jurisdiction: 'uk' })
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'uk', year: 2023 })
    useTax.getState().setQuery({ jurisdiction: 'de', year: 2024 })
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'de', year: 2024 })
  })
})

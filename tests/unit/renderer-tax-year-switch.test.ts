import { describe, expect, it, vi } from 'vitest'
import { yearOptions } from '../../src-renderer/features/tax/taxModel'
import { lastYearAsked, taxStoreOn10February2026 } from './renderer-tax-harness'

// Switching jurisdiction keeps a year the user chose, as far as the new jurisdiction's list offers it: on
// 10 February 2026 the UK offers 2015/16 to 2025/26 and the US 2016 to 2026, so 2015/16 becomes 2016 (the
// list's oldest), not a 2015 report under a list that shows none of it.

vi.mock('../../src-renderer/api', async () => (await import('./renderer-tax-harness')).apiMock)

const useTax = await taxStoreOn10February2026()

const offered = () => yearOptions(useTax.getState().query.jurisdiction).map((y) => y.year)

describe('tax page: switching jurisdiction with a year chosen', () => {
  it('keeps the year when the new list offers it, else the nearest it offers', () => {
    useTax.getState().setQuery({ jurisdiction: 'uk', year: 2015 })
    expect(offered()).toContain(2015)
    useTax.getState().setQuery({ jurisdiction: 'us' })
    expect(offered()).toContain(useTax.getState().query.year)
    expect(useTax.getState().query.year).toBe(2016)
    expect(lastYearAsked()).toBe(2016)
    useTax.getState().setQuery({ year: 2020 })
    useTax.getState().setQuery({ jurisdiction: 'uk' })
    expect(useTax.getState().query).toMatchObject({ jurisdiction: 'uk', year: 2020 })
  })
})

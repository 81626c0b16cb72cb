import { afterAll, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src-renderer/api/types'
import { yearOptions } from '../../src-renderer/features/tax/taxModel'

// Switching jurisdiction keeps a year the user chose, as far as the new jurisdiction's list offers it: on
// 10 February 2026 the UK offers 2015/16 to 2025/26 and the US 2016 to 2026, so 2015/16 becomes 2016 (the
// list's oldest), not a 2015 report under a list that shows none of it.

const calls: { name: string; input: Record<string, unknown> }[] = []
vi.mock('../../src-renderer/api', () => ({
  ApiError,
  api: {
    invoke: (name: string, input: Record<string, unknown>) => {
      calls.push({ name, input })
      return new Promise(() => {})
    },
  },
}))

vi.useFakeTimers({ toFake: ['Date'] })
vi.setSystemTime(new Date('2026-02-10T12:00:00Z'))

interface TaxStoreView {
  getState(): { query: { jurisdiction: 'us' | 'uk' | 'de'; year: number }; setQuery(patch: { jurisdiction?: 'us' | 'uk' | 'de'; year?: number }): void }
}
const storeModule = '../../src-renderer/features/tax/taxStore'
const { useTax } = (await import(/* @vite-ignore */ storeModule)) as { useTax: TaxStoreView }

afterAll(() => {
  vi.useRealTimers()
})

const offered = () => yearOptions(useTax.getState().query.jurisdiction).map((y) => y.year)
const lastYearAsked = () => calls.filter((c) => c.name === 'tax.report').at(-1)?.input.year

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

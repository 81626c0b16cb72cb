// The Tax page store's tests (not a test file itself): the api stand-in they mock the renderer's api with,
// and the store loaded with the clock held at 10 February 2026, 12:00 UTC.
import { afterAll, vi } from 'vitest'
import { ApiError } from '../../src-renderer/api/types'

/** Every call the store made, in order. */
export const calls: { name: string; input: Record<string, unknown> }[] = []

/** For vi.mock('../../src-renderer/api', ...): records each call, never answers. */
export const apiMock = {
  ApiError,
  api: {
    invoke: (name: string, input: Record<string, unknown>) => {
      calls.push({ name, input })
      return new Promise(() => {})
    },
  },
}

/** The year of the last tax report the store asked for. */
export const lastYearAsked = () => calls.filter((c) => c.name === 'tax.report').at(-1)?.input.year

export interface TaxStoreView {
  getState(): { query: { jurisdiction: 'us' | 'uk' | 'de'; year: number }; setQuery(patch: { jurisdiction?: 'us' | 'uk' | 'de'; year?: number }): void }
}

/** Holds the clock at 10 February 2026 12:00 UTC (until the file's tests end), then loads the store. */
export async function taxStoreOn10February2026(): Promise<TaxStoreView> {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-02-10T12:00:00Z'))
  afterAll(() => {
    vi.useRealTimers()
  })
  // The store module draws on DOM types; imported by a path held in a variable (as renderer-tax-store.test.ts).
  const storeModule = '../../src-renderer/features/tax/taxStore'
  const { useTax } = (await import(/* @vite-ignore */ storeModule)) as { useTax: TaxStoreView }
  return useTax
}

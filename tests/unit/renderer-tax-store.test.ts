import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src-renderer/api/types'
import type { TaxReport } from '../../src-main/api/contract'

// The Tax page names itself to the engine, so a newer report stops the older one still computing; the older
// one's CANCELED answer ("superseded by a newer request") is not shown as an error, and Cancel (or leaving
// the page) asks the engine to stop the report for this page.

const calls: { name: string; input: Record<string, unknown>; settle: { resolve(v: unknown): void; reject(e: unknown): void } }[] = []

vi.mock('../../src-renderer/api', () => ({
  ApiError,
  api: {
    invoke: (name: string, input: Record<string, unknown>) =>
      new Promise((resolve, reject) => {
        calls.push({ name, input, settle: { resolve, reject } })
      }),
  },
}))

// The store module draws on DOM types (saving a file), which the Node-typed tests do not have: imported by a
// path held in a variable, and typed here by what the test uses.
interface TaxStoreView {
  getState(): { status: string; setQuery(patch: { year: number }): void; cancel(): Promise<void> }
  setState(patch: { report?: TaxReport | null; status?: string; error?: string | null }): void
}
const storeModule = '../../src-renderer/features/tax/taxStore'
const { useTax } = (await import(/* @vite-ignore */ storeModule)) as { useTax: TaxStoreView }

const report = (year: number) => ({ year, jurisdiction: 'us', method: 'fifo' }) as unknown as TaxReport
const reports = () => calls.filter((c) => c.name === 'tax.report')
const flush = () => new Promise((r) => setTimeout(r, 0))

beforeEach(() => {
  calls.length = 0
  useTax.setState({ report: null, status: 'idle', error: null })
})

describe('tax page store', () => {
  it('sends its view with each report; the superseded one is not shown as an error, the newest is shown', async () => {
    useTax.getState().setQuery({ year: 2021 })
    useTax.getState().setQuery({ year: 2022 })
    const [older, newer] = reports()
    expect(older!.input.view).toEqual(expect.any(String))
    expect(newer!.input.view).toBe(older!.input.view)
    newer!.settle.resolve(report(2022))
    older!.settle.reject(new ApiError('CANCELED', 'superseded by a newer request'))
    await flush()
    expect(useTax.getState()).toMatchObject({ status: 'ready', error: null, report: { year: 2022 } })
  })

  it('Cancel asks the engine to stop this view\'s report and keeps the report on screen', async () => {
    useTax.setState({ report: report(2020), status: 'ready' })
    useTax.getState().setQuery({ year: 2023 })
    const [computing] = reports()
    expect(useTax.getState().status).toBe('loading')
    void useTax.getState().cancel()
    const cancel = calls.find((c) => c.name === 'tax.cancel')
    expect(cancel?.input).toEqual({ view: computing!.input.view })
    cancel!.settle.resolve({ canceled: true })
    computing!.settle.reject(new ApiError('CANCELED', 'canceled at your request'))
    await flush()
    expect(useTax.getState()).toMatchObject({ status: 'ready', error: null, report: { year: 2020 } })
  })

  it('shows any other refusal', async () => {
    useTax.getState().setQuery({ year: 2024 })
    reports()[0]!.settle.reject(new ApiError('BAD_INPUT', 'no such year'))
    await flush()
    expect(useTax.getState()).toMatchObject({ status: 'error', error: 'no such year' })
  })
})

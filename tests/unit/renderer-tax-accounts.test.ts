import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LedgerAccountView } from '../../src-main/api/schemas/portfolio'
import { loadRenderer } from './renderer-keys-harness'

// The Tax page's store against a stand-in engine: an account chosen in the filter whose last import was
// removed elsewhere. The selector can only show "All of mine" then, so the report and the exports must be
// for all of the user's accounts too, and the user is told why the choice changed.

const engine = vi.hoisted(() => ({
  accounts: [] as LedgerAccountView[],
  calls: [] as { command: string; input: Record<string, unknown> }[],
}))

vi.mock('../../src-renderer/api', () => ({
  api: {
    invoke: async (command: string, input: Record<string, unknown>) => {
      engine.calls.push({ command, input })
      if (command === 'portfolio.accounts') return engine.accounts
      if (command === 'tax.report') return { summary: { all: { gain: '0.00' } }, lines: [], asked: input }
      throw new Error(`unexpected command ${command}`)
    },
  },
}))

// The few parts of the stores read here (their modules use the DOM's types, which the Node build lacks).
interface Store<S> {
  getState(): S
  setState(patch: Partial<S>): void
}
interface TaxState {
  query: { account: string | null }
  status: string
  setQuery(patch: { account: string | null }): void
  refresh(): Promise<void>
}
const { useTax } = await loadRenderer<{ useTax: Store<TaxState> }>('features/tax/taxStore')
const { useToasts } = await loadRenderer<{ useToasts: Store<{ toasts: { title: string; detail?: string }[] }> }>('features/toasts/toastStore')

const account = (name: string): LedgerAccountView => ({
  account: name,
  label: name,
  kind: 'import',
  entries: 4,
  firstAt: null,
  lastAt: null,
  canSync: false,
  sync: null,
  historyStart: null,
})

const reportsAsked = () => engine.calls.filter((c) => c.command === 'tax.report').map((c) => c.input.account ?? 'all')

beforeEach(() => {
  engine.calls = []
  useToasts.setState({ toasts: [] })
})

describe('tax page: the account filter when an account goes away', () => {
  it('falls back to all accounts, recomputes the report for them and says the account is gone', async () => {
    engine.accounts = [account('Tax one'), account('Tax two')]
    await useTax.getState().refresh()
    useTax.getState().setQuery({ account: 'Tax one' })
    await vi.waitFor(() => expect(useTax.getState().status).toBe('ready'), { timeout: 10_000 })
    expect(reportsAsked().at(-1)).toBe('Tax one')

    // Its last import removed on the Portfolio page: the ledger no longer lists it.
    engine.accounts = [account('Tax two')]
    engine.calls = []
    await useTax.getState().refresh()

    expect(useTax.getState().query.account).toBeNull()
    // Only the question the selector shows is asked (not one for the removed account beside it).
    expect(reportsAsked()).toEqual(['all'])
    expect(useTax.getState().status).toBe('ready')
    const told = useToasts.getState().toasts.map((t) => `${t.title} ${t.detail ?? ''}`)
    expect(told).toEqual([expect.stringContaining('"Tax one"')])
  })

  it('keeps the chosen account while the ledger still has it', async () => {
    engine.accounts = [account('Tax one'), account('Tax two')]
    useTax.getState().setQuery({ account: 'Tax two' })
    engine.calls = []
    await useTax.getState().refresh()
    expect(useTax.getState().query.account).toBe('Tax two')
    expect(reportsAsked()).toEqual(['Tax two'])
    expect(useToasts.getState().toasts).toEqual([])
  })
})

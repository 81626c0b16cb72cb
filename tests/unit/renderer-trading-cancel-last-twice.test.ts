import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// Mod+Backspace twice quickly, to cancel the last two orders: the second press re-canceled the first's order
// (its cancel still on its way), said "already canceled" as an error and left the other order open.

interface Toasts {
  useToasts: { getState(): { toasts: { kind: string; title: string; detail?: string }[] }; setState(s: object): void }
}
type Row = { clientOrderId: string; venueId: string; symbol: string; status: string; createdAt: number; updatedAt: number } & Record<string, unknown>

let open: Row[]
let cancels: string[]
let actions: { cancelLast(): Promise<void> }
let toasts: Toasts

const row = (id: string, createdAt: number, status = 'open'): Row => ({
  clientOrderId: id,
  venueId: 'sim',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  amount: '0.001',
  price: '100',
  filled: '0',
  status,
  createdAt,
  updatedAt: createdAt,
})

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  // An engine with `open` orders; a cancel takes a round trip, and a second one of the same order is refused.
  api.invoke = async (name: string, input: { scope?: string; clientOrderId: string }) => {
    if (name === 'orders.list') return input.scope === 'open' ? open : []
    if (name === 'fills.list' || name === 'conditional.list') return []
    if (name === 'risk.get') return null
    if (name !== 'orders.cancel') throw new Error(`unexpected ${name}`)
    cancels.push(input.clientOrderId)
    await new Promise((r) => setTimeout(r, 20))
    const order = open.find((o) => o.clientOrderId === input.clientOrderId)
    if (!order) throw new Error(`order ${input.clientOrderId} is already canceled`)
    open = open.filter((o) => o !== order)
    return { ...order, status: 'canceled' }
  }
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: { getState(): { setMarket(v: string, s: string): void } } }>(
    'features/trading/ticketMarket.ts',
  )
  useTicketMarket.getState().setMarket('sim', 'BTC/USDT')
  actions = await loadRenderer('features/trading/tradingActions.ts')
  toasts = await loadRenderer<Toasts>('features/toasts/toastStore.ts')
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  cancels = []
  toasts.useToasts.setState({ toasts: [] })
})

const errors = () => toasts.useToasts.getState().toasts.filter((t) => t.kind === 'error')

describe('cancel the last order, pressed twice quickly', () => {
  it('cancels the last order and then the one before it; no error', async () => {
    open = [row('o1', 1), row('o2', 2)]
    await Promise.all([actions.cancelLast(), actions.cancelLast()])
    expect(cancels).toEqual(['o2', 'o1'])
    expect(open).toEqual([])
    expect(errors()).toEqual([])
  })

  it('skips an order whose cancel the venue has not confirmed yet (status canceling)', async () => {
    open = [row('o1', 1), row('o2', 2, 'canceling')]
    await actions.cancelLast()
    expect(cancels).toEqual(['o1'])
    expect(errors()).toEqual([])
  })
})

describe('cancel the last order, part of it filled', () => {
  // The trader must not read a plain "Order canceled" for an order that bought some of its amount first.
  it('the toast says how much filled before the cancel', async () => {
    open = [{ ...row('o3', 3, 'partially-filled'), filled: '0.0004' }]
    await actions.cancelLast()
    expect(cancels).toEqual(['o3'])
    const done = toasts.useToasts.getState().toasts.find((t) => t.title === 'Order canceled')
    expect(done?.detail).toMatch(/0\.0004 of 0\.001 filled/)
  })
})

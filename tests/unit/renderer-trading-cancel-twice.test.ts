import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// Delete pressed twice fast on an open order (key repeat): the second press must not send a second cancel,
// whose "already canceled" came as an error toast although the order was canceled as asked.

interface Toasts {
  useToasts: { getState(): { toasts: { kind: string; title: string; detail?: string }[] } }
}

let cancels: string[] = []
let actions: { cancelOrder(id: string): Promise<void> }
let toasts: Toasts
let orders: { useOrders: { getState(): { orderChanged(order: object): void } } }

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  const done = new Set<string>()
  api.invoke = async (name: string, input: { clientOrderId: string }) => {
    if (name !== 'orders.cancel') throw new Error(`unexpected ${name}`)
    cancels.push(input.clientOrderId)
    await new Promise((r) => setTimeout(r, 20)) // the engine's round trip
    if (done.has(input.clientOrderId)) throw new Error(`order ${input.clientOrderId} is already canceled`)
    done.add(input.clientOrderId)
    return { clientOrderId: input.clientOrderId, venueId: 'sim', symbol: 'BTC/USDT', status: 'canceled', createdAt: 1, updatedAt: 2 }
  }
  actions = await loadRenderer('features/trading/tradingActions.ts')
  toasts = await loadRenderer<Toasts>('features/toasts/toastStore.ts')
  orders = await loadRenderer('features/trading/ordersStore.ts')
})
afterAll(() => void vi.unstubAllGlobals())

describe('Delete on an order whose cancel is on its way', () => {
  it('is ignored: one cancel sent, no error toast; once done, the order can be asked again', async () => {
    cancels = []
    await Promise.all([actions.cancelOrder('o1'), actions.cancelOrder('o1')])
    expect(cancels).toEqual(['o1'])
    expect(toasts.useToasts.getState().toasts.filter((t) => t.kind === 'error')).toEqual([])
    // Another order's cancel is not held up by it.
    await Promise.all([actions.cancelOrder('o2'), actions.cancelOrder('o3')])
    expect(cancels).toEqual(['o1', 'o2', 'o3'])
  })
})

describe('Delete on an order the engine shows canceling (its cancel accepted, or sent from another window)', () => {
  it('sends nothing and shows no error: that cancel decides', async () => {
    cancels = []
    const row = { clientOrderId: 'o9', venueId: 'sim', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '1', price: '110', filled: '0', status: 'canceling', error: null, createdAt: 1, updatedAt: 2 }
    orders.useOrders.getState().orderChanged(row)
    await actions.cancelOrder('o9')
    expect(cancels).toEqual([])
    expect(toasts.useToasts.getState().toasts.filter((t) => t.kind === 'error')).toEqual([])
  })
})

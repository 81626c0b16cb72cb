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

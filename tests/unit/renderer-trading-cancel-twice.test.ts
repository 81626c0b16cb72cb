import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { OrderView } from '../../src-main/api/schemas/trading'
import { order } from '../support/order-views'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// Delete pressed twice fast on an open order (key repeat): the second press must not send a second cancel,
// whose "already canceled" came as an error toast although the order was canceled as asked. Delete on a row
// the engine shows 'canceling' is asked of the engine, which decides: nothing sent while a cancel of it is
// on its way, sent again when that cancel's answer was lost (the order may be live).

interface Toasts {
  useToasts: { getState(): { toasts: { kind: string; title: string; detail?: string }[] } }
}

let cancels: string[] = []
let actions: { cancelOrder(id: string): Promise<void> }
let toasts: Toasts
let orders: { useOrders: { getState(): { orderChanged(order: object): void; history: { clientOrderId: string; status: string }[] } } }
/** The engine's answer for an order, when not the plain 'canceled' one. */
const replies = new Map<string, () => object>()

/** A resting sell of 1 BTC at 110 on the simulated exchange, as the engine sends it. */
const row = (id: string, status: OrderView['status'], error: string | null = null) =>
  order(id, { side: 'sell', amount: '1', price: '110', status, error, createdAt: 1, updatedAt: 2 })
const errors = () => toasts.useToasts.getState().toasts.filter((t) => t.kind === 'error')

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: Record<string, unknown> }>('api/index.ts')
  const done = new Set<string>()
  api.invoke = async (name: string, input: { clientOrderId: string; scope?: string }) => {
    // An answer 'canceling' follows the orders stream until the outcome (the screen's lists load first).
    if (name === 'orders.list' || name === 'fills.list' || name === 'conditional.list') return []
    if (name === 'risk.get') return null
    if (name !== 'orders.cancel') throw new Error(`unexpected ${name}`)
    cancels.push(input.clientOrderId)
    await new Promise((r) => setTimeout(r, 20)) // the engine's round trip
    const reply = replies.get(input.clientOrderId)
    if (reply !== undefined) return reply()
    if (done.has(input.clientOrderId)) throw new Error(`order ${input.clientOrderId} is already canceled`)
    done.add(input.clientOrderId)
    return { ...row(input.clientOrderId, 'canceled'), updatedAt: 3 }
  }
  api.subscribe = () => () => {}
  api.onConnectionChange = () => () => {}
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

describe('Delete on an order the engine shows canceling', () => {
  it('whose cancel’s answer was lost asks the engine, which sends it again: no error, the row follows the answer', async () => {
    cancels = []
    const lost = "the cancel was sent but OKX's answer could not be read (request timed out); the order is checked again to see whether it was canceled"
    orders.useOrders.getState().orderChanged(row('o9', 'canceling', lost))
    await actions.cancelOrder('o9')
    expect(cancels).toEqual(['o9'])
    expect(errors()).toEqual([])
    expect(orders.useOrders.getState().history.find((o) => o.clientOrderId === 'o9')?.status).toBe('canceled')
  })

  it('whose accepted cancel this window awaits: the engine answers canceling, and it is not announced twice', async () => {
    cancels = []
    replies.set('o8', () => row('o8', 'canceling'))
    orders.useOrders.getState().orderChanged(row('o8', 'open'))
    await actions.cancelOrder('o8')
    await actions.cancelOrder('o8')
    expect(cancels).toEqual(['o8', 'o8'])
    expect(errors()).toEqual([])
    expect(toasts.useToasts.getState().toasts.filter((t) => t.title.startsWith('Cancel requested'))).toHaveLength(1)
  })
})

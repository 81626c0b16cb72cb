import { afterEach, describe, expect, it } from 'vitest'
import { acceptedNotDone, harness, held, waitFor, type Harness } from './orders-support'

// An order 'canceling' has a cancel on its way (sent, or accepted by OKX/Bybit and not processed yet): its
// outcome decides. A second cancel of it — cancel pressed twice, cancel then cancel-all, cancel-all twice —
// sends nothing more: a second request eats the rate limit (a 429) and may be refused "being canceled",
// which must not mark the order failed while the first cancel still lands.

let h: Harness
afterEach(async () => {
  await h.close()
})

/** An open sell on the venue that takes cancels asynchronously. Looks after an accepted cancel come late. */
async function openSell() {
  h = await harness({ cancelFollowMs: [5000] })
  return h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
}

const cancels = () => h.fake.callsOf('cancelOrder').length

describe('cancel-all', () => {
  it('leaves an order whose accepted cancel is on its way to that cancel: nothing sent, counted as awaiting', async () => {
    const order = await openSell()
    h.fake.script('cancelOrder', acceptedNotDone(h.fake))
    const first = await h.manager.cancel(order.clientOrderId)
    expect(first.status).toBe('canceling')
    const result = await h.manager.cancelAll()
    expect(cancels()).toBe(1)
    expect(result).toEqual({ canceled: 0, awaiting: [{ clientOrderId: order.clientOrderId, venueId: 'fake', updatedAt: first.updatedAt }], failed: [] })
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceling', error: null })
  })

  it('pressed twice while the first one’s cancel is still on its way sends one cancel per order', async () => {
    const order = await openSell()
    const slow = held()
    h.fake.script('cancelOrder', slow.behaviour)
    const first = h.manager.cancelAll()
    await waitFor(() => slow.sent(), 'the first cancel sent')
    const second = h.manager.cancelAll()
    slow.release()
    const results = await Promise.all([first, second])
    expect(cancels()).toBe(1)
    expect(results.map((r) => r.failed)).toEqual([[], []])
    expect(results[0].canceled).toBe(1)
    expect(h.manager.get(order.clientOrderId)?.status).toBe('canceled')
  })
})

describe('cancel', () => {
  it('pressed again on an order whose accepted cancel is on its way sends nothing and answers canceling', async () => {
    const order = await openSell()
    h.fake.script('cancelOrder', acceptedNotDone(h.fake))
    await h.manager.cancel(order.clientOrderId)
    const again = await h.manager.cancel(order.clientOrderId)
    expect(again).toMatchObject({ status: 'canceling', error: null })
    expect(cancels()).toBe(1)
  })

  it('pressed twice at once sends one cancel; both get its answer', async () => {
    const order = await openSell()
    const both = await Promise.all([h.manager.cancel(order.clientOrderId), h.manager.cancel(order.clientOrderId)])
    expect(both.map((o) => o.status)).toEqual(['canceled', 'canceled'])
    expect(cancels()).toBe(1)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { acceptedNotDone, fail, harness, held, ME_FAKE, waitFor, type Harness } from './orders-support'

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
    expect(result).toEqual({ canceled: 0, partlyFilled: [], awaiting: [{ clientOrderId: order.clientOrderId, venueId: 'fake', updatedAt: first.updatedAt }], ended: [], failed: [] })
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

// A cancel whose answer was lost (unreadable, and the look after it failed too) leaves the order 'canceling'
// until a reconcile tells how it is. Nothing is known to be carrying that cancel out: the order may well be
// live, so a trader pressing again, cancel-all or the kill switch must not wait for the reconcile.
describe('an order canceling because its cancel’s answer was lost', () => {
  async function lostAnswer(options: Parameters<typeof harness>[0] = {}) {
    // The reconcile that settles it is far off (a venue slow to answer).
    h = await harness({ cancelFollowMs: [5000], reconcileRetryMs: 60_000, ...options })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
    h.fake.script('cancelOrder', fail('bad-reply', 'Fake sent an unexpected reply for an order: no amount'))
    h.fake.script('fetchOrder', fail('unreachable', 'request timed out'))
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    expect(h.manager.get(order.clientOrderId)?.status).toBe('canceling')
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1) // still live on the venue
    return order
  }

  it('cancel pressed again sends the cancel again', async () => {
    const order = await lostAnswer()
    const again = await h.manager.cancel(order.clientOrderId)
    expect(cancels()).toBe(2)
    expect(again).toMatchObject({ status: 'canceled', error: null })
    expect(h.engine.openOrders(ME_FAKE)).toEqual([])
  })

  it('pressed twice at once, the second one’s exchange connection slower, sends one cancel', async () => {
    // The second press reaches the engine before the first one's cancel is sent, but its account opens only
    // after that cancel was accepted (a connection being set up): it must find the cancel on its way then.
    let opens: number | undefined // counted from the first press on
    const slow = held()
    const order = await lostAnswer({
      venues: {
        open: async () => {
          if (opens !== undefined && ++opens === 2) await slow.behaviour(async () => undefined, [])
          return h.fake
        },
      },
    })
    opens = 0
    h.fake.script('cancelOrder', acceptedNotDone(h.fake))
    const first = h.manager.cancel(order.clientOrderId)
    const second = h.manager.cancel(order.clientOrderId)
    expect(await first).toMatchObject({ status: 'canceling', error: null })
    await waitFor(() => slow.sent(), 'the second press waiting for its connection')
    slow.release()
    const again = await second
    expect(cancels()).toBe(2) // the lost one, and one more
    expect(again).toMatchObject({ status: 'canceling' })
  })

  it('cancel-all (the kill switch’s) sends it again', async () => {
    const order = await lostAnswer()
    const result = await h.manager.cancelAll()
    expect(cancels()).toBe(2)
    expect(result).toEqual({ canceled: 1, partlyFilled: [], awaiting: [], ended: [], failed: [] })
    expect(h.manager.get(order.clientOrderId)?.status).toBe('canceled')
  })

  it('an amend sends it again and places the replacement', async () => {
    const order = await lostAnswer()
    const amended = await h.manager.amend(order.clientOrderId, { price: '111.00' })
    expect(cancels()).toBe(2)
    expect(amended).toMatchObject({ status: 'open', price: '111.00' })
    expect(h.engine.openOrders(ME_FAKE)).toEqual([expect.objectContaining({ clientOrderId: amended.clientOrderId })])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { fail, harness, landThenFail, ME_FAKE, type Harness } from './orders-support'

// A cancel whose answer cannot be read (a bad reply, or an unknown error) may still have canceled the
// order. The order manager looks before it says the cancel failed, and an amend then places its
// replacement instead of leaving the user with nothing on the venue and an error.

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('cancel answered with a reply the app cannot read', () => {
  it('the order is looked up: canceled on the venue → the cancel resolves canceled', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    h.fake.script('cancelOrder', landThenFail('bad-reply', 'Fake sent an unexpected reply for an order: no amount'))
    const canceled = await h.manager.cancel(order.clientOrderId)
    expect(canceled).toMatchObject({ status: 'canceled', error: null })
    expect(h.engine.openOrders(ME_FAKE)).toEqual([])
  })

  it('the order is still open on the venue → the cancel failed, with the reason', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    h.fake.script('cancelOrder', fail('unknown', 'something odd'))
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: 'something odd' })
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', error: 'something odd' })
  })

  it('an amend whose cancel landed behind an unreadable reply places the replacement', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '98.00' }))
    h.fake.script('cancelOrder', landThenFail('bad-reply', 'Fake sent an unexpected reply for an order: no amount'))
    const amended = await h.manager.amend(order.clientOrderId, { price: '98.50' })
    expect(amended).toMatchObject({ status: 'open', price: '98.50' })
    expect(h.manager.get(order.clientOrderId)!.status).toBe('canceled')
    expect(h.engine.openOrders(ME_FAKE)).toEqual([expect.objectContaining({ clientOrderId: amended.clientOrderId, price: '98.50' })])
  })
})

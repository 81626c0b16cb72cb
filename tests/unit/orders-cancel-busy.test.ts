import { afterEach, expect, it } from 'vitest'
import { fail, harness, type Harness } from './orders-support'

// Bybit answers 110079 ("the order is processing and can not be operated, please try again later") to a cancel
// of an order it is amending (an amend made on its site or by another app) as well as of one it is canceling:
// the cancel was not taken ('order-busy'). It is sent again once the venue is done; a venue still busy after
// those tries leaves the order open, and the trader is told so plainly (not "waiting for the exchange").

let h: Harness
afterEach(async () => {
  await h.close()
})

const BUSY = 'Fake is still processing an earlier change to that order (an amend or a cancel) and did not take this request (110079: The order is processing and can not be operated, please try again later)'

it('a cancel refused while the venue is amending the order is sent again, and cancels it once the amend settled', async () => {
  h = await harness({ busyRetryMs: [5, 5, 5] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.script('cancelOrder', fail('order-busy', BUSY))
  const answer = await h.manager.cancel(order.clientOrderId)
  expect(answer).toMatchObject({ status: 'canceled', error: null })
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(await h.fake.inner.fetchOpenOrders('BTC/USDT')).toEqual([])
})

it('a venue still busy after every try: the order stays open, and the answer says the exchange was busy and the order is still open', async () => {
  h = await harness({ busyRetryMs: [5, 5], cancelFollowMs: [5000] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.script('cancelOrder', fail('order-busy', BUSY), fail('order-busy', BUSY), fail('order-busy', BUSY))
  const refused = await h.manager.cancel(order.clientOrderId).catch((err: unknown) => err)
  expect(refused).toMatchObject({ code: 'CONFLICT' })
  const message = (refused as Error).message
  expect(message).toContain('still processing an earlier change to that order')
  expect(message).toContain(`order ${order.clientOrderId} is still open`)
  expect(message).toContain('sent 3 times')
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(3)
  // Not left 'canceling' (followed as if a cancel were under way): the screen shows it open, with the reason.
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', error: message })
  // And the next cancel goes through.
  expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled', error: null })
})

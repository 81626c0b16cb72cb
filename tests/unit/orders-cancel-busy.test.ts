import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { fail, harness, waitFor, type Harness } from './orders-support'

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

it("not sent again while another cancel's 429 holds everything to the account: the order stays open, and the answer says why", async () => {
  h = await harness({ busyRetryMs: [300], retryDelaysMs: [5, 5, 5] })
  const busy = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  const other = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '111.00', amount: '1' }))
  const limited = async (): Promise<never> => {
    throw new VenueError('rate-limited', 'fake 429 Too many requests', undefined, 60_000)
  }
  h.fake.script('cancelOrder', fail('order-busy', BUSY), limited)
  const first = h.manager.cancel(busy.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => h.fake.callsOf('cancelOrder').length === 1, 'the first cancel refused as busy')
  // While it waits to send that cancel again, another cancel meets a 429 asking to wait a minute.
  await expect(h.manager.cancel(other.clientOrderId)).rejects.toThrow(/no orders or cancels are sent to it until then/)
  const refused = await first
  expect(refused).toMatchObject({ code: 'UNAVAILABLE' })
  expect((refused as Error).message).toContain('nothing is sent to fake')
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(h.manager.get(busy.clientOrderId)).toMatchObject({ status: 'open' })
})

it('an amend the venue is too busy to take (its cancel refused every time): the answer says the order was not amended and is unchanged, not to cancel it', async () => {
  h = await harness({ busyRetryMs: [5, 5] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.script('cancelOrder', fail('order-busy', BUSY), fail('order-busy', BUSY), fail('order-busy', BUSY))
  const refused = await h.manager.amend(order.clientOrderId, { price: '112.00' }).catch((err: unknown) => err)
  expect(refused).toMatchObject({ code: 'CONFLICT' })
  const message = (refused as Error).message
  expect(message).toMatch(/^Order \S+ was not amended/)
  expect(message).toContain('still processing an earlier change to that order')
  expect(message).not.toMatch(/cancel it again/)
  expect(h.fake.callsOf('placeOrder')).toHaveLength(1) // no replacement
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', price: '110.00' })
})

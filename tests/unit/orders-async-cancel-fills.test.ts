import Decimal from 'decimal.js'
import { afterEach, expect, it } from 'vitest'
import { acceptedLater, harness, waitFor, type Harness } from './orders-support'

// An accepted cancel (OKX, Bybit) whose order fills before the exchange processes it, with the order stream
// silent (its messages lost): the follow-up look-ups see the order end with what it filled. Those fills must
// still reach the fills table (the ledger and positions are built from it), not only the order's filled.

let h: Harness
afterEach(async () => {
  await h?.close()
})

const fillsOf = (id: string) => h.events.orderFilled!.filter((e) => e.order?.clientOrderId === id).map((e) => new Decimal(e.fill.amount).toFixed())

it.each([
  ['fills completely: filled', '1', 'filled'],
  ['fills in part: canceled with it', '0.3', 'canceled'],
])('no order stream, the order %s — its fill is recorded', async (_what, amount, status) => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.silenceStreams()
  h.fake.script('cancelOrder', acceptedLater(h.fake, 30, () => h.other('buy', amount, '110.00')))
  expect((await h.manager.cancel(order.clientOrderId)).status).toBe('canceling')
  await waitFor(() => h.manager.get(order.clientOrderId)?.status === status, `the order ${status}`, 2000)
  const recorded = await waitFor(() => (fillsOf(order.clientOrderId).length > 0 ? fillsOf(order.clientOrderId) : undefined), 'its fill recorded', 1000).catch(() => [])
  expect(recorded).toEqual([amount])
})

import { afterEach, expect, it } from 'vitest'
import { acceptedNotDone, fail, harness, held, notFound, waitFor, type Behaviour, type Harness } from './orders-support'

// OKX (51410) refuses a cancel of an order whose cancel it is carrying out already (ours, sent before a restart
// or its answer lost; the order came back open meanwhile). That is no failure of the cancel: the order stays
// 'canceling', with no error, until the venue says how it ended. (Bybit's 110079: orders-cancel-busy.test.ts.)

let h: Harness
afterEach(async () => {
  await h.close()
})

it('a cancel refused as "already being canceled" leaves the order canceling, then canceled once the venue carries it out', async () => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.script('cancelOrder', fail('cancel-pending', 'Fake is already canceling that order (51410: Cancellation failed as the order is already under cancelling status)'))
  const answer = await h.manager.cancel(order.clientOrderId)
  expect(answer).toMatchObject({ status: 'canceling', error: null })
  expect(h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status)).toEqual(['pending', 'submitting', 'open', 'canceling'])
  // The venue carries out the cancel it had: the looks that follow see it canceled.
  await h.fake.inner.cancelOrder('BTC/USDT', order.venueOrderId!)
  const done = await waitFor(() => (h.manager.get(order.clientOrderId)?.status === 'canceled' ? h.manager.get(order.clientOrderId) : undefined), 'the order canceled')
  expect(done).toMatchObject({ status: 'canceled', error: null })
})

it('cancel-all counts it as awaiting, not as failed', async () => {
  h = await harness({ cancelFollowMs: [5000] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  h.fake.script('cancelOrder', fail('cancel-pending', 'Fake is already canceling that order'))
  const result = await h.manager.cancelAll()
  expect(result.failed).toEqual([])
  expect(result.awaiting.map((a) => a.clientOrderId)).toEqual([order.clientOrderId])
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceling', error: null })
})

it('refused so while the app stops: nothing is looked up after the stop (the store may be closed next)', async () => {
  h = await harness({ cancelFollowMs: [20, 20, 20] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  const slow = held(fail('cancel-pending', 'Fake is already canceling that order'))
  h.fake.script('cancelOrder', slow.behaviour)
  const cancel = h.manager.cancel(order.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => slow.sent(), 'the cancel sent')
  const stopping = h.manager.stop()
  slow.release() // its answer comes while the app stops
  await stopping
  await cancel
  const looks = h.fake.callsOf('fetchOrder').length
  await new Promise((r) => setTimeout(r, 150))
  expect(h.fake.callsOf('fetchOrder').length).toBe(looks)
})

/**
 * A reconcile's look at the order, sent before the cancel, answers "open" while the cancel is on its way (held
 * until released, then answered with `cancelAnswer`, or reaching the venue). Returns the cancel's answer.
 */
async function lookAnsweredDuringCancel(cancelAnswer?: Behaviour) {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  const look = held()
  h.fake.script('fetchOpenOrders', async () => []) // its list misses it: the reconcile looks it up by itself
  h.fake.script('fetchOrder', look.behaviour)
  const reconciling = h.manager.reconcile('fake')
  await waitFor(() => look.sent(), 'the reconcile looking the order up')
  const cancel = held(cancelAnswer)
  h.fake.script('cancelOrder', cancel.behaviour)
  const answer = h.manager.cancel(order.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => cancel.sent(), 'the cancel sent')
  look.release() // "open", as it was when the look left — before the cancel
  await reconciling
  // The look's answer is older than the cancel: it does not say the cancel "did not go through".
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceling', error: null })
  cancel.release()
  return { order, answer: await answer }
}

it("a reconcile's look answered while the cancel is on its way is not applied: the order stays canceling, then canceled", async () => {
  const { order, answer } = await lookAnsweredDuringCancel()
  expect(answer).toMatchObject({ status: 'canceled', error: null })
  expect(h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status)).toEqual(['pending', 'submitting', 'open', 'canceling', 'canceled'])
})

it('so too when the cancel is refused as "already being canceled": canceling, followed until the venue carries it out', async () => {
  const { order, answer } = await lookAnsweredDuringCancel(fail('cancel-pending', 'Fake is already canceling that order (51410)'))
  expect(answer).toMatchObject({ status: 'canceling', error: null })
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
  await h.fake.inner.cancelOrder('BTC/USDT', order.venueOrderId!)
  await waitFor(() => h.manager.get(order.clientOrderId)?.status === 'canceled', 'the order canceled')
})

it("the second look at an order the venue did not know, answered once its cancel was accepted, does not call that cancel failed", async () => {
  h = await harness({ cancelFollowMs: [5000] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  const secondLook = held()
  h.fake.script('fetchOpenOrders', async () => []) // its list misses it, and the look at it too (an exchange lagging)
  h.fake.script('fetchOrder', notFound, secondLook.behaviour)
  expect(await h.manager.reconcile('fake')).toMatchObject({ rechecking: [order.clientOrderId] })
  await waitFor(() => secondLook.sent(), 'the second look sent')
  // Meanwhile the trader cancels: the venue accepts the cancel and carries it out a moment later.
  h.fake.script('cancelOrder', acceptedNotDone(h.fake))
  expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceling' })
  secondLook.release() // "open", as it was when the look left
  await new Promise((r) => setTimeout(r, 50))
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceling', error: null })
})

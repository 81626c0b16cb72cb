import { afterEach, expect, it } from 'vitest'
import { acceptedNotDone, haltable, harness, waitFor, type Harness } from './orders-support'

// The kill switch's re-cancel of an order whose accepted cancel did not go through must survive a restart:
// the app may close while the order is still 'canceling', and the start-up reconcile finds it open again.

let h: Harness
afterEach(async () => {
  await h?.close()
})

it('halted, accepted cancel not carried out, app restarts before the revert is seen: the order is canceled again', async () => {
  const ks = haltable()
  // The first run's follow-up looks come too late to see the revert before the restart.
  h = await harness({ risk: ks.gate, cancelFollowMs: [60_000], haltedRecancelMs: [20] })
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true) // the kill switch is persisted: still halted after the restart
  h.fake.script('cancelOrder', acceptedNotDone(h.fake))
  const result = await h.manager.cancelAll()
  expect(result.awaiting.map((a) => a.clientOrderId)).toEqual([order.clientOrderId])
  expect(h.manager.get(order.clientOrderId)?.status).toBe('canceling')

  h = await h.restart({ risk: ks.gate, cancelFollowMs: [10, 10], haltedRecancelMs: [20] })
  const done = await waitFor(() => (h.manager.get(order.clientOrderId)?.status === 'canceled' ? true : undefined), 'the order canceled after the restart', 15_000)
  expect(done).toBe(true)
  expect(h.fake.callsOf('cancelOrder').length).toBe(1) // this run's venue client: asked once more
})

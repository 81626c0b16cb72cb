import { afterEach, expect, it } from 'vitest'
import { fakeReport } from './orders-fake-reports'
import { fail, haltable, harness, waitFor, type Harness } from './orders-support'

// Restarted while halted, an order the start-up reconcile finds open gets a row saying the kill switch cancels it
// (orders-halted-restart-open.test.ts). That text is about an order still working: once the order has ended some
// other way (it filled before it was asked), its row in the history must not go on saying it is being canceled.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it('an order that fills before its cancel after a restart while halted does not keep the row text saying it is canceled', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [60_000] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true)
  local.fake.script('cancelOrder', fail('unreachable', 'okx 503 Service Unavailable'))
  await local.manager.cancelAll()
  h = await local.restart({ risk: ks.gate, haltedRecancelMs: [60_000] })
  const id = order.clientOrderId
  expect(h.manager.get(id)?.error).toMatch(/still open after the app restarted/)
  h.fake.pushOrder(fakeReport(h.manager.get(id)!, 'closed', '1', '110'))
  const now = h
  await waitFor(() => now.manager.get(id)?.status === 'filled', 'the order filled')
  expect(h.manager.get(id)?.error ?? '').not.toMatch(/it is canceled/)
})

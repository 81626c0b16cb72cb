import { afterEach, expect, it } from 'vitest'
import { fakeReport } from './orders-fake-reports'
import { fail, haltable, harness, waitFor, type Harness } from './orders-support'

// The kill switch's re-asking of an order whose cancel failed lives in memory: an app restarted while still halted
// used to leave such an order open and working. No new order can be placed while halted, so every order the
// start-up reconcile finds open then is one the kill switch meant to cancel: it is asked (soon, then on the
// re-cancel's growing waits), and its row says why.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const canceled = (local: Harness, id: string) => (local.manager.get(id)?.status === 'canceled' ? true : undefined)

/** An open sell whose kill-switch cancel failed (the exchange unreachable); the first run's re-ask comes too late. */
async function haltedWithFailedCancel() {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [60_000] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true)
  local.fake.script('cancelOrder', fail('unreachable', 'okx 503 Service Unavailable'))
  const result = await local.manager.cancelAll()
  expect(result.failed.map((f) => f.clientOrderId)).toEqual([order.clientOrderId])
  expect(local.manager.get(order.clientOrderId)?.status).toBe('open')
  return { ks, id: order.clientOrderId }
}

it('restarted while halted, an order whose kill-switch cancel failed is canceled, and its row says why', async () => {
  const { ks, id } = await haltedWithFailedCancel()
  h = await h!.restart({ risk: ks.gate, haltedRecancelMs: [150, 150] })
  expect(h.manager.get(id)?.error).toMatch(/trading is halted by the kill switch.*canceled/i)
  expect(h.warnings.some((w) => /kill switch/.test(w) && /still open/.test(w))).toBe(true)
  expect(await waitFor(() => canceled(h!, id), 'the order canceled after the restart', 15_000)).toBe(true)
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it('after the restart a cancel that fails again is asked again while halted', async () => {
  const { ks, id } = await haltedWithFailedCancel()
  h = await h!.restart({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40] })
  h.fake.script('cancelOrder', fail('unreachable', 'okx 503 Service Unavailable'))
  expect(await waitFor(() => canceled(h!, id), 'the order canceled after the restart', 15_000)).toBe(true)
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(2)
})

it('restarted after trading was resumed, an open order is left working', async () => {
  const { ks, id } = await haltedWithFailedCancel()
  ks.halt(false)
  h = await h!.restart({ risk: ks.gate, haltedRecancelMs: [20] })
  await new Promise((r) => setTimeout(r, 150))
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
  expect(h.manager.get(id)?.status).toBe('open')
})

it('resumed before the first ask after a restart, the order is not canceled and its row stops saying it is', async () => {
  const { ks, id } = await haltedWithFailedCancel()
  h = await h!.restart({ risk: ks.gate, haltedRecancelMs: [50] })
  expect(h.manager.get(id)?.error).toMatch(/trading is halted by the kill switch/i)
  ks.halt(false)
  const local = h
  await waitFor(() => local.manager.get(id)?.error === null, 'the row no longer saying it is canceled', 15_000)
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
  expect(h.manager.get(id)?.status).toBe('open')
})

// That row text is about an order still working: once the order has ended some other way (it filled before it was
// asked), its row in the history must not go on saying it is being canceled.
it('an order that fills before its cancel after a restart while halted does not keep the row text saying it is canceled', async () => {
  const { ks, id } = await haltedWithFailedCancel()
  h = await h!.restart({ risk: ks.gate, haltedRecancelMs: [60_000] })
  expect(h.manager.get(id)?.error).toMatch(/still open after the app restarted/)
  h.fake.pushOrder(fakeReport(h.manager.get(id)!, 'closed', '1', '110'))
  const now = h
  await waitFor(() => now.manager.get(id)?.status === 'filled', 'the order filled')
  expect(h.manager.get(id)?.error ?? '').not.toMatch(/it is canceled/)
})

import { afterEach, expect, it } from 'vitest'
import { fail, haltable, harness, waitFor, type Harness } from './orders-support'

// While the kill switch holds trading, an order left open is one it means to cancel. A single cancel by the
// trader that failed then (unreachable, a 5xx, a refusal) used to be left at that — only cancel-all's failures
// were asked again — so the order kept working while halted. It is asked again on the same growing waits,
// and the error says so; not one the exchange says it has not got (the reconcile settles that one).

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const ASKED_AGAIN = /not canceled yet: .+; it is asked again while trading stays halted/

async function openSell(halted: boolean) {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(halted)
  return { local, ks, id: order.clientOrderId }
}

it('a single cancel that fails while halted is asked again until the order is canceled, and the error says so', async () => {
  const { local, id } = await openSell(true)
  local.fake.script('cancelOrder', fail('unreachable', 'bybit 502 Bad Gateway'))
  const err = await local.manager.cancel(id).then(
    () => undefined,
    (e: Error & { code?: string }) => e,
  )
  expect(err?.message).toMatch(ASKED_AGAIN)
  expect(err?.code).toBe('UNAVAILABLE')
  expect(await waitFor(() => (local.manager.get(id)?.status === 'canceled' ? true : undefined), 'the order canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
})

it('a single cancel the exchange answers "no such order" is not asked again while halted', async () => {
  const { local, id } = await openSell(true)
  local.fake.script('cancelOrder', fail('order-not-found', 'Order does not exist'))
  await expect(local.manager.cancel(id)).rejects.not.toThrow(ASKED_AGAIN)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it('not halted, a failed single cancel is left to the trader', async () => {
  const { local, id } = await openSell(false)
  local.fake.script('cancelOrder', fail('unreachable', 'bybit 502 Bad Gateway'))
  await expect(local.manager.cancel(id)).rejects.not.toThrow(ASKED_AGAIN)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(local.manager.get(id)?.status).toBe('open')
})

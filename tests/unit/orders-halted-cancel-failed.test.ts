import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { fail, haltable, harness, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch cancels every open order. A cancel of its first pass that fails — the exchange unreachable or
// answering 5xx, a timeout with the order still open, a refusal other than "no such order" — used to be listed
// as failed and never asked again: the order kept working while trading was halted. While trading stays halted
// such an order is asked again on the re-cancel's growing waits (halted-recancel.ts), and the result says so.
// An order the exchange says it does not have (or has closed) is not asked again: the reconcile settles it.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const ASKED_AGAIN = /not canceled yet: .+; it is asked again while trading stays halted/

/** An open sell on the fake venue; then the kill switch halts trading and cancels all, the venue answering the
 * cancels with `cancels` in turn (then for real). No retries inside one cancel: each answer is one ask. */
async function haltedCancelAll(...cancels: Behaviour[]) {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true)
  local.fake.script('cancelOrder', ...cancels)
  const result = await local.manager.cancelAll()
  return { local, ks, id: order.clientOrderId, result }
}

const canceled = (local: Harness, id: string) => (local.manager.get(id)?.status === 'canceled' ? true : undefined)

it('a cancel the exchange could not be reached for is asked again while halted, and the result says so', async () => {
  const { local, id, result } = await haltedCancelAll(fail('unreachable', 'binance 503 Service Unavailable'))
  expect(result.failed).toHaveLength(1)
  expect(result.failed[0]!.error).toMatch(ASKED_AGAIN)
  expect(result.failed[0]!.error).toMatch(/503 Service Unavailable/)
  expect(await waitFor(() => canceled(local, id), 'the order canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
})

it('refusals and timeouts with the order still open are asked again, on growing waits, until it is canceled', async () => {
  const { local, id, result } = await haltedCancelAll(
    fail('invalid-order', 'order is being processed'),
    async () => {
      throw new VenueError('unknown', 'request timed out')
    },
  )
  expect(result.failed[0]!.error).toMatch(ASKED_AGAIN)
  expect(await waitFor(() => canceled(local, id), 'the order canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(3)
})

it('an order the exchange says it does not have is not asked again', async () => {
  const { local, id, result } = await haltedCancelAll(fail('order-not-found', 'Order does not exist'))
  expect(result.failed[0]!.error).not.toMatch(ASKED_AGAIN)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(local.manager.get(id)?.status).toBe('open')
})

it('once trading is resumed, a failed cancel is not asked again', async () => {
  const { local, ks, id } = await haltedCancelAll(fail('unreachable'))
  ks.halt(false)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(local.manager.get(id)?.status).toBe('open')
})

it('nothing is asked again once the manager stops', async () => {
  const { local } = await haltedCancelAll(fail('unreachable'))
  await local.manager.stop()
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it('a later re-cancel the exchange answers "no such order" stops the asking', async () => {
  const { local, id } = await haltedCancelAll(fail('unreachable'), fail('order-not-found', 'Order does not exist'))
  await waitFor(() => local.fake.callsOf('cancelOrder').length >= 2, 'the re-cancel sent', 15_000)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(local.manager.get(id)?.status).toBe('open')
})

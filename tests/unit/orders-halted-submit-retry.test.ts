import { afterEach, expect, it } from 'vitest'
import { fail, haltable, harness, landThenFail, ME_FAKE, waitFor, type Harness } from './orders-support'

// The kill switch halts trading ("nothing new leaves from here on") and cancels every open order. An order whose
// first send met a rate limit or an unreachable exchange just before was still waiting to be sent again: that resend
// went out after the switch — a market order then bought at once, with nothing left for the kill switch to cancel.
// A send not yet made is not made once trading is halted.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it('a market order waiting to be sent again when the kill switch is pulled is not sent again', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [150], haltedRecancelMs: [20, 40] })
  h = local
  local.other('sell', '1', '101.00')
  local.fake.script('placeOrder', fail('rate-limited', 'Too many requests'))
  const submitting = local.manager.submit(local.intent({ venueId: 'fake', type: 'market', price: undefined, timeInForce: 'IOC' })).catch((err: Error) => err)
  await waitFor(() => local.fake.callsOf('placeOrder').length === 1, 'the first send refused')
  ks.halt(true)
  const killed = await local.manager.cancelAll()
  const answer = await submitting
  expect(local.fake.callsOf('placeOrder')).toHaveLength(1)
  expect(local.engine.openOrders(ME_FAKE)).toEqual([])
  expect(local.manager.fills({ limit: 10 })).toEqual([])
  expect(answer).toBeInstanceOf(Error)
  expect((answer as Error).message).toMatch(/halted by the kill switch/i)
  expect(killed.failed.map((f) => f.error).join()).not.toMatch(/may still be open/)
  // The exchange never saw it refused: the kill switch's own halt kept it from being sent again.
  expect(killed.ended).toEqual([
    { clientOrderId: expect.any(String), venueId: 'fake', status: 'rejected', how: 'rejected before the cancel reached it (not placed: trading was halted by the kill switch before it was sent again)' },
  ])
})

it('one whose first send may have landed is not sent again either: the kill switch finds it and cancels it', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [150], haltedRecancelMs: [20, 40] })
  h = local
  local.fake.silenceStreams()
  local.fake.script('placeOrder', landThenFail('unreachable', 'request timed out'))
  const submitting = local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' })).catch((err: Error) => err)
  await waitFor(() => local.fake.callsOf('placeOrder').length === 1, 'the first send on its way')
  ks.halt(true)
  const killed = await local.manager.cancelAll()
  const answer = await submitting
  expect((answer as Error).message).toMatch(/halted by the kill switch/i)
  expect(local.fake.callsOf('placeOrder')).toHaveLength(1)
  expect(killed).toMatchObject({ canceled: 1, failed: [] })
  expect(local.engine.openOrders(ME_FAKE)).toEqual([])
})

import { afterEach, expect, it } from 'vitest'
import { fail, haltable, harness, landThenFail, ME_FAKE, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch's first cancel of an order may lose its answer: the request timed out or the connection dropped
// after it was sent, so whether the order was canceled is unknown. Such an order must not wait for a reconcile to
// find it open (that can be far off, and while it waits the order may still be working): while trading stays
// halted it is asked again on the re-cancel's waits (look it up / cancel again, one cancel at a time).

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** An open sell on the fake venue; the kill switch halts trading and cancels all, the venue answering the cancel
 * with `cancel` and the look-ups with `looks`. Reconciles are far off, so only the re-cancel can settle it. */
async function haltedWithLostAnswer(cancel: Behaviour, ...looks: Behaviour[]): Promise<{ local: Harness; id: string; result: Awaited<ReturnType<Harness['manager']['cancelAll']>> }> {
  return haltedWith({}, cancel, ...looks)
}

async function haltedWith(options: { streamsDown?: boolean }, cancel: Behaviour, ...looks: Behaviour[]) {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40], reconcileRetryMs: 60_000, resyncDelayMs: 60_000 })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true)
  if (options.streamsDown === true) local.fake.silenceStreams() // the dropped connection took the order stream with it
  local.fake.script('cancelOrder', cancel)
  local.fake.script('fetchOrder', ...looks)
  const result = await local.manager.cancelAll()
  return { local, id: order.clientOrderId, result }
}

const canceled = (local: Harness, id: string) => (local.manager.get(id)?.status === 'canceled' ? true : undefined)

it('a cancel whose answer timed out, the look-up failing too, is sent again while halted and the order is canceled', async () => {
  const { local, id, result } = await haltedWithLostAnswer(fail('unknown', 'request timed out'), fail('unreachable', 'request timed out'))
  expect(result.failed[0]!.error).toMatch(/it is asked again while trading stays halted/)
  expect(await waitFor(() => canceled(local, id), 'the order canceled by the re-cancel', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(local.fake.callsOf('fetchOpenOrders')).toHaveLength(0) // no reconcile was needed
  expect(local.engine.openOrders(ME_FAKE)).toEqual([])
})

it('a cancel that landed but whose connection dropped before the answer is settled canceled by the re-cancel, not a reconcile', async () => {
  const { local, id, result } = await haltedWith({ streamsDown: true }, landThenFail('unreachable', 'connection dropped'))
  expect(result.failed[0]!.error).toMatch(/it is asked again while trading stays halted/)
  expect(await waitFor(() => canceled(local, id), 'the order settled canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('fetchOpenOrders')).toHaveLength(0)
})

// The answer lost, the order stream may still tell: the order canceled there is canceled, not a failed cancel
// (the toast counted it failed, and its history row said "refused a status change" from the late 'cancel-failed').
it('a cancel whose answer was lost but whose order the stream shows canceled meanwhile counts as canceled', async () => {
  const { local, id, result } = await haltedWith({}, landThenFail('unreachable', 'connection dropped'))
  expect(result).toMatchObject({ canceled: 1, failed: [] })
  expect(local.manager.get(id)).toMatchObject({ status: 'canceled', error: null })
  expect(local.events.orderTransitionRefused).toEqual([])
})

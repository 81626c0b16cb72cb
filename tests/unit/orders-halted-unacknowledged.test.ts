import { afterEach, expect, it } from 'vitest'
import { haltable, harness, unacknowledged, waitFor, type Harness } from './orders-support'

// The kill switch cancels every unfinished order, also one never acknowledged (its send's answer was lost: the
// row has no exchange id). Its cancel looks it up by our client id first. Not there, it used to be answered
// CONFLICT "has not acknowledged order … yet; nothing to cancel there" and, halted, asked again on the re-cancel's
// waits — a look-up each time and the same "not canceled yet … asked again" — until a reconcile marked it lost.
// One look-up is enough: not there, it takes the normal lost path (looked at once more, then lost); the look-up
// failing, the normal unknown path (the reconcile checks it again). Nothing repeats it meanwhile.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function haltedCancelAllOfUnacknowledged() {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40], lostRecheckMs: 100, reconcileRetryMs: 60_000, resyncDelayMs: 60_000 })
  h = local
  const id = await unacknowledged(local, false)
  ks.halt(true)
  const result = await local.manager.cancelAll()
  return { local, id, result }
}

it('halted, a never-acknowledged order the exchange does not have is looked up once, then looked at once more and marked lost', async () => {
  const { local, id, result } = await haltedCancelAllOfUnacknowledged()
  expect(result.failed).toHaveLength(1)
  expect(result.failed[0]!.error).not.toMatch(/asked again/)
  expect(result.failed[0]!.error).toMatch(/has not acknowledged order .* does not have it/)
  expect(local.fake.callsOf('fetchOrder')).toHaveLength(1)
  await waitFor(() => local.manager.get(id)?.status === 'lost', 'the order marked lost')
  expect(local.manager.get(id)?.error).toMatch(/does not know this order/)
  await new Promise((r) => setTimeout(r, 150))
  expect(local.fake.callsOf('fetchOrder')).toHaveLength(2) // the cancel's look-up and the second look
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(0)
  expect(local.warnings.filter((w) => /asking again/.test(w))).toEqual([])
})

it('one whose look-up fails is left to the reconcile, not asked again by the kill switch meanwhile', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], haltedRecancelMs: [20, 40], reconcileRetryMs: 60_000, resyncDelayMs: 60_000 })
  h = local
  const id = await unacknowledged(local, false)
  ks.halt(true)
  local.fake.script('fetchOrder', async () => {
    throw new Error('request timed out')
  })
  const result = await local.manager.cancelAll()
  expect(result.failed[0]!.error).not.toMatch(/asked again/)
  await new Promise((r) => setTimeout(r, 200))
  expect(local.fake.callsOf('fetchOrder')).toHaveLength(1)
  expect(local.manager.get(id)?.status).toBe('submitting')
})

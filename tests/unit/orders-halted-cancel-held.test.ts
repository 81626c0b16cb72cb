import { afterEach, expect, it, vi } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { fakeTime, haltable, harness, unacknowledged, until, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch cancels every open order; a cancel answered 429 with a Retry-After longer than the retries
// holds everything to that account, so the rest of its orders are not even asked. A trader who pulled the
// switch expects every one of them canceled as soon as the exchange allows: they are asked again once the
// hold ends (one after another, as cancel-all asks), and meanwhile each says it waits for the rate limit.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.useRealTimers()
})

const limited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, retryAfterMs)
}

async function twoOpenSells(ks: ReturnType<typeof haltable>) {
  const local = await harness({ risk: ks.gate })
  h = local
  const a = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  const b = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '111.00', amount: '1' }))
  return { local, ids: [a.clientOrderId, b.clientOrderId] }
}

it('orders the kill switch could not cancel for a cancel’s own rate limit are canceled once the hold ends, and say they wait meanwhile', async () => {
  fakeTime()
  const ks = haltable()
  const { local, ids } = await twoOpenSells(ks)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(300))
  const result = await local.manager.cancelAll()
  expect(result.failed.map((f) => f.clientOrderId)).toEqual(ids)
  for (const f of result.failed) expect(f.error).toMatch(/canceled again when the hold ends/)
  for (const id of ids) {
    expect(local.manager.get(id)?.status).toBe('open')
    expect(local.manager.get(id)?.error).toMatch(/waits for fake's rate limit/)
  }
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  // Nothing is sent inside the exchange's window, up to its last millisecond.
  await vi.advanceTimersByTimeAsync(299)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(1)
  await until(() => ids.every((id) => local.manager.get(id)?.status === 'canceled'))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(3)
})

it('once trading is resumed before the hold ends, nothing is canceled again', async () => {
  fakeTime()
  const ks = haltable()
  const { local, ids } = await twoOpenSells(ks)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(100))
  await local.manager.cancelAll()
  ks.halt(false)
  await vi.advanceTimersByTimeAsync(300) // the hold ended long ago
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  // Open, and no longer saying a cancel is on its way.
  for (const id of ids) expect(local.manager.get(id)).toMatchObject({ status: 'open', error: null })
})

it('a restart inside the hold, still halted: the orders are canceled once it ends', async () => {
  fakeTime()
  const ks = haltable()
  const { local, ids } = await twoOpenSells(ks)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(400))
  await local.manager.cancelAll()
  h = await local.restart({ risk: ks.gate })
  const after = h
  await vi.advanceTimersByTimeAsync(399)
  expect(after.fake.callsOf('cancelOrder')).toHaveLength(0) // not inside the hold, restarted or not
  await until(() => ids.every((id) => after.manager.get(id)?.status === 'canceled'))
})

it('an app closed inside the hold and started after it ended, still halted: the orders whose cancel waited are canceled at start', async () => {
  const ks = haltable()
  const { local, ids } = await twoOpenSells(ks)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(60_000))
  await local.manager.cancelAll()
  // Started again two minutes later: the exchange's minute is over.
  h = await local.restart({ risk: ks.gate, now: () => Date.now() + 120_000 })
  const after = h
  await waitFor(() => ids.every((id) => after.manager.get(id)?.status === 'canceled'), 'both orders canceled at the start after the hold', 15_000)
})

it('trading resumed inside the hold and the app restarted: the orders no longer say their cancel waits', async () => {
  const ks = haltable()
  const { local, ids } = await twoOpenSells(ks)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(60_000))
  await local.manager.cancelAll()
  ks.halt(false)
  h = await local.restart({ risk: ks.gate })
  for (const id of ids) expect(h.manager.get(id)).toMatchObject({ status: 'open', error: null })
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it('a hold longer than a timer can wait (Retry-After: 30 days) is waited out: neither the held cancels nor the account’s reads are tried again and again meanwhile', async () => {
  const overflows: string[] = []
  const onWarning = (w: Error) => {
    if (w.name === 'TimeoutOverflowWarning') overflows.push(w.message)
  }
  process.on('warning', onWarning)
  try {
    const ks = haltable()
    const { local, ids } = await twoOpenSells(ks)
    ks.halt(true)
    local.fake.script('cancelOrder', limited(30 * 24 * 3_600_000))
    await local.manager.cancelAll()
    const asked = vi.spyOn(local.manager, 'cancel')
    await new Promise((r) => setTimeout(r, 200))
    expect(asked).not.toHaveBeenCalled()
    expect(overflows).toEqual([])
    for (const id of ids) expect(local.manager.get(id)?.status).toBe('open')
    expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  } finally {
    process.off('warning', onWarning)
  }
})

// An order the exchange never acknowledged (its send's answer was lost: no exchange id) held back the same way was
// told "it is canceled again when the hold ends" too — but nothing is known to cancel: once the hold ends it is
// looked up by our client id, canceled if it is open there, and otherwise looked at once more and marked lost.
// Its words now say that; an acknowledged order's still say it is canceled again.
async function heldWithUnacknowledged(landed: boolean) {
  fakeTime()
  const ks = haltable()
  const local = await harness({ risk: ks.gate, retryDelaysMs: [], lostRecheckMs: 100, reconcileRetryMs: 60_000, resyncDelayMs: 60_000 })
  h = local
  const acked = (await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))).clientOrderId
  const unacked = await unacknowledged(local, landed)
  ks.halt(true)
  local.fake.script('cancelOrder', limited(300)) // the acknowledged order's cancel begins the hold
  const result = await local.manager.cancelAll()
  const said = (id: string) => result.failed.find((f) => f.clientOrderId === id)?.error
  return { local, acked, unacked, said }
}

it('held back with one the exchange never acknowledged: the acknowledged one is said to be canceled again, the other to be looked up first', async () => {
  const { local, acked, unacked, said } = await heldWithUnacknowledged(true)
  expect(said(acked)).toMatch(/Trading is halted: it is canceled again when the hold ends \(\d\d:\d\d:\d\d UTC\)$/)
  expect(said(unacked)).not.toMatch(/canceled again/)
  expect(said(unacked)).toMatch(
    /Trading is halted: when the hold ends \(\d\d:\d\d:\d\d UTC\) it is looked up on fake and canceled if it is open there; if fake does not have it, it is looked at once more and marked lost/,
  )
  expect(local.manager.get(unacked)?.error).toMatch(/^kill switch: the cancel waits for fake's rate limit; at \d\d:\d\d:\d\d UTC it is looked up on fake and canceled if it is open there$/)
  expect(local.fake.callsOf('fetchOrder')).toHaveLength(0) // nothing asked inside the hold
})

it('a never-acknowledged order that had landed is found and canceled once the hold ends, as its words said', async () => {
  const { local, acked, unacked } = await heldWithUnacknowledged(true)
  await vi.advanceTimersByTimeAsync(300)
  await until(() => [acked, unacked].every((id) => local.manager.get(id)?.status === 'canceled'))
})

it('a never-acknowledged order the exchange does not have is looked at once more and marked lost once the hold ends, as its words said', async () => {
  const { local, acked, unacked } = await heldWithUnacknowledged(false)
  await vi.advanceTimersByTimeAsync(300)
  await until(() => local.manager.get(acked)?.status === 'canceled' && local.manager.get(unacked)?.status === 'lost')
  expect(local.fake.callsOf('fetchOrder')).toHaveLength(2) // the look-up after the hold and the one more look
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2) // the acknowledged order's two; none for the other
})

// Once the hold ended and the look-up was made, the never-acknowledged order's row still said "at 14:03:07 UTC it is
// looked up on … and canceled if it is open there" — of a look-up made already: not found (until the look once more
// marks it lost), or one that could not be asked (until a reconcile reaches the exchange, however long that takes).
// The row now says what came of it.
it('a never-acknowledged order the exchange does not have: once looked up after the hold, its row says so, not that it is still to be looked up', async () => {
  const { local, unacked } = await heldWithUnacknowledged(false)
  await vi.advanceTimersByTimeAsync(300)
  await until(() => local.fake.callsOf('fetchOrder').length === 1)
  expect(local.manager.get(unacked)).toMatchObject({ status: 'submitting', error: expect.not.stringMatching(/it is looked up on fake/) })
  expect(local.manager.get(unacked)?.error).toMatch(/does not have it: nothing to cancel there; it is looked at once more and marked lost if still not there$/)
})

it('a never-acknowledged order whose look-up after the hold could not be made: its row says it is checked at the next reconcile', async () => {
  const { local, unacked } = await heldWithUnacknowledged(true)
  local.fake.script('fetchOrder', async () => {
    throw new VenueError('unreachable', 'fake could not be reached (request timed out)')
  })
  await vi.advanceTimersByTimeAsync(300)
  await until(() => local.fake.callsOf('fetchOrder').length === 1)
  await until(() => local.manager.get(unacked)?.error?.includes('could not be asked') === true)
  expect(local.manager.get(unacked)).toMatchObject({ status: 'submitting', error: expect.not.stringMatching(/it is looked up on fake/) })
  expect(local.manager.get(unacked)?.error).toMatch(/could not be asked about it: nothing was canceled there; it is checked again when fake is reconciled$/)
})

import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { RateHoldRefusal } from '../../src-main/trading/rate-refusal'
import { RequestHeldError } from '../../src-main/venues/ccxt/request-hold'
import { harness, landThenFail, unacknowledged, waitFor, type Behaviour, type Harness } from './orders-support'

// A cancel that meets a 429 whose Retry-After outlasts the retries holds every request to that account
// (Binance bans the IP of a client that keeps sending); an order's 429 holds new orders only.

let h: Harness
afterEach(async () => {
  await h?.close()
})

it("cancel-all stops sending cancels once one met a 429 asking to wait 60 s", async () => {
  h = await harness({ retryDelaysMs: [5, 5, 5] })
  for (const p of ['90.00', '91.00', '92.00', '93.00', '94.00']) await h.manager.submit(h.intent({ venueId: 'fake', price: p }))
  const limited = async (): Promise<never> => {
    throw new VenueError('rate-limited', 'binance 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  }
  h.fake.script('cancelOrder', limited, limited, limited, limited, limited)
  const r = await h.manager.cancelAll({ venueId: 'fake' })
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(r.canceled).toBe(0)
  expect(r.failed).toHaveLength(5)
  expect(r.failed[0]?.error).toContain('no orders or cancels are sent to it until then')
  expect(r.failed[1]?.error).toContain('nothing is sent to fake')
  // New orders are held too.
  await expect(h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))).rejects.toThrow(/no orders or cancels are sent to fake/)
})

it("during a cancel's 429 hold, a never-acknowledged order's cancel says what is known — not that the order is still open there", async () => {
  h = await harness({ retryDelaysMs: [] })
  await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  const id = await unacknowledged(h, false)
  h.fake.script('cancelOrder', async () => {
    throw new VenueError('rate-limited', 'binance 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  })
  const r = await h.manager.cancelAll({ venueId: 'fake' })
  const failed = r.failed.find((f) => f.clientOrderId === id)
  expect(failed?.error).toMatch(/nothing is sent to fake for (59|60) more s/)
  expect(failed?.error).not.toMatch(/still open/)
  expect(failed?.error).toContain(`fake never acknowledged order ${id} (its send's answer was lost), so whether it is open there is not known`)
  expect(h.fake.callsOf('fetchOrder')).toHaveLength(0) // nothing sent during the hold, not even a look-up
})

it("while a cancel's 429 holds everything, a new order or an amend is refused before the risk gate reads the account", async () => {
  // The risk gate reads balances and books of the account: those are requests inside the hold too. A stop
  // triggered meanwhile must be told it is a rate hold (it waits for the end), not a failed read.
  let checks = 0
  h = await harness({ retryDelaysMs: [5, 5, 5], risk: { check: async () => void checks++ } })
  const a = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  const b = await h.manager.submit(h.intent({ venueId: 'fake', price: '91.00' }))
  h.fake.script('cancelOrder', async () => {
    throw new VenueError('rate-limited', 'binance 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  })
  await expect(h.manager.cancel(a.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  checks = 0
  const refused = h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))
  await expect(refused).rejects.toBeInstanceOf(RateHoldRefusal)
  await expect(refused).rejects.toThrow(/no orders or cancels are sent to fake for (59|60) more s/)
  await expect(h.manager.amend(b.clientOrderId, { price: '92.00' })).rejects.toThrow(/no orders or cancels are sent to fake/)
  expect(checks).toBe(0)
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it("a cancel waiting to be retried (the exchange unreachable) is not sent again once another cancel's 429 holds the account", async () => {
  h = await harness({ retryDelaysMs: [300, 300] })
  const first = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  const other = await h.manager.submit(h.intent({ venueId: 'fake', price: '91.00' }))
  const unreachable = async (): Promise<never> => {
    throw new VenueError('unreachable', 'fake 503 Service Unavailable')
  }
  const limited = async (): Promise<never> => {
    throw new VenueError('rate-limited', 'fake 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  }
  h.fake.script('cancelOrder', unreachable, limited)
  const waiting = h.manager.cancel(first.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => h.fake.callsOf('cancelOrder').length === 1, 'the first cancel failed, to be retried')
  await expect(h.manager.cancel(other.clientOrderId)).rejects.toThrow(/no orders or cancels are sent to it until then/)
  const refused = await waiting
  expect(refused).toMatchObject({ code: 'UNAVAILABLE' })
  expect((refused as Error).message).toContain('nothing is sent to fake')
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(h.manager.get(first.clientOrderId)).toMatchObject({ status: 'open' })
})

// A cancel's first send timed out (it had landed); sent again, it met a 429 asking to wait 60 s, while the order
// stream (late) showed the order canceled by the first. Canceled, yes — but the exchange still asked to wait: the
// next cancel of cancel-all must not be fired into that window (Binance bans the IP).
it('a cancel that met a 429 while the stream showed its order canceled still holds the account', async () => {
  h = await harness({ retryDelaysMs: [5, 5, 5] })
  const a = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  await h.manager.submit(h.intent({ venueId: 'fake', price: '91.00' }))
  h.fake.silenceStreams()
  const limitedAfterStream: Behaviour = async () => {
    h.fake.pushOrder((await h.fake.inner.fetchOrder('BTC/USDT', { clientOrderId: a.clientOrderId }))!)
    throw new VenueError('rate-limited', 'binance 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  }
  h.fake.script('cancelOrder', landThenFail('unreachable', 'request timed out'), limitedAfterStream)
  const r = await h.manager.cancelAll({ venueId: 'fake' })
  expect(h.manager.get(a.clientOrderId)?.status).toBe('canceled')
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(2) // the first order's two sends; none for the second
  expect(r.canceled).toBe(1)
  expect(r.failed[0]?.error).toContain('nothing is sent to fake')
})

// A new order past the manager's hold check when a cancel's 429 began the hold (it queued in the order lane) is
// refused at the account's request gate, unsent (request-hold.ts). Its row said "no new orders are sent … until then
// (cancels still are)": they are not, and a trader reading it would count on a cancel going out.
it("a new order refused by the account's gate inside a cancel's 429 hold does not say cancels still go out", async () => {
  h = await harness({ retryDelaysMs: [5, 5, 5] })
  const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  const limited = async (): Promise<never> => {
    throw new VenueError('rate-limited', 'fake 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  }
  h.fake.script('cancelOrder', limited)
  h.fake.script('placeOrder', async () => {
    // The cancel meets its 429 while this order waits in the lane; then the gate refuses the order.
    await h.manager.cancel(resting.clientOrderId).catch(() => undefined)
    throw new RequestHeldError('fake is rate-limiting this account (it answered "Retry-After"): nothing is sent to fake until 10:01:00 UTC (60 more s)', 60_000)
  })
  const refused = await h.manager.submit(h.intent({ venueId: 'fake', price: '91.00' })).catch((err: unknown) => err)
  const message = (refused as Error).message
  expect(message).toMatch(/not placed/)
  expect(message).not.toMatch(/cancels still are/)
  expect(message).toMatch(/no orders or cancels are sent to fake/)
})

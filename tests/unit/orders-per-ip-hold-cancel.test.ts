import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { harness, type Harness } from './orders-support'

// On an exchange counting request weight per IP (Binance) a hold of everything is the host's: one account's 429
// holds every account on that host. An order on account "fake" answered 429 -1003 (the IP's request weight); a
// cancel on account "sim" (same host) is then refused unsent. Its words said "sim is rate-limiting this account
// (it answered "Retry-After")" — of an account that never got a 429 — while a new order of it already said the
// computer's IP address is held. A trader pulling the kill switch read that for every other account's orders.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it("a cancel held by another account's 429 for the IP's request weight says the IP is held, not this account", async () => {
  const holds = new RateHolds(() => Date.now(), undefined, () => Date.now(), () => 'ip:host') // both accounts on one host
  h = await harness({ retryDelaysMs: [5, 5, 5], holds })
  const resting = await h.manager.submit(h.intent({ venueId: 'sim', price: '90.00' }))
  h.fake.script('placeOrder', async () => {
    throw new VenueError('rate-limited', 'fake is rate-limiting this app (-1003: Too much request weight used)', undefined, 60_000, 'request-weight')
  })
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' })

  const refusal = h.manager.cancel(resting.clientOrderId)
  await expect(refusal).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(
      /^could not cancel: sim is rate-limiting this computer's IP address \(it answered "Retry-After": the request weight it allows an IP is used up\), so nothing is sent to sim or any other account on its exchange for 60 more s; order \S+ is still open there$/,
    ),
  })
  expect(h.manager.get(resting.clientOrderId)).toMatchObject({ status: 'open' })
})

it('a cancel held by its own account\'s hold on an exchange counting per key still says this account', async () => {
  h = await harness({ retryDelaysMs: [5, 5, 5] })
  const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
  h.fake.script('cancelOrder', async () => {
    throw new VenueError('rate-limited', 'fake is rate-limiting this app', undefined, 60_000)
  })
  const other = await h.manager.submit(h.intent({ venueId: 'fake', price: '89.00' }))
  await expect(h.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  await expect(h.manager.cancel(other.clientOrderId)).rejects.toMatchObject({
    message: expect.stringMatching(/^could not cancel: fake is rate-limiting this account \(it answered "Retry-After"\), so nothing is sent to fake for 60 more s; order \S+ is still open there$/),
  })
})

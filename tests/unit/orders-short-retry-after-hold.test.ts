import { afterEach, expect, it, vi } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { fakeTime, harness, until, type Behaviour, type Harness } from './orders-support'

// A 429 whose Retry-After the request's own retries cover (under the 3.75 s they add up to) held only that
// request: the account's other reads, orders and cancels kept going out inside the window the exchange asked
// for, and Binance bans (418) the IP of a client that keeps sending after a 429. However short, it now holds the
// account as a long one does — a cancel's everything, an order's new orders — and the request itself is sent
// again once it ends, as before.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.useRealTimers()
})

const RETRIES = [250, 500, 1000, 2000]

const weightLimited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, retryAfterMs)
}
const ordersLimited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, retryAfterMs)
}

it("a cancel's own 429 its retries cover holds everything to the account until the Retry-After ends; then the cancel goes out", async () => {
  fakeTime()
  // Shared with the venues in the app: their requests wait (or fail fast) while requestHold says so.
  const holds = new RateHolds(() => Date.now())
  const local = await harness({ retryDelaysMs: RETRIES, holds })
  h = local
  const resting = await local.manager.submit(local.intent({ venueId: 'fake', price: '90.00' }))
  const other = await local.manager.submit(local.intent({ venueId: 'fake', price: '89.00' }))
  local.fake.script('cancelOrder', weightLimited(2000))
  const canceling = local.manager.cancel(resting.clientOrderId)
  canceling.catch(() => undefined)
  await until(() => local.fake.callsOf('cancelOrder').length === 1)

  expect(holds.requestHold('fake')().ms).toBeGreaterThan(1500)
  await expect(local.manager.submit(local.intent({ venueId: 'fake', price: '88.00' }))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('no orders or cancels are sent to fake for 2 more s'),
  })
  await expect(local.manager.cancel(other.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('so nothing is sent to fake for 2 more s') })
  expect(local.fake.callsOf('placeOrder')).toHaveLength(2)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)

  await vi.advanceTimersByTimeAsync(1900)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(100)
  await expect(canceling).resolves.toMatchObject({ status: 'canceled' })
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(holds.requestHold('fake')().ms).toBe(0)
  expect(await local.manager.submit(local.intent({ venueId: 'fake', price: '88.00' }))).toMatchObject({ status: 'open' })
})

it("cancel-all (the kill switch's) whose first cancel meets such a 429 sends nothing inside it, then cancels every order", async () => {
  fakeTime()
  const local = await harness({ retryDelaysMs: RETRIES })
  h = local
  for (const price of ['90.00', '89.00', '88.00']) await local.manager.submit(local.intent({ venueId: 'fake', price }))
  local.fake.script('cancelOrder', weightLimited(2000))
  const all = local.manager.cancelAll()
  all.catch(() => undefined)
  await until(() => local.fake.callsOf('cancelOrder').length === 1)
  await vi.advanceTimersByTimeAsync(1900)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(100)
  await expect(all).resolves.toEqual({ canceled: 3, partlyFilled: [], awaiting: [], ended: [], failed: [] })
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(4)
})

it('its retry is not refused by its own hold when the hold counts down on a clock a little behind the timers: it goes out once the hold ends', async () => {
  fakeTime()
  // The hold's clock (monotonic) and the timers' can differ by a millisecond or so; slowed here to make it 1 %.
  const local = await harness({ retryDelaysMs: RETRIES, holdClock: () => performance.now() * 0.99 })
  h = local
  const resting = await local.manager.submit(local.intent({ venueId: 'fake', price: '90.00' }))
  local.fake.script('cancelOrder', weightLimited(2000))
  const canceling = local.manager.cancel(resting.clientOrderId)
  canceling.catch(() => undefined)
  await until(() => local.fake.callsOf('cancelOrder').length === 1)
  await vi.advanceTimersByTimeAsync(2000)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1) // the hold's clock says ~20 ms are left
  await vi.advanceTimersByTimeAsync(50)
  await expect(canceling).resolves.toMatchObject({ status: 'canceled' })
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
})

it("an order's own 429 its retries cover holds the account's new orders until the Retry-After ends (cancels still go); then the order is sent again", async () => {
  fakeTime()
  const local = await harness({ retryDelaysMs: RETRIES })
  h = local
  const resting = await local.manager.submit(local.intent({ venueId: 'fake', price: '90.00' }))
  local.fake.script('placeOrder', ordersLimited(2000))
  const placing = local.manager.submit(local.intent({ venueId: 'fake', price: '91.00' }))
  placing.catch(() => undefined)
  await until(() => local.fake.callsOf('placeOrder').length === 2)

  expect(local.manager.rateHoldMs('fake')).toBeGreaterThan(1500)
  await expect(local.manager.submit(local.intent({ venueId: 'fake', price: '92.00' }))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining('no new orders are sent to fake for 2 more s'),
  })
  expect(local.fake.callsOf('placeOrder')).toHaveLength(2)
  // Binance's order-count limit counts new orders only: a cancel still goes, as in a long hold.
  expect(await local.manager.cancel(resting.clientOrderId)).toMatchObject({ status: 'canceled' })

  await vi.advanceTimersByTimeAsync(1850)
  expect(local.fake.callsOf('placeOrder')).toHaveLength(2)
  await vi.advanceTimersByTimeAsync(150)
  await expect(placing).resolves.toMatchObject({ status: 'open', attempts: 2 })
  expect(local.fake.callsOf('placeOrder')).toHaveLength(3)
  expect(local.manager.rateHoldMs('fake')).toBe(0)
})

it("a cancel's short 429 answered after the order ended (the stream told) still holds the account", async () => {
  fakeTime()
  const holds = new RateHolds(() => Date.now())
  const local = await harness({ retryDelaysMs: RETRIES, holds })
  h = local
  const resting = await local.manager.submit(local.intent({ venueId: 'fake', price: '90.00' }))
  // The cancel lands; its answer is a 429 (the order stream says canceled before it is read).
  local.fake.script('cancelOrder', async (real) => {
    await real()
    await until(() => local.manager.get(resting.clientOrderId)?.status === 'canceled')
    throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, 1500)
  })
  expect(await local.manager.cancel(resting.clientOrderId)).toMatchObject({ status: 'canceled' })
  expect(holds.requestHold('fake')().ms).toBeGreaterThan(1000)
  await expect(local.manager.submit(local.intent({ venueId: 'fake', price: '88.00' }))).rejects.toMatchObject({ message: expect.stringContaining('no orders or cancels are sent to fake') })
})

it("a cancel whose short 429 comes back while another 429's longer hold runs is refused, not kept waiting out that longer hold", async () => {
  fakeTime()
  const holds = new RateHolds(() => Date.now())
  const local = await harness({ retryDelaysMs: RETRIES, holds })
  h = local
  const a = await local.manager.submit(local.intent({ venueId: 'fake', price: '90.00' }))
  const b = await local.manager.submit(local.intent({ venueId: 'fake', price: '89.00' }))
  // Both cancels are out at once; a's answer (a 60 s Retry-After) is read first, then b's (1 s).
  let bAnswered = false
  local.fake.script(
    'cancelOrder',
    async () => {
      await until(() => local.fake.callsOf('cancelOrder').length === 2)
      throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
    },
    async () => {
      await until(() => holds.requestHold('fake')().ms > 0)
      bAnswered = true
      throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, 1000)
    },
  )
  const first = local.manager.cancel(a.clientOrderId)
  first.catch(() => undefined)
  let answer: unknown = 'no answer yet'
  const second = local.manager.cancel(b.clientOrderId).then(
    (order) => (answer = order),
    (err: { code: string; message: string }) => (answer = { code: err.code, message: err.message }),
  )
  await expect(first).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('rate-limited for 60 s') })
  await until(() => bAnswered)

  // b's own wait (1 s) is over: the hold the other 429 put 59 s further off refuses it, as it would had b's come first.
  await vi.advanceTimersByTimeAsync(1000)
  expect(answer).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('so nothing is sent to fake for 59 more s') })
  await second
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
})

it("an order whose short 429 comes back while another order's longer hold runs is not sent again inside that hold", async () => {
  fakeTime()
  const local = await harness({ retryDelaysMs: RETRIES })
  h = local
  // Both orders are out at once; b's answer (a 60 s Retry-After) is read first, then a's (1 s).
  local.fake.script(
    'placeOrder',
    async () => {
      await until(() => local.manager.rateHoldMs('fake') > 0)
      throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 1000)
    },
    async () => {
      await until(() => local.fake.callsOf('placeOrder').length === 2)
      throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000)
    },
  )
  let answer: unknown = 'no answer yet'
  const a = local.manager.submit(local.intent({ venueId: 'fake', price: '91.00' })).then(
    (order) => (answer = order),
    (err: { code: string; message: string }) => (answer = { code: err.code, message: err.message }),
  )
  const b = local.manager.submit(local.intent({ venueId: 'fake', price: '92.00' }))
  await expect(b).rejects.toMatchObject({ message: expect.stringContaining('rate-limited for 60 s') })
  await until(() => local.manager.open().some((o) => o.error?.includes('trying again') ?? false))

  // a's own wait (1 s) is over, but the account's new orders are held 59 s more: a is not sent into that.
  await vi.advanceTimersByTimeAsync(1000)
  expect(local.fake.callsOf('placeOrder')).toHaveLength(2)
  expect(answer).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('not placed, and no new orders are sent to fake until then') })
  await a
})

import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { harness, type Behaviour, type Harness } from './orders-support'
import { armStopAt95, closeDesk, onlyView, openDesk, refuseNextSendRateLimited, settled, tickAt, type Desk } from './conditional-desk-support'

// A rate hold's end was wall-clock time: the computer's clock set forward (a time sync, a user) ended it at
// once and the next order went out inside the exchange's Retry-After window (Binance's 418 IP ban); set back,
// it held for the hour the clock went back. Within a run the hold now counts down on the monotonic clock
// (injected here as `holdClock`); across restarts the stored wall-clock end is all there is.

let h: Harness | undefined
let desk: Desk | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  if (desk) await closeDesk(desk)
  desk = undefined
})

const limited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, retryAfterMs)
}

it('a hold is not ended by the wall clock jumping forward, nor lengthened by it jumping back, within a run', async () => {
  let wall = 1_800_000_000_000
  let mono = 5_000
  h = await harness({ now: () => wall, holdClock: () => mono })
  h.fake.script('placeOrder', limited(60_000))
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' })

  wall += 3_600_000 // the clock is set an hour forward; 10 s really pass
  mono += 10_000
  expect(h.manager.rateHoldMs('fake')).toBe(50_000)
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ message: expect.stringContaining('for 50 more s') })
  expect(h.fake.callsOf('placeOrder')).toHaveLength(1)

  wall -= 2 * 3_600_000 // and back two hours; 10 s more pass
  mono += 10_000
  expect(h.manager.rateHoldMs('fake')).toBe(40_000)

  mono += 40_000
  expect(h.manager.rateHoldMs('fake')).toBe(0)
  expect(await h.manager.submit(h.intent({ venueId: 'fake' }))).toMatchObject({ status: 'open' })
})

/** A desk whose armed stop triggered at 94 and had its send refused with a 60 s hold; closed after the test. */
async function deskWithStopInHold(dirPrefix: string, holdClock: () => number): Promise<Desk> {
  const d = await openDesk({ dirPrefix, risk: { check: async () => {} }, holdClock })
  desk = d
  await armStopAt95(d)
  refuseNextSendRateLimited(d, 60_000)
  tickAt(d, '94')
  await settled()
  return d
}

it('a stop waiting for the hold is not sent when the wall clock jumps past its end; it is once the hold has really passed', async () => {
  let mono = 0
  const d = await deskWithStopInHold('co-hold-clock-', () => mono)
  expect(onlyView(d).reason).toMatch(/waiting for the exchange's rate limit/)
  d.clock.t += 3_600_000 // set an hour forward; 5 s really pass
  mono += 5_000
  d.timers.forEach((fn) => fn())
  tickAt(d, '93')
  await settled()
  expect(d.venue.orders).toEqual([])
  expect(onlyView(d)).toMatchObject({ status: 'triggered', reason: expect.stringMatching(/waiting for the exchange's rate limit/) })
  mono += 56_000
  d.clock.t += 56_000
  d.timers.forEach((fn) => fn())
  await settled()
  expect(d.venue.orders.map((o) => [o.side, o.amount])).toEqual([['sell', '0.5']])
})

it('a stop waiting for the hold is sent once the hold has really passed, also when the wall clock was set back meanwhile', async () => {
  let mono = 0
  const d = await deskWithStopInHold('co-hold-clock-back-', () => mono)
  expect(onlyView(d).reason).toMatch(/waiting for the exchange's rate limit/)
  d.clock.t -= 3_600_000 // the clock is set an hour back; the exchange's 60 s really pass
  mono += 61_000
  expect(d.orders.rateHoldMs('a')).toBe(0)
  d.timers.forEach((fn) => fn())
  await settled()
  expect(d.venue.orders.map((o) => [o.side, o.amount])).toEqual([['sell', '0.5']])
})

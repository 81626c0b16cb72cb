import { afterEach, describe, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { harness, type Behaviour, type Harness } from './orders-support'

// The hold a Retry-After starts (longer than the retries) outlives a restart: sending new orders inside
// the exchange's window again after a restart is what Binance escalates to a 418 IP ban.

let h: Harness
afterEach(async () => {
  await h?.close()
})

const limited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, retryAfterMs)
}

describe('a rate hold across a restart', () => {
  it('new orders to that account are still refused after a restart inside the Retry-After window, then sent once it ends', async () => {
    let clock = 1_800_000_000_000
    const now = (): number => clock
    h = await harness({ now })
    h.fake.script('placeOrder', limited(60_000))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)

    clock += 20_000
    h = await h.restart({ now })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('no new orders are sent to fake for 40 more s'),
    })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(0)
    expect(h.manager.rateHoldMs('fake')).toBe(40_000)
    // Another account is not held.
    expect(await h.manager.submit(h.intent({ venueId: 'sim' }))).toMatchObject({ status: 'open' })

    clock += 40_000
    h = await h.restart({ now })
    expect(h.manager.rateHoldMs('fake')).toBe(0)
    expect(await h.manager.submit(h.intent({ venueId: 'fake' }))).toMatchObject({ status: 'open' })
  })

  it("a cancel's own hold (everything to that account) outlives a restart too", async () => {
    let clock = 1_800_000_000_000
    const now = (): number => clock
    h = await harness({ now })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('cancelOrder', limited(30_000))
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)

    clock += 10_000
    h = await h.restart({ now })
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('for 20 more s') })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
  })
})

describe('a rate hold read at start after the machine clock was set back', () => {
  it('waits what the exchange asked for, not the hour the clock went back too, and keeps no longer after another restart', async () => {
    let clock = 1_800_000_000_000
    const now = (): number => clock
    h = await harness({ now })
    h.fake.script('placeOrder', limited(60_000))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' })

    // The wall clock is corrected an hour back while the app is closed: the stored end is now 1 h 60 s away.
    clock -= 3_600_000
    h = await h.restart({ now })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('for 60 more s'),
    })
    expect(h.manager.rateHoldMs('fake')).toBe(60_000)

    clock += 30_000
    h = await h.restart({ now })
    expect(h.manager.rateHoldMs('fake')).toBe(30_000)
    clock += 30_000
    h = await h.restart({ now })
    expect(h.manager.rateHoldMs('fake')).toBe(0)
    expect(await h.manager.submit(h.intent({ venueId: 'fake' }))).toMatchObject({ status: 'open' })
  })
})

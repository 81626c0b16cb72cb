import { afterEach, describe, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { parseRetryAfter } from '../../src-main/venues/ccxt/retry-after'
import { harness, ME_FAKE, type Behaviour, type Harness } from './orders-support'

// A rate-limited answer that says how long to wait (Retry-After) is waited out when the retries can cover
// it; longer, the order stops at once and the account's orders and cancels are held until then.

let h: Harness
afterEach(async () => {
  await h?.close()
})

const limited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'Fake is rate-limiting this app; wait a moment and try again', undefined, retryAfterMs)
}

describe('Retry-After on a rate-limited order', () => {
  it('within the retries: the retry waits as long as the venue asked, not the shorter backoff step', async () => {
    h = await harness({ retryDelaysMs: [5, 100, 100] })
    const sentAt: number[] = []
    h.fake.beforePlace = () => sentAt.push(Date.now())
    h.fake.script('placeOrder', limited(80))
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    expect(order).toMatchObject({ status: 'open', attempts: 2 })
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(78)
  })

  it('beyond the retries: stopped at once, not placed; orders and cancels held until then, then sent again', async () => {
    h = await harness({ retryDelaysMs: [5, 5, 5, 5] })
    const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('placeOrder', limited(300))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('fake rate-limited for 1 s') })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(2) // the resting one, and the limited one once
    expect(h.manager.list({ scope: 'history', limit: 1 })[0]).toMatchObject({ status: 'rejected', error: expect.stringContaining('not placed, and no orders or cancels are sent to fake until then') })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no orders or cancels are sent to fake for 1 more s') })
    await expect(h.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(2)
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 320))
    expect(await h.manager.cancel(resting.clientOrderId)).toMatchObject({ status: 'canceled' })
    expect(await h.manager.submit(h.intent({ venueId: 'fake' }))).toMatchObject({ status: 'open' })
  })

  it('a cancel rate-limited beyond the retries: stopped at once, the order still open and said to be', async () => {
    h = await harness({ retryDelaysMs: [5, 5] })
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    h.fake.script('cancelOrder', limited(5000))
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('rate-limited for 5 s') })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', error: expect.stringContaining('The order is still open on fake') })
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates; anything else is no answer', () => {
    expect(parseRetryAfter('60')).toBe(60_000)
    expect(parseRetryAfter(' 1.5 ')).toBe(1500)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { parseRetryAfter } from '../../src-main/venues/ccxt/retry-after'
import { harness, ME_FAKE, type Behaviour, type Harness } from './orders-support'

// A rate-limited answer that says how long to wait (Retry-After) is waited out when the retries can cover
// it; longer, the order stops at once and the account's new orders (never its cancels) are held until then.

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

  it('beyond the retries: stopped at once, not placed; new orders held until then, then sent again', async () => {
    h = await harness({ retryDelaysMs: [5, 5, 5, 5] })
    h.fake.script('placeOrder', limited(300))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('fake rate-limited for 1 s') })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    expect(h.manager.list({ scope: 'history', limit: 1 })[0]).toMatchObject({ status: 'rejected', error: expect.stringContaining('not placed, and no new orders are sent to fake until then (cancels still are)') })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no new orders are sent to fake for 1 more s') })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 320))
    expect(await h.manager.submit(h.intent({ venueId: 'fake' }))).toMatchObject({ status: 'open' })
  })

  it('the hold keeps back new orders only: the kill switch still cancels every open order (Binance -1015 counts new orders)', async () => {
    h = await harness({ retryDelaysMs: [5, 5, 5] })
    const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('placeOrder', async () => {
      throw new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders; current limit is 50 orders per 10 SECOND."}', undefined, 60_000)
    })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('rate-limited for 60 s') })
    expect(await h.manager.cancelAll()).toEqual({ canceled: 1, partlyFilled: [], awaiting: [], ended: [], failed: [] })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
    expect(h.manager.get(resting.clientOrderId)?.status).toBe('canceled')
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(0)
  })

  it("an order's 429 for the request weight (Binance -1003) holds cancels too, and says which limit it hit", async () => {
    // (Per IP on Binance: the host's hold, every account on it — tests/integration/orders-binance-order-429-limits.test.ts.)
    h = await harness({ retryDelaysMs: [5, 5, 5] })
    const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('placeOrder', async () => {
      throw new VenueError('rate-limited', 'Fake is rate-limiting this app (-1003: Too much request weight used)', undefined, 60_000, 'request-weight')
    })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/not placed, and no orders or cancels are sent to fake until then\. This account used up its request weight at the exchange\.$/),
    })
    expect((await h.manager.cancelAll()).failed).toEqual([expect.objectContaining({ error: expect.stringContaining('so nothing is sent to fake for 60 more s') })])
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
    expect(h.manager.get(resting.clientOrderId)?.status).toBe('open')
  })

  it("an order's 418 without Retry-After (the wait read from Binance's reply) is held as long, and every refusal says how the wait was read", async () => {
    h = await harness({ retryDelaysMs: [5, 5, 5] })
    const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    const said = 'it answered HTTP 418, an IP ban, without saying until when: held for 2 minutes, the shortest ban Binance gives'
    h.fake.script('placeOrder', async () => {
      throw new VenueError('rate-limited', 'Fake is rate-limiting this app (418)', undefined, 120_000, 'request-weight', said)
    })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ message: expect.stringContaining(`fake rate-limited for 120 s (${said}), longer than the retries allow`) })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
      message: expect.stringContaining(`no orders or cancels are sent to fake for 120 more s (${said}); nothing was sent`),
    })
    expect((await h.manager.cancelAll()).failed).toEqual([expect.objectContaining({ error: expect.stringContaining(`(${said}), so nothing is sent to fake for 120 more s`) })])
    expect(h.fake.callsOf('placeOrder')).toHaveLength(2)
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
    expect(h.manager.get(resting.clientOrderId)?.status).toBe('open')
  })

  it('an amend during the hold changes nothing: its replacement would be a new order', async () => {
    h = await harness({ retryDelaysMs: [5, 5, 5] })
    const resting = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('placeOrder', limited(60_000))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await expect(h.manager.amend(resting.clientOrderId, { price: '91.00' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no new orders are sent to fake') })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(0)
    expect(h.manager.get(resting.clientOrderId)?.status).toBe('open')
  })

  it('a cancel that itself meets a short Retry-After is retried after it, and goes through', async () => {
    h = await harness({ retryDelaysMs: [5, 100, 100] })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '90.00' }))
    h.fake.script('cancelOrder', limited(80))
    const started = Date.now()
    expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(78)
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(2)
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

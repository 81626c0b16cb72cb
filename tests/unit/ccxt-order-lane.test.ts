import { describe, expect, it } from 'vitest'
import ccxt from 'ccxt'
import { installOrderLane, inOrderLane } from '../../src-main/venues/ccxt/order-lane'

// An order is not held up by reads that used up ccxt's rate-limit bucket: it has a bucket of its own
// (order-lane.ts). Checked on ccxt's real throttler by the order in which calls are let through.

type Throttled = { throttle(cost?: number): Promise<unknown> }

describe('order lane', () => {
  it('lets an order through while reads wait for tokens; reads still queue behind reads', async () => {
    const ex = new ccxt.okx({ enableRateLimit: true, rateLimit: 20 })
    installOrderLane(ex)
    const t = ex as unknown as Throttled
    const passed: string[] = []
    const first = t.throttle(1).then(() => passed.push('read 1'))
    // An expensive read (a balance, a trade-history page) empties the bucket: the next read waits for it.
    const heavy = t.throttle(5).then(() => passed.push('heavy read'))
    const read = t.throttle(1).then(() => passed.push('read 2'))
    const order = inOrderLane(() => t.throttle(1)).then(() => passed.push('order'))
    await Promise.all([first, heavy, read, order])
    expect(passed.indexOf('order')).toBeLessThan(passed.indexOf('heavy read'))
    expect(passed.slice(-2)).toEqual(['heavy read', 'read 2'])
    // Orders are metered too: a second order in the lane waits for the first one's tokens.
    const lane: string[] = []
    await Promise.all([
      inOrderLane(() => t.throttle(3)).then(() => lane.push('order a')),
      inOrderLane(() => t.throttle(1)).then(() => lane.push('order b')),
      t.throttle(1).then(() => lane.push('read')),
    ])
    expect(lane.indexOf('order a')).toBeLessThan(lane.indexOf('order b'))
    expect(lane.indexOf('read')).toBeLessThan(lane.indexOf('order b'))
  })
})

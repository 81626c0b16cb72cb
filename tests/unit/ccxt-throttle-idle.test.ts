import { afterEach, describe, expect, it, vi } from 'vitest'
import ccxt from 'ccxt'
import { installOrderLane, inOrderLane } from '../../src-main/venues/ccxt/order-lane'

// ccxt's leaky bucket only refills while requests are queued: after an idle minute a balance read (cost 2 on
// OKX, 220 ms) still waited out the debt the previous read left. Every copy sale reads the balance, so each
// waited ~220 ms for nothing. The bucket now earns its tokens while idle too (up to its capacity), as a leaky
// bucket does, and still spaces reads made back to back.

type Throttled = { throttle(cost?: number): Promise<unknown> }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Idle time and "at once" on faked time (timers, Date, performance.now), not a real sleep and a bound in ms that a
 * busy machine overruns: the bucket refills over the time the test moves, and a call that must wait for tokens never
 * passes while time stands still (ccxt's loop sleeps on the faked setTimeout).
 */
const fakeTime = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
afterEach(() => {
  vi.useRealTimers()
})

/** Whether the call passes the bucket with no time passing (every promise settled by then: setImmediate is real). */
async function passesAtOnce(call: () => Promise<unknown>): Promise<boolean> {
  let passed = false
  void call().then(() => (passed = true))
  await new Promise((resolve) => setImmediate(resolve))
  return passed
}

describe('rate-limit bucket', () => {
  it('lets a read through at once after the bucket had time to refill while idle', async () => {
    fakeTime()
    const ex = new ccxt.okx({ enableRateLimit: true }) // 110 ms per token
    installOrderLane(ex)
    const t = ex as unknown as Throttled
    await t.throttle(2) // the first balance read: the bucket owes 2 tokens now
    await vi.advanceTimersByTimeAsync(300) // idle: more than the 220 ms the debt takes to pay off
    expect(await passesAtOnce(() => t.throttle(2))).toBe(true)
    // the same in the order lane
    await inOrderLane(() => t.throttle(2))
    await vi.advanceTimersByTimeAsync(300)
    expect(await passesAtOnce(() => inOrderLane(() => t.throttle(2)))).toBe(true)
  })

  it('still spaces reads made back to back (no burst beyond the capacity)', async () => {
    const ex = new ccxt.okx({ enableRateLimit: true })
    installOrderLane(ex)
    const t = ex as unknown as Throttled
    await t.throttle(2)
    await sleep(300)
    const t0 = performance.now()
    await t.throttle(2) // at once: the idle time paid the debt
    await t.throttle(2) // waits for the tokens the previous one took
    await t.throttle(2)
    // after the first, two reads of 2 tokens at 110 ms per token, the bucket holding at most 1: ≥ 330 ms
    expect(performance.now() - t0).toBeGreaterThan(300)
  })
})

describe('rate-limit bucket and the wall clock', () => {
  // The idle refill counted Date.now() deltas: a clock stepped back 5 s (NTP step, VM resume, user) made the
  // delta negative and put the bucket 5 s into debt, so the next REST call or order waited ~5 s. It is timed
  // with the monotonic clock now, so a wall-clock step changes nothing.
  it('does not stall the next call when the wall clock steps back while idle', async () => {
    fakeTime()
    const ex = new ccxt.okx({ enableRateLimit: true })
    installOrderLane(ex)
    const t = ex as unknown as Throttled
    await t.throttle(1)
    await inOrderLane(() => t.throttle(1))
    await vi.advanceTimersByTimeAsync(250)
    vi.setSystemTime(Date.now() - 5000) // the wall clock steps back 5 s; the monotonic clock does not
    expect(await passesAtOnce(() => t.throttle(1))).toBe(true)
    expect(await passesAtOnce(() => inOrderLane(() => t.throttle(1)))).toBe(true)
  })
})

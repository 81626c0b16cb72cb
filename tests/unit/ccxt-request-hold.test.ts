import { describe, expect, it } from 'vitest'
import ccxt from 'ccxt'
import { RequestHeldError, failFastWhileHeld, installRequestHold } from '../../src-main/venues/ccxt/request-hold'

// Every REST request of an account passes ccxt's throttle just before it is sent; while the account is held
// for the exchange's Retry-After (a cancel's own 429), none passes: it waits for the end, or is refused at
// once where someone waits for the answer, and a venue closing meanwhile ends the wait without sending it.

type Throttled = { throttle(cost?: number): Promise<unknown> }

/** A hold the test moves: `endAt` on performance.now(); wall-clock end for messages. */
function testHold() {
  let endAt = 0
  let closing = false
  return {
    hold: () => {
      const ms = Math.max(0, endAt - performance.now())
      return { ms, until: Date.UTC(2026, 0, 2, 14, 3, 7), ...(closing ? { closing: true as const } : {}) }
    },
    holdFor: (ms: number) => (endAt = performance.now() + ms),
    quit: () => (closing = true),
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function held() {
  const ex = new ccxt.binance({ enableRateLimit: true })
  const h = testHold()
  const gate = installRequestHold(ex, h.hold, 'Binance')
  const t = ex as unknown as Throttled
  return { t, gate, ...h }
}

describe('requests of an account held for a rate limit', () => {
  it('wait for the hold to end, however far it is put off meanwhile, then go', async () => {
    const { t, holdFor } = held()
    holdFor(300)
    let passed = false
    const request = t.throttle(1).then(() => (passed = true))
    await sleep(200)
    expect(passed).toBe(false)
    holdFor(400) // a later 429 put the end further off
    await sleep(300)
    expect(passed).toBe(false)
    await request
    expect(passed).toBe(true)
  })

  it('are refused at once, unsent, where someone waits for the answer, saying whose limit and until when', async () => {
    const { t, holdFor } = held()
    holdFor(42_000)
    const refused = failFastWhileHeld(() => t.throttle(1))
    await expect(refused).rejects.toBeInstanceOf(RequestHeldError)
    await expect(refused).rejects.toMatchObject({
      kind: 'rate-limited',
      message: 'Binance is rate-limiting this account (it answered "Retry-After"): nothing is sent to Binance until 14:03:07 UTC (42 more s)',
    })
    // Not held: it goes as ever.
    holdFor(0)
    await expect(failFastWhileHeld(() => t.throttle(1))).resolves.toBeUndefined()
  })

  it('end unsent when the venue closes while they wait', async () => {
    const { t, gate, holdFor } = held()
    holdFor(60_000)
    const request = t.throttle(1)
    await sleep(50)
    gate.close()
    await expect(request).rejects.toThrow('Binance connection closed while a request waited for its rate limit; not sent')
  })

  it('give up unsent when the app quits while they wait, rather than keep it from quitting until the hold ends', async () => {
    const { t, holdFor, quit } = held()
    holdFor(600_000)
    const request = t.throttle(1)
    await sleep(50)
    quit()
    await expect(request).rejects.toThrow('the app is quitting: a request to Binance waiting for its rate limit was not sent')
  })
})

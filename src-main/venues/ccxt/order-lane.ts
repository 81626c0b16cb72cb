import { AsyncLocalStorage } from 'node:async_hooks'
import type { Exchange } from 'ccxt'

// Orders get a rate-limit lane of their own. ccxt meters every REST call of an exchange object through one
// leaky bucket, priced by endpoint: on OKX a balance read costs 2 tokens (220 ms), on Binance a trade-history
// page 20 (1 s), so an order sent just after one waited behind it — a copy or a stop placed a quarter of a
// second late, 4 % of the time in the copy bench. The exchanges themselves count orders apart from reads
// (OKX per endpoint, Binance's order count beside its request weight, Kraken's trading counter), so calls
// made inside inOrderLane() go through a second bucket of the same size; everything else keeps ccxt's. Same
// exchange object, so one market cache and one nonce sequence.
//
// Both buckets also refill while idle. ccxt's throttler only adds tokens while requests wait in its loop, so
// the debt one call left (a balance read: −2 tokens) was still owed minutes later: the next balance read, a
// copy sale's, always waited ~220 ms. A leaky bucket earns tokens with time, queue or not; capped at its
// capacity as in ccxt's own loop, so calls made back to back are spaced exactly as before. Idle time is read
// from the monotonic clock: a wall clock stepped back (NTP, VM resume, the user) made Date.now() deltas
// negative and put the bucket seconds into debt, stalling every call on the account for as long as the step.

const inLane = new AsyncLocalStorage<true>()

interface Bucket {
  tokens: number
  capacity: number
  refillRate: number
  algorithm?: string
}

interface Throttler {
  config: Bucket
  running: boolean
  throttle(cost?: number): Promise<unknown>
}

interface Throttling {
  throttler: Throttler & { constructor: new (bucket: unknown) => Throttler }
  tokenBucket: unknown
  throttle(cost?: number): Promise<unknown>
}

/** When each throttler last let a call through, by performance.now() (its tokens are up to date as of then). */
const lastPassed = new WeakMap<Throttler, number>()

function throttled(throttler: Throttler, cost: number | undefined): Promise<unknown> {
  const bucket = throttler.config
  const since = lastPassed.get(throttler)
  // Idle (no loop running): the tokens earned since the last call went through, which ccxt never adds.
  if (!throttler.running && since !== undefined && bucket.algorithm !== 'rollingWindow') {
    const idle = Math.max(0, performance.now() - since)
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + bucket.refillRate * idle)
  }
  return throttler.throttle(cost).then((value) => {
    lastPassed.set(throttler, performance.now())
    return value
  })
}

export function installOrderLane(ex: Exchange): void {
  const t = ex as unknown as Throttling
  const orders = new t.throttler.constructor(t.tokenBucket)
  // ccxt may make a new throttler later (initThrottler): reads always use the current one.
  t.throttle = (cost?: number) => throttled(inLane.getStore() ? orders : t.throttler, cost)
}

/** Runs `fn` with its REST calls metered in the order lane. */
export function inOrderLane<T>(fn: () => Promise<T>): Promise<T> {
  return inLane.run(true, fn)
}

/** Whether the caller runs in the order lane (an order or cancel being sent). */
export function inOrderLaneNow(): boolean {
  return inLane.getStore() === true
}

import { AsyncLocalStorage } from 'node:async_hooks'
import type { Exchange } from 'ccxt'

// Orders get a rate-limit lane of their own. ccxt meters every REST call of an exchange object through one
// leaky bucket, priced by endpoint: on OKX a balance read costs 2 tokens (220 ms), on Binance a trade-history
// page 20 (1 s), so an order sent just after one waited behind it — a copy or a stop placed a quarter of a
// second late, 4 % of the time in the copy bench. The exchanges themselves count orders apart from reads
// (OKX per endpoint, Binance's order count beside its request weight, Kraken's trading counter), so calls
// made inside inOrderLane() go through a second bucket of the same size; everything else keeps ccxt's. Same
// exchange object, so one market cache and one nonce sequence.

const inLane = new AsyncLocalStorage<true>()

interface Throttling {
  throttler: { throttle(cost?: number): Promise<unknown>; constructor: new (bucket: unknown) => { throttle(cost?: number): Promise<unknown> } }
  tokenBucket: unknown
  throttle(cost?: number): Promise<unknown>
}

export function installOrderLane(ex: Exchange): void {
  const t = ex as unknown as Throttling
  const orders = new t.throttler.constructor(t.tokenBucket)
  // ccxt may make a new throttler later (initThrottler): reads always use the current one.
  t.throttle = (cost?: number) => (inLane.getStore() ? orders.throttle(cost) : t.throttler.throttle(cost))
}

/** Runs `fn` with its REST calls metered in the order lane. */
export function inOrderLane<T>(fn: () => Promise<T>): Promise<T> {
  return inLane.run(true, fn)
}

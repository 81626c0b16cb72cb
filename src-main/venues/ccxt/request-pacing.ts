import { AsyncLocalStorage } from 'node:async_hooks'
import type { Exchange } from 'ccxt'
import type { RequestPacing } from '../port'
import { VenueError } from '../port'

// ccxt holds every REST request of one instance (one account) in its throttle queue, spaced by the exchange's
// rate limit (Kraken's public calls 1.2 s apart), before sending it. A caller that times the exchange's answer
// (the trades feed's page wait) must not count that queue: the requests a call makes run inside `paced`, and
// ccxt's throttle (which fetch2 awaits just before sending) tells that call's RequestPacing when each one starts
// waiting and when it leaves. A request whose caller gave up (its signal aborted) while it waited is not sent.
// The caller's callbacks run outside that context: what they start (the feed's page clock, and from it the
// trades it sends on to stops that place orders on this account) is not the request's, and must not be refused
// because the request was given up, nor report to its pacing.

const current = new AsyncLocalStorage<RequestPacing>()

type Throttled = { throttle(cost?: number): Promise<unknown> }

export function installRequestPacing(ex: Exchange): void {
  const t = ex as unknown as Throttled
  const throttle = t.throttle.bind(ex)
  t.throttle = async (cost?: number) => {
    const pacing = current.getStore()
    if (pacing === undefined) return throttle(cost)
    givenUp(pacing)
    if (pacing.onQueued) current.exit(pacing.onQueued)
    const value = await throttle(cost)
    givenUp(pacing)
    if (pacing.onSent) current.exit(pacing.onSent)
    return value
  }
}

/** Runs `fn`; the ccxt requests it makes report to `pacing` (none given: as without). */
export function paced<T>(pacing: RequestPacing | undefined, fn: () => Promise<T>): Promise<T> {
  if (pacing === undefined) return fn()
  return current.run(pacing, async () => {
    givenUp(pacing)
    return fn()
  })
}

function givenUp(pacing: RequestPacing): void {
  if (pacing.signal?.aborted) throw new VenueError('unknown', 'the request was given up before it was sent')
}

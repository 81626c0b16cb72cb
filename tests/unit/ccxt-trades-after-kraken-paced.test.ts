import { describe, expect, it } from 'vitest'
import { NS, T0, krakenVenue, type Made } from '../support/kraken-trades'
import type { RequestPacing } from '../../src-main/venues/port'

// ccxt sends one Kraken account's public requests through one throttle queue, spaced by Kraken's rate limit.
// The venue tells each caller when its request waits there and when it leaves (the trades feed times the
// exchange from then), and sends nothing more for a caller that gave up.

/** 1,500 trades 1.3 µs apart from T0 + 1,000.5 ms (over a page before the cursor), then 300 one ms apart. */
const made: Made[] = [
  ...Array.from({ length: 1500 }, (_, i) => ({ id: 80_001 + i, ns: BigInt(T0 + 1000) * NS + 500_000n + BigInt(i) * 1_300n })),
  ...Array.from({ length: 300 }, (_, i) => ({ id: 81_501 + i, ns: BigInt(T0 + 1003 + i) * NS })),
]
const cursorOf = (t: Made) => ({ id: String(t.id), timestamp: Number(t.ns / NS) })

/** A Kraken venue whose ccxt throttle spaces requests 50 ms apart (Kraken's own spacing, shortened). */
function pacedKraken(onFetch?: (q: URLSearchParams) => void) {
  const k = krakenVenue(made, onFetch)
  const ex = (k.venue as unknown as { ex: { throttler: { config: { refillRate: number } } } }).ex
  ex.throttler.config.refillRate = 1 / 50
  return k
}

describe("a Kraken venue's requests in ccxt's throttle queue", () => {
  it('tells each caller when its request leaves: the second waits for the first to be sent, then leaves', async () => {
    const events: string[] = []
    const { venue } = pacedKraken((q) => events.push(`sent since=${q.get('since')}`))
    const pacing = (name: string): RequestPacing => ({ onQueued: () => events.push(`${name} queued`), onSent: () => events.push(`${name} leaves`) })
    const a = made[1600]!
    const b = made[1700]!
    await Promise.all([venue.fetchTradesAfter('BTC/USD', cursorOf(a), 100, pacing('a')), venue.fetchTradesAfter('BTC/USD', cursorOf(b), 100, pacing('b'))])
    const sinceOf = (t: Made) => `sent since=${((BigInt(Number(t.ns / NS) - 1) * 1_000_000n).toString())}`
    // each leaves just before its own request goes out, b only after a's went
    const at = (e: string) => events.indexOf(e)
    expect(at('a queued')).toBeGreaterThanOrEqual(0)
    expect(at('b queued')).toBeGreaterThanOrEqual(0)
    expect(at(sinceOf(a))).toBe(at('a leaves') + 1)
    expect(at(sinceOf(b))).toBe(at('b leaves') + 1)
    expect(at('b leaves')).toBeGreaterThan(at(sinceOf(a)))
  })

  it('a caller that gave up after the first of several requests one page needs: no more are sent', async () => {
    const stop = new AbortController()
    const { venue, asked } = pacedKraken(() => stop.abort()) // given up as the first request leaves
    // from late in the busy millisecond: the page from the ms before holds only earlier trades, so it asks on
    await expect(venue.fetchTradesAfter('BTC/USD', cursorOf(made[1400]!), 1000, { signal: stop.signal })).rejects.toThrow()
    expect(asked).toHaveLength(1)
  })

  it('a caller that gave up before its request left the queue: it is not sent', async () => {
    const stop = new AbortController()
    const { venue, asked } = pacedKraken()
    const first = venue.fetchTradesAfter('BTC/USD', cursorOf(made[1600]!), 100)
    const second = venue.fetchTradesAfter('BTC/USD', cursorOf(made[1700]!), 100, { signal: stop.signal, onQueued: () => stop.abort() })
    await expect(second).rejects.toThrow()
    await first
    expect(asked).toHaveLength(1)
  })
})

/** How many trades a fetch answered, or its error's message. */
const outcome = (p: Promise<unknown[]>) => p.then((rows) => rows.length, (err: Error) => err.message)

describe("what a caller's pacing callbacks start", () => {
  // The trades feed starts its page clock in onSent; when it runs out, the feed gives up (aborts) and sends the
  // held trades on, to the tick source whose stops place orders on this same account. That work is not the
  // given-up request's: it must be sent.
  it("another caller's request started from a timer set in onSent, after the caller gave up: it is sent", async () => {
    const stop = new AbortController()
    const { venue, asked } = pacedKraken()
    let other: Promise<number | string> | undefined
    const gaveUp = new Promise<void>((resolve) => {
      const onSent = () => {
        setTimeout(() => {
          stop.abort()
          other = outcome(venue.fetchTrades('BTC/USD', 10))
          resolve()
        }, 0)
      }
      void venue.fetchTradesAfter('BTC/USD', cursorOf(made[1600]!), 100, { signal: stop.signal, onSent }).catch(() => undefined)
    })
    await gaveUp
    expect(await other).toBe(10)
    expect(asked).toHaveLength(2)
  })

  it("another caller's request started in onQueued or onSent itself: it is sent", async () => {
    const stop = new AbortController()
    const { venue } = pacedKraken()
    const others: Promise<number | string>[] = []
    const pacing: RequestPacing = {
      signal: stop.signal,
      onQueued: () => others.push(outcome(venue.fetchTrades('BTC/USD', 5))),
      onSent: () => {
        stop.abort()
        others.push(outcome(venue.fetchTrades('BTC/USD', 5)))
      },
    }
    // (given up as it leaves: that request goes, the caller ignores its answer)
    await venue.fetchTradesAfter('BTC/USD', cursorOf(made[1600]!), 100, pacing)
    expect(others).toHaveLength(2)
    expect(await Promise.all(others)).toEqual([5, 5])
  })
})

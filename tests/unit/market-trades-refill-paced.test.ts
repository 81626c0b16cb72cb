import { describe, expect, it } from 'vitest'
import { pacedMarkets } from './market-trades-refill-support'

// One Kraken account's markets share one ccxt instance, whose throttle sends their public requests 1.2 s apart.
// On a reconnect with several markets open, each market's refill pages wait in that queue behind the others':
// the page wait must time the exchange (from when a request left), not the queue.

const MARKETS = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD']
const WAIT_MS = 3000

/** Kraken's exchange answering each request 200 ms after it left; `slowAfterDrop`: from the drop on, 3.5 s. */
function kraken(slowAfterDrop = false) {
  const exchange = { spacingMs: 1200, answerMs: 200, pageSize: 100 }
  const s = pacedMarkets(MARKETS, exchange, { historyWaitMs: WAIT_MS })
  return { ...s, slowNow: () => (exchange.answerMs = slowAfterDrop ? WAIT_MS + 500 : exchange.answerMs) }
}

/**
 * The markets open at once (their recent trades asked together), trade live, drop, miss `missed` trades each,
 * and come back. Returns how many requests were sent before the drop.
 */
async function reconnectAll(s: ReturnType<typeof kraken>, missed: number) {
  s.trade(3, false)
  await s.pass(100)
  s.subscribed()
  await s.pass(20_000)
  s.trade(3, true)
  await s.pass(100)
  s.slowNow()
  s.drop()
  const before = s.sent.length
  s.trade(missed, false)
  s.subscribed()
  s.trade(2, true)
  await s.pass(60_000)
  return before
}

describe('refills of several markets waiting in one rate-limit queue', () => {
  it('an exchange that answers each request promptly once sent: no "took too long", every missed trade read', async () => {
    const s = kraken()
    await reconnectAll(s, 250)
    expect(s.warnings.filter((w) => /too long/.test(w))).toEqual([])
    for (const m of MARKETS) expect(s.notes.get(m)).toEqual([])
    // each market's three pages (250 missed, 100 a page) were sent, queued 1.2 s apart behind the others'
    for (const m of MARKETS) expect(s.sent.filter((r) => r.symbol === m && r.after !== undefined).length).toBeGreaterThanOrEqual(3)
  })

  it('an exchange slower than the wait once the request left: the tape says so, and asks that market nothing more', async () => {
    const s = kraken(true)
    const before = await reconnectAll(s, 250)
    for (const m of MARKETS) expect(s.notes.get(m)!.some((n) => /took too long/.test(n))).toBe(true)
    // one page each, then given up: no further pages
    for (const m of MARKETS) expect(s.sent.slice(before).filter((r) => r.symbol === m)).toHaveLength(1)
  })
})

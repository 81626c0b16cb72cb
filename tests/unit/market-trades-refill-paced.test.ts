import { describe, expect, it } from 'vitest'
import { pacedMarkets } from './market-trades-refill-support'

// One Kraken account's markets share one ccxt instance, whose throttle sends their public requests 1.2 s apart.
// On a reconnect with several markets open, each market's refill pages wait in that queue behind the others':
// the page wait must time the exchange (from when a request left), not the queue.

const MARKETS = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD']
const WAIT_MS = 3000

/**
 * Kraken's exchange answering each request 200 ms after it left; from the drop on, `afterDropMs` (default the
 * same). `requestsPerPage`: each refill page takes that many requests.
 */
function kraken(afterDropMs = 200, requestsPerPage = 1) {
  const exchange = { spacingMs: 1200, answerMs: 200, pageSize: 100, requestsPerPage }
  const s = pacedMarkets(MARKETS, exchange, { historyWaitMs: WAIT_MS })
  return { ...s, slowNow: () => (exchange.answerMs = afterDropMs) }
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
    const s = kraken(WAIT_MS + 500)
    const before = await reconnectAll(s, 250)
    for (const m of MARKETS) expect(s.notes.get(m)!.some((n) => /took too long/.test(n))).toBe(true)
    // one page each, then given up: no further pages
    for (const m of MARKETS) expect(s.sent.slice(before).filter((r) => r.symbol === m)).toHaveLength(1)
  })

  // Kraken asks on from a page's `last` while a busy millisecond holds over a page of trades before the cursor:
  // one page, several requests. The wait is for the page, as the tape's note says ("took too long to send
  // them"): the exchange's time for all of its requests adds up; the time they wait in the queue does not.
  it('a page that takes several requests, each prompt once sent but queued behind the other markets: not "too long"', async () => {
    const s = kraken(200, 3)
    await reconnectAll(s, 250)
    expect(s.warnings.filter((w) => /too long/.test(w))).toEqual([])
    for (const m of MARKETS) expect(s.notes.get(m)).toEqual([])
  })

  it('a page whose requests together take the exchange longer than the wait: the tape says so, though each request alone is under it', async () => {
    const s = kraken(1800, 2) // 3.6 s of the exchange's time for the page, 1.8 s a request
    const before = await reconnectAll(s, 250)
    for (const m of MARKETS) expect(s.notes.get(m)!.some((n) => /took too long/.test(n))).toBe(true)
    // given up within its first page (two requests): none of the further pages (three in all) is asked
    for (const m of MARKETS) expect(s.sent.slice(before).filter((r) => r.symbol === m).length).toBeLessThanOrEqual(2)
  })
})

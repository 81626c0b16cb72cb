import ccxt from 'ccxt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { ConnectionState } from '../../src-main/venues/port'
import { accountStatus } from '../../src-main/venues/private-streams'

// An exchange account's private watch loops (its orders and fills) when the exchange rejects the API key:
// one refusal stops them and says so on the venue's status, instead of asking again every 10 s for ever;
// the account's other private requests are not sent either. A network failure keeps the usual backoff.

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

const REJECTED = /^The exchange rejected the API key: .+ — update the key in Accounts$/

type Fake = Record<string, unknown>

/** A Binance venue whose ccxt object answers the private watches and the balance request from `fail`. */
function venueFailingWith(fail: () => Error) {
  const venue = new CcxtVenue({
    accountId: 'acc-1',
    exchange: 'binance',
    sandbox: false,
    apiBaseUrl: null,
    credentials: { apiKey: 'a'.repeat(64), secret: 'b'.repeat(64) },
  })
  const ex = (venue as unknown as { ex: Fake }).ex
  const calls = { watchOrders: 0, watchMyTrades: 0, fetchBalance: 0, watchTicker: 0 }
  let failing = true
  ex.watchOrders = async () => {
    calls.watchOrders++
    if (failing) throw fail()
    return new Promise(() => {}) // connected: nothing new
  }
  ex.watchMyTrades = async () => {
    calls.watchMyTrades++
    if (failing) throw fail()
    return new Promise(() => {})
  }
  ex.fetchBalance = async () => {
    calls.fetchBalance++
    throw fail()
  }
  // A public stream carries on meanwhile (the key plays no part in it): a tick every second.
  ex.watchTicker = async () => {
    calls.watchTicker++
    await new Promise((resolve) => setTimeout(resolve, 1000))
    return { symbol: 'BTC/USDT', last: 100, timestamp: Date.now() }
  }
  const states: [ConnectionState, string | undefined][] = []
  venue.onConnection((state, reason) => states.push([state, reason]))
  return { venue, calls, states, recover: () => (failing = false) }
}

const revoked = () => new ccxt.AuthenticationError('binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')

describe('an exchange rejecting the API key', () => {
  it('stops the private watch loops after one refusal, says so on the venue, and sends no other private request', async () => {
    const { venue, calls, states } = venueFailingWith(revoked)
    const errors: string[] = []
    venue.watchMyOrders(() => undefined, (e) => errors.push(e.message))
    venue.watchMyFills(() => undefined, (e) => errors.push(e.message))
    venue.watchTicker('BTC/USDT', () => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(10 * 60_000)

    // Ten minutes: one try each, not one every 10 s.
    expect(calls.watchOrders).toBe(1)
    expect(calls.watchMyTrades).toBe(1)
    expect(errors.length).toBeLessThanOrEqual(2)
    expect(errors[0]).toContain('-2015: Invalid API-key, IP, or permissions for action.')
    // The status says what happened and what to do, and the public ticks do not paper over it.
    expect(calls.watchTicker).toBeGreaterThan(500)
    expect(venue.connection()).toBe('degraded')
    const [state, reason] = states.at(-1)!
    expect(state).toBe('degraded')
    expect(reason).toMatch(REJECTED)
    expect(reason).toContain('Binance rejected the API key (-2015: Invalid API-key, IP, or permissions for action.)')
    // The account's status says that alone: its streams ended, not "down since …, retrying".
    expect(accountStatus(venue.connection(), reason ?? null, venue.privateStreams())).toEqual({ connection: 'degraded', reason })

    // Other private requests (a reconcile, a copy poll, the balances) are refused here with the same words.
    await expect(venue.fetchBalances()).rejects.toThrow(REJECTED)
    expect(calls.fetchBalance).toBe(0)
    // A watch started later (the order manager following again) does not ask either.
    const later: string[] = []
    venue.watchMyOrders(() => undefined, (e) => later.push(e.message))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls.watchOrders).toBe(1)
    expect(later).toEqual([reason])
    await venue.close()
  })

  it('treats PermissionDenied on the user-data stream (a key no longer allowed) the same way', async () => {
    const { venue, calls, states } = venueFailingWith(() => new ccxt.PermissionDenied('binance API key not allowed for this action'))
    venue.watchMyOrders(() => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    expect(calls.watchOrders).toBe(1)
    expect(states.at(-1)?.[1]).toMatch(REJECTED)
    await venue.close()
  })

  it('keeps retrying a network failure with the usual backoff', async () => {
    const { venue, calls, recover } = venueFailingWith(() => new ccxt.NetworkError('binance socket closed'))
    venue.watchMyOrders(() => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(60_000)
    // At once, then after 250 ms, 1 s, 3 s and every 10 s: 9 tries in the first minute.
    expect(calls.watchOrders).toBe(9)
    // The account's order stream is down with the network error (its status says so), the key not refused.
    expect(venue.privateStreams()).toMatchObject({ state: 'down', error: expect.stringContaining('socket closed') })
    expect(venue.privateStreams()).not.toMatchObject({ error: expect.stringMatching(REJECTED) })
    recover()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls.watchOrders).toBe(10)
    await venue.close()
  })
})

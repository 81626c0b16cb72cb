import { describe, expect, it } from 'vitest'
import ccxt, { type Exchange } from 'ccxt'
import { RequestHeldError, failFastWhileHeld, installRequestHold } from '../../src-main/venues/ccxt/request-hold'
import { installRetryAfter } from '../../src-main/venues/ccxt/retry-after'
import { ipHoldKey, type HostOf } from '../../src-main/venues/ip-rate-limits'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { RateHoldStore } from '../../src-main/trading/orders/rate-hold-store'
import { openStore } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'
import { exchangeSpecs, type ExchangeId } from '../../src-main/accounts/exchanges'

// Binance counts request weight per IP, not per key, and bans the IP (418) of a client that keeps sending after
// a 429: a Retry-After answering any request from this machine — an account's, or a keyless one (market data,
// paper accounts on its public data) — holds every connection to that Binance host. Exchanges counting per
// key/UID (Kraken here) keep holding only the account that was answered.

type Throttled = { throttle(cost?: number): Promise<unknown> }

const accounts: Record<string, HostOf> = {
  'binance-a': { exchange: 'binance', sandbox: false, apiBaseUrl: null },
  'binance-b': { exchange: 'binance', sandbox: false, apiBaseUrl: 'https://api.binance.com/' },
  'binance-test': { exchange: 'binance', sandbox: true, apiBaseUrl: null },
  'kraken-a': { exchange: 'kraken', sandbox: false, apiBaseUrl: null },
  'kraken-b': { exchange: 'kraken', sandbox: false, apiBaseUrl: null },
}

/** Holds as the app keeps them (core.ts): on the app's clock, stored in `dir`'s database, shared per IP host. */
function world(dir = tempDir('co-iphold-'), start = Date.UTC(2026, 0, 2, 14, 0, 0)) {
  let t = start
  const store = openStore(dir, migrationsDir)
  const holds = new RateHolds(() => t, new RateHoldStore(store.db), () => t, (id) => (accounts[id] ? ipHoldKey(accounts[id]) : undefined))
  const connect = (ex: Exchange, holdKey: string | undefined) => {
    installRetryAfter(ex)
    const name = exchangeSpecs[ex.id as ExchangeId].name
    if (holdKey) installRequestHold(ex, holds.requestHold(holdKey), name, (ms, said) => holds.hold(holdKey, ms, 'all', said))
    return ex
  }
  return {
    dir,
    store,
    holds,
    advance: (ms: number) => (t += ms),
    /** An account's connection: held by its own hold (and its host's, where limits are per IP). */
    account: (id: string) => connect(new ccxt[accounts[id]!.exchange]({ enableRateLimit: true }), id),
    /** A keyless connection (no account): held by its host's hold only, and only where limits are per IP. */
    keyless: (exchange: ExchangeId) => connect(new ccxt[exchange]({ enableRateLimit: true }), ipHoldKey({ exchange, sandbox: false, apiBaseUrl: null })),
  }
}

/** The exchange answers the connection's next request with 429 and Retry-After (as ccxt hands it to its handlers). */
function answer429(ex: Exchange, retryAfterS: number): void {
  const headers = { 'Retry-After': String(retryAfterS) }
  const h = ex as unknown as { handleErrors(...a: unknown[]): unknown; handleHttpStatusCode(...a: unknown[]): unknown; last_response_headers: unknown }
  expect(() => {
    h.handleErrors(429, 'Too Many Requests', 'https://example.invalid/x', 'GET', headers, '', undefined, {}, undefined)
    h.last_response_headers = headers
    h.handleHttpStatusCode(429, 'Too Many Requests', 'https://example.invalid/x', 'GET', '')
  }).toThrow()
}

/** What a read refused inside a Binance host's hold says: the limit is this computer's IP address's, not the account's. */
const IP_HELD = (until: string) =>
  `Binance is rate-limiting this computer's IP address (it answered "Retry-After": the request weight it allows an IP is used up): nothing is sent to Binance from any account on this computer, nor its market data, until ${until}`

const refusal = (ex: Exchange) => failFastWhileHeld(() => (ex as unknown as Throttled).throttle(1))
const goes = (ex: Exchange) => expect(refusal(ex)).resolves.toBeUndefined()

describe('a Binance rate limit holds every connection of this machine to that Binance host', () => {
  it("a 429 on a keyless request (market data, a paper account) holds its accounts: reads wait, balances are refused saying this computer's IP address is limited", async () => {
    const w = world()
    const publicData = w.keyless('binance')
    const a = w.account('binance-a')
    const b = w.account('binance-b')
    answer429(publicData, 30)

    await expect(refusal(a)).rejects.toBeInstanceOf(RequestHeldError)
    await expect(refusal(b)).rejects.toMatchObject({
      kind: 'rate-limited',
      message: IP_HELD('14:00:30 UTC (30 more s)'),
    })
    await expect(refusal(publicData)).rejects.toMatchObject({ message: IP_HELD('14:00:30 UTC (30 more s)') })
    // Another host (Binance's testnet) and another exchange are not held.
    await goes(w.account('binance-test'))
    await goes(w.account('kraken-a'))

    let read = false
    const reading = (a as unknown as Throttled).throttle(1).then(() => (read = true))
    await new Promise((r) => setTimeout(r, 50))
    expect(read).toBe(false)
    w.advance(30_000)
    await reading
    await goes(b)
    await goes(publicData)
    w.store.close()
  })

  it("an account's 429 holds the keyless connection and the host's other accounts", async () => {
    const w = world()
    const publicData = w.keyless('binance')
    const a = w.account('binance-a')
    const b = w.account('binance-b')
    answer429(a, 12)
    await expect(refusal(publicData)).rejects.toMatchObject({ message: expect.stringContaining('(12 more s)') })
    // b never got a 429: its balance read does not say b was limited, but that this computer's IP address is.
    await expect(refusal(b)).rejects.toMatchObject({ message: IP_HELD('14:00:12 UTC (12 more s)') })
    w.advance(12_000)
    await goes(publicData)
    await goes(b)
    w.store.close()
  })

  it("a cancel's own 429 (the order manager's hold of everything to the account) holds the host too; an order-count hold does not", async () => {
    const w = world()
    const publicData = w.keyless('binance')
    w.holds.hold('binance-a', 10_000, 'new-orders')
    expect(w.holds.remainingMs('binance-b', 'new-orders')).toBe(0)
    await goes(publicData)
    const end = w.holds.hold('binance-a', 20_000, 'all')
    expect(w.holds.remainingMs('binance-b', 'all')).toBe(20_000)
    await expect(refusal(publicData)).rejects.toBeInstanceOf(RequestHeldError)
    // A later 429 on the keyless connection puts the account's end further off.
    answer429(publicData, 40)
    expect(w.holds.endsAfter('binance-a', 'all', end)).toBe(true)
    expect(w.holds.remainingMs('binance-a', 'new-orders')).toBe(40_000)
    w.store.close()
  })

  it('survives a restart inside the window, as account holds do', async () => {
    const first = world()
    answer429(first.keyless('binance'), 60)
    first.store.close()
    const again = world(first.dir, Date.UTC(2026, 0, 2, 14, 0, 20))
    await expect(refusal(again.account('binance-a'))).rejects.toMatchObject({ message: expect.stringContaining('until 14:01:00 UTC (40 more s)') })
    await expect(refusal(again.keyless('binance'))).rejects.toBeInstanceOf(RequestHeldError)
    again.advance(40_000)
    await goes(again.account('binance-a'))
    again.store.close()
  })

  it("a ban read from Binance's reply (no Retry-After) still says so after a restart inside it", async () => {
    const start = Date.UTC(2026, 0, 2, 14, 0, 0)
    const first = world(undefined, start)
    const banned = JSON.stringify({ code: -1003, msg: `Way too much request weight used; IP banned until ${start + 300_000}. Please use WebSocket Streams for live updates to avoid bans.` })
    const headers = { date: new Date(start).toUTCString() }
    const h = first.keyless('binance') as unknown as { handleErrors(...a: unknown[]): unknown }
    expect(() => h.handleErrors(418, "I'm a teapot", 'https://api.binance.com/api/v3/klines', 'GET', headers, banned, JSON.parse(banned), {}, undefined)).toThrow()
    const why = 'it answered that it banned this IP address until 14:05:00 UTC, for too much request weight (no "Retry-After")'
    await expect(refusal(first.account('binance-a'))).rejects.toMatchObject({ message: expect.stringContaining(`(${why}): nothing is sent to Binance`) })
    first.store.close()

    const again = world(first.dir, start + 60_000)
    await expect(refusal(again.account('binance-b'))).rejects.toMatchObject({
      message: `Binance is rate-limiting this computer's IP address (${why}): nothing is sent to Binance from any account on this computer, nor its market data, until 14:05:00 UTC (240 more s)`,
    })
    again.advance(240_000)
    await goes(again.account('binance-a'))
    again.store.close()
  })
})

describe('an exchange counting limits per key keeps per-account holds', () => {
  it("Kraken: one account's 429 holds that account only; keyless requests are never held", async () => {
    const w = world()
    expect(ipHoldKey({ exchange: 'kraken', sandbox: false, apiBaseUrl: null })).toBeUndefined()
    const a = w.account('kraken-a')
    answer429(a, 30)
    await expect(refusal(a)).rejects.toMatchObject({
      message: 'Kraken is rate-limiting this account (it answered "Retry-After"): nothing is sent to Kraken until 14:00:30 UTC (30 more s)',
    })
    await goes(w.account('kraken-b'))
    await goes(w.keyless('kraken'))
    await goes(w.account('binance-a'))
    w.store.close()
  })
})

import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueBalances } from '../../src-main/api/contract'

// Binance counts request weight per IP, not per key, and bans the IP (418) of a client that keeps sending
// after a 429. The app as built (core.ts): a Retry-After answering any request of this machine to that host —
// an account's read, or a keyless request of a paper account on Binance's public data — holds every
// connection to it, the account and the keyless one alike. The app runs on its own clock, moved past the hold.

const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core
let skew: number

beforeEach(async () => {
  fx = await createBinanceFixture()
  skew = 0
  core = tempCore({ now: () => Date.now() + skew })
})
afterEach(async () => {
  await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)

const addAccount = () =>
  call<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys.trader.apiKey, secret: fx.keys.trader.secret } })
const openPaper = () =>
  call<{ id: string }>('paper.open', { source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: fx.server.restUrl }, balances: [{ asset: 'USDT', amount: '1000' }] })
const HELD = /Binance is rate-limiting this computer's IP address \(it answered "Retry-After": the request weight it allows an IP is used up\): nothing is sent to Binance from any account on this computer, nor its market data, until \d\d:\d\d:\d\d UTC \([1-5] more s\)/

it("while a Binance account's read is held, a paper account on Binance's public data sends nothing either: opening one is refused with the hold's end", { timeout: 30_000 }, async () => {
  const account = await addAccount()
  fx.server.faults.respondWith(429, 1, { path: '/api/v3/account', headers: { 'Retry-After': '5' } })
  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toMatch(/429|rate/i)
  fx.server.faults.clearLog()

  await expect(openPaper()).rejects.toThrow(HELD)
  expect(fx.server.faults.requests).toEqual([])

  skew += 5_000
  await expect(openPaper()).resolves.toMatchObject({ id: 'paper:1' })
  expect(fx.server.faults.requests.filter((r) => r.apiKey === undefined).map((r) => r.path)).toContain('/api/v3/exchangeInfo')
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
})

it("a 429 to a paper account's keyless request holds the Binance account: its balances show as last read with the hold's note, and nothing is sent", { timeout: 30_000 }, async () => {
  const account = await addAccount()
  const before = await call<VenueBalances>('balances.venue', { venueId: account.id })
  expect(before.error).toBeNull()
  const paper = await openPaper()
  const venue = await core.venues.open(paper.id)
  fx.server.faults.respondWith(429, 1, { path: '/api/v3/klines', headers: { 'Retry-After': '5' } })
  fx.server.faults.clearLog()
  // A chart's candles: answered 429; the read then waits for the hold's end (not awaited here).
  void venue.fetchCandles('BTC/USDT', '1m').catch(() => undefined)
  await vi.waitFor(() => expect(fx.server.faults.requests.map((r) => [r.path, r.status, r.apiKey])).toEqual([['/api/v3/klines', 429, undefined]]), { timeout: 5_000 })
  fx.server.faults.clearLog()

  const held = await call<VenueBalances>('balances.venue', { venueId: account.id })
  expect(held.balances).toEqual(before.balances)
  expect(held.error).toMatch(HELD)
  expect(fx.server.faults.requests).toEqual([])

  skew += 5_000
  await vi.waitFor(async () => expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toBeNull(), { timeout: 10_000, interval: 500 })
  expect(fx.server.faults.requests.map((r) => r.path)).toContain('/api/v3/account')
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
})

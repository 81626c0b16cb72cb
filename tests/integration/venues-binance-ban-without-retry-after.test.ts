import { afterEach, beforeEach, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { TOO_MUCH_WEIGHT, ipBanned } from '../support/binance/faults'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueBalances } from '../../src-main/api/contract'

// Binance's 418 (IP banned) and 429 (-1003, request weight) carry "Retry-After"; should one come without it (a
// proxy dropping the header), the wait is read from the reply itself, and every connection of this machine to
// that host is held as for a Retry-After: sending on earns a longer ban (2 minutes up to 3 days). The app runs
// on its own clock, moved past the hold.

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
const utc = (ms: number) => new Date(ms).toISOString().slice(11, 19)
const held = (why: string, more: string) =>
  new RegExp(
    `Binance is rate-limiting this computer's IP address \\(${why}\\): nothing is sent to Binance from any account on this computer, nor its market data, until \\d\\d:\\d\\d:\\d\\d UTC \\(${more} more s\\)`,
  )
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A balance read answered with `status` and `body`, without "Retry-After" (`headers` only): shown refused, and not sent again. */
async function refusedWithoutRetryAfter(status: number, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const account = await addAccount()
  fx.server.faults.respondWith(status, 1, { path: '/api/v3/account', body, headers })
  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toMatch(/rate/i)
  // Not read again into the ban.
  expect(fx.server.faults.requests.filter((r) => r.path === '/api/v3/account').map((r) => r.status)).toEqual([status])
  fx.server.faults.clearLog()
}

/** Opening a paper account on Binance's public data goes (the hold is over), without meeting another refusal. */
async function sendsAgain(): Promise<void> {
  await expect(openPaper()).resolves.toMatchObject({ id: 'paper:1' })
  expect(fx.server.faults.requests.map((r) => r.path)).toContain('/api/v3/exchangeInfo')
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
}

it("a 418 'IP banned until …' without Retry-After holds this computer's every request to Binance until then, and says so", { timeout: 30_000 }, async () => {
  const until = Date.now() + 5_000
  await refusedWithoutRetryAfter(418, ipBanned(until))

  await expect(openPaper()).rejects.toThrow(
    held(esc(`it answered that it banned this IP address until ${utc(until)} UTC, for too much request weight (no "Retry-After")`), '[4-7]'),
  )
  expect(fx.server.faults.requests).toEqual([])

  skew += 7_000
  await sendsAgain()
})

it("a paper account's market data answered 418 'IP banned until …' without Retry-After: every account's reads say how the wait was read", { timeout: 30_000 }, async () => {
  const account = await addAccount()
  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toBeNull()
  const until = Date.now() + 5_000
  const why = esc(`it answered that it banned this IP address until ${utc(until)} UTC, for too much request weight (no "Retry-After")`)
  fx.server.faults.respondWith(418, 1, { path: '/api/v3/exchangeInfo', body: ipBanned(until), headers: {} })
  fx.server.faults.clearLog()

  await expect(openPaper()).rejects.toThrow()
  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toMatch(held(why, '[4-7]'))
  await expect(openPaper()).rejects.toThrow(held(why, '[4-7]'))
  expect(fx.server.faults.requests.map((r) => [r.path, r.status])).toEqual([['/api/v3/exchangeInfo', 418]])
  fx.server.faults.clearLog()

  skew += 7_000
  await sendsAgain()
})

it("a 429 'request weight per 1 MINUTE' without Retry-After holds until that minute ends on Binance's clock (its Date), not this computer's", { timeout: 30_000 }, async () => {
  // Binance's clock 15 s into a minute, whatever this computer's says: 45 s are left of that minute there.
  const binanceNow = Math.floor(Date.now() / 60_000) * 60_000 + 15_000
  await refusedWithoutRetryAfter(429, TOO_MUCH_WEIGHT, { Date: new Date(binanceNow).toUTCString() })

  await expect(openPaper()).rejects.toThrow(
    held(esc('it answered that the request weight it allows an IP, 6000 per 1 MINUTE, is used up (no "Retry-After"): held until that minute ends on its clock'), '4[3-5]'),
  )
  expect(fx.server.faults.requests).toEqual([])

  skew += 46_000
  await sendsAgain()
})

it('a bare 418 (no Retry-After, no time in it) holds for 2 minutes, the shortest ban Binance gives', { timeout: 30_000 }, async () => {
  await refusedWithoutRetryAfter(418, "<html><body>418 I'm a teapot</body></html>")

  const why = esc('it answered HTTP 418, an IP ban, without saying until when: held for 2 minutes, the shortest ban Binance gives')
  await expect(openPaper()).rejects.toThrow(held(why, '(119|120)'))
  skew += 110_000
  await expect(openPaper()).rejects.toThrow(held(why, '(9|10)'))
  expect(fx.server.faults.requests).toEqual([])

  skew += 11_000
  await sendsAgain()
})

it("an order answered 418 'IP banned until …' without Retry-After is not sent again into the ban: refused, not placed, everything held until then", { timeout: 30_000 }, async () => {
  const account = await addAccount()
  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toBeNull()
  const until = Date.now() + 5_000
  const why = `it answered that it banned this IP address until ${utc(until)} UTC, for too much request weight (no "Retry-After")`
  fx.server.faults.respondWith(418, 1, { path: '/api/v3/order', body: ipBanned(until), headers: {} })
  fx.server.faults.clearLog()
  const intent = {
    venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price: '90000.00', origin: { kind: 'manual', ref: null },
  } as const
  await expect(core.orders.submit(intent)).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringContaining(`(${why}), longer than the retries allow`),
  })
  // (The risk checks read the account and its market before it.) Sent once: its retries did not go out into the ban.
  expect(fx.server.faults.requests.filter((r) => r.path === '/api/v3/order').map((r) => [r.method, r.status])).toEqual([['POST', 418]])
  fx.server.faults.clearLog()

  expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toMatch(held(esc(why), '[4-7]'))
  await expect(core.orders.submit(intent)).rejects.toMatchObject({ message: expect.stringContaining(`more s (${why}); nothing was sent`) })
  expect(fx.server.faults.requests).toEqual([])

  skew += 7_000
  expect(await core.orders.submit(intent)).toMatchObject({ status: 'open' })
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
})

import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueBalances } from '../../src-main/api/contract'

// The Balances page and the order ticket's "available" read an account's balances while a cancel's own 429
// holds every request to it (Binance bans the IP, 418, of a client that keeps sending inside the window):
// the app as built (core.ts) shows the balances last read, saying whose rate limit and until when, and sends
// nothing; once the hold ends it reads them again.

const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core
let stopped: boolean

beforeEach(async () => {
  fx = await createBinanceFixture()
  core = tempCore()
  stopped = false
})
afterEach(async () => {
  if (!stopped) await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)

it("a balance refresh inside a cancel's 429 hold shows the last balances with a note and sends nothing; after the hold it reads again", { timeout: 30_000 }, async () => {
  const { apiKey, secret } = fx.keys.trader
  const account = await call<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  const order = await core.orders.submit({
    venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price: '90000.00', origin: { kind: 'manual', ref: null },
  })
  const before = await call<VenueBalances>('balances.venue', { venueId: account.id })
  expect(before).toMatchObject({ error: null, balances: expect.arrayContaining([expect.objectContaining({ asset: 'USDT', used: '900' })]) })
  // Longer than the app's retries (250 ms … 2 s): the cancel stops and holds everything to the account for 5 s.
  fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '5' } })
  await expect(core.orders.cancel(order.clientOrderId)).rejects.toMatchObject({ message: expect.stringContaining('no orders or cancels are sent to it until then') })
  fx.server.faults.clearLog()

  const held = await call<VenueBalances>('balances.venue', { venueId: account.id })
  expect(held.balances).toEqual(before.balances)
  expect(held.updatedAt).toBe(before.updatedAt) // "updated … ago": when they were read
  expect(held.error).toMatch(/^Binance is rate-limiting this computer's IP address \(it answered "Retry-After": the request weight it allows an IP is used up\): nothing is sent to Binance from any account on this computer, nor its market data, until \d\d:\d\d:\d\d UTC \([1-5] more s\)\. Showing the balances as last read\.$/)
  expect(fx.server.faults.requests).toEqual([])

  await vi.waitFor(async () => expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toBeNull(), { timeout: 10_000, interval: 500 })
  expect(fx.server.faults.requests.map((r) => r.path)).toContain('/api/v3/account')
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
})

it("quitting inside a long hold does not wait for it: a reconcile waiting for the hold's end ends unsent", { timeout: 30_000 }, async () => {
  const { apiKey, secret } = fx.keys.trader
  const account = await call<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  const order = await core.orders.submit({
    venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price: '90000.00', origin: { kind: 'manual', ref: null },
  })
  // A ten-minute hold (Binance asks for that much, and more once it bans the IP).
  fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '600' } })
  await expect(core.orders.cancel(order.clientOrderId)).rejects.toMatchObject({ message: expect.stringContaining('no orders or cancels are sent to it until then') })
  fx.server.faults.clearLog()
  const reconciling = core.orders.reconcile(account.id).then(
    () => 'reconciled',
    (err: unknown) => err,
  )
  await new Promise((resolve) => setTimeout(resolve, 300)) // it waits in the account's request gate
  // The trader quits: the app closes now, not in ten minutes (the test's timeout is 30 s).
  await core.stop()
  stopped = true
  expect(await reconciling).toMatchObject({ code: 'UNAVAILABLE' })
  expect(fx.server.faults.requests).toEqual([])
})

it('balances shown as last read inside a hold are read again and pushed to the screen once it ends, unasked', { timeout: 30_000 }, async () => {
  // (A fill may come on the open stream meanwhile: the page must not keep showing the balances from before it.)
  const { apiKey, secret } = fx.keys.trader
  const account = await call<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  const order = await core.orders.submit({
    venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price: '90000.00', origin: { kind: 'manual', ref: null },
  })
  await call<VenueBalances>('balances.venue', { venueId: account.id })
  fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '5' } })
  await expect(core.orders.cancel(order.clientOrderId)).rejects.toMatchObject({ message: expect.stringContaining('no orders or cancels are sent to it until then') })
  const pushed: VenueBalances[] = []
  const off = core.bus.on('balancesChanged', (e) => {
    if (e.balances.venueId === account.id) pushed.push(e.balances)
  })
  try {
    expect((await call<VenueBalances>('balances.venue', { venueId: account.id })).error).toContain('Showing the balances as last read.')
    await vi.waitFor(() => expect(pushed.some((b) => b.error === null)).toBe(true), { timeout: 15_000, interval: 200 })
  } finally {
    off()
  }
})

import { afterEach, beforeEach, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture, type KeyName } from '../support/binance/fixture'
import { TOO_MANY_ORDERS, TOO_MUCH_WEIGHT } from '../support/binance/faults'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueBalances } from '../../src-main/api/contract'
import type { OrderIntent } from '../../src-main/trading/model'

// An order's own 429 from Binance says which limit it hit. -1003 (request weight) is counted per IP: every request
// of this computer to that host is over it, whichever account sends it, keyless market data included — so the hold
// is the host's, as for a 429 to any other request. -1015 (too many new orders) is counted per account: that
// account's new orders wait, the others' do not. The app as built (core.ts), on its own clock moved past the hold.

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

const addAccount = (key: KeyName, label: string) =>
  call<AccountView>('accounts.add', { exchange: 'binance', label, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys[key].apiKey, secret: fx.keys[key].secret } })
const openPaper = () =>
  call<{ id: string }>('paper.open', { source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: fx.server.restUrl }, balances: [{ asset: 'USDT', amount: '1000' }] })
const order = (venueId: string, price: string): OrderIntent => ({
  venueId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price, origin: { kind: 'manual', ref: null },
})
const balances = (venueId: string) => call<VenueBalances>('balances.venue', { venueId })
const ordersSentBy = (key: KeyName) => fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order' && r.apiKey === fx.keys[key].apiKey)

/** Two trading accounts on the same Binance host, both read once (their connections open, identities known). */
async function twoAccounts() {
  const first = await addAccount('trader', 'Binance main')
  const second = await addAccount('secondTrader', 'Binance second')
  for (const a of [first, second]) expect((await balances(a.id)).error).toBeNull()
  return { first, second }
}

it("an order's 429 with -1003 (request weight, per IP) holds every account on that host and its market data until the hold ends, saying so", { timeout: 30_000 }, async () => {
  const { first, second } = await twoAccounts()
  // Longer than the app's retries (250 ms … 2 s): the order stops at once and the hold runs 5 s.
  fx.server.faults.respondWith(429, 1, {
    path: '/api/v3/order',
    body: TOO_MUCH_WEIGHT,
    headers: { 'Retry-After': '5' },
  })
  await expect(core.orders.submit(order(first.id, '90000.00'))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(/not placed, and no orders or cancels are sent to Binance main until then\. This computer's IP address used up its request weight at the exchange \(a limit per IP\)/),
  })
  fx.server.faults.clearLog()

  // The other account: its new order is refused unsent, saying whose limit; its balances are not read either.
  await expect(core.orders.submit(order(second.id, '90000.00'))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(/^Binance second is rate-limiting this computer's IP address: no orders or cancels are sent from any account on its exchange for [1-5] more s .*request weight.*nothing was sent$/),
  })
  expect((await balances(second.id)).error).toMatch(/^Binance is rate-limiting this computer's IP address \(it answered "Retry-After": the request weight it allows an IP is used up\): nothing is sent to Binance from any account on this computer, nor its market data, until \d\d:\d\d:\d\d UTC \([1-5] more s\)/)
  // Binance's public data (a paper account on it, keyless): held too.
  await expect(openPaper()).rejects.toThrow(/this computer's IP address .*nothing is sent to Binance from any account on this computer, nor its market data, until/)
  expect(fx.server.faults.requests).toEqual([])

  skew += 5_000
  expect(await core.orders.submit(order(second.id, '90000.00'))).toMatchObject({ status: 'open' })
  expect((await balances(second.id)).error).toBeNull()
  await expect(openPaper()).resolves.toMatchObject({ id: 'paper:1' })
  expect(ordersSentBy('secondTrader')).toHaveLength(1)
  expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
})

it("an order's 429 with -1015 (too many new orders, per account) holds that account's new orders only: another account on the host still trades, saying whose limit", { timeout: 30_000 }, async () => {
  const { first, second } = await twoAccounts()
  fx.server.faults.respondWith(429, 1, {
    path: '/api/v3/order',
    body: TOO_MANY_ORDERS,
    headers: { 'Retry-After': '5' },
  })
  await expect(core.orders.submit(order(first.id, '90000.00'))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(/not placed, and no new orders are sent to Binance main until then \(cancels still are\)\. This account placed too many new orders \(the exchange's limit per account\)/),
  })
  fx.server.faults.clearLog()

  // The account itself: its next order is refused unsent, naming its order limit; its reads still go out.
  await expect(core.orders.submit(order(first.id, '89000.00'))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message: expect.stringMatching(/no new orders are sent to Binance main for [1-5] more s .*new-order limit.*nothing was sent$/),
  })
  expect(ordersSentBy('trader')).toEqual([])
  expect((await balances(first.id)).error).toBeNull()
  // The other account on the same host is not held: its order goes out and rests; market data are read.
  expect(await core.orders.submit(order(second.id, '90000.00'))).toMatchObject({ status: 'open' })
  expect(ordersSentBy('secondTrader')).toHaveLength(1)
  expect((await balances(second.id)).error).toBeNull()
  await expect(openPaper()).resolves.toMatchObject({ id: 'paper:1' })
})

import { describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { TOO_MANY_ORDERS } from '../support/binance/faults'
import { tempDir } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import { intentAt, type OrdersEngine } from './orders-engine'
import { ordersTestHooks } from './orders-test-hooks'

// A cancel's own 429 (request weight, -1003) holds everything sent to that account for the Retry-After:
// Binance bans the IP (418) of a client that keeps sending inside the window. Not only orders and cancels —
// balance reads, market loads and look-ups of that account must not reach Binance until the hold ends.

let fx: BinanceFixture
const engines = ordersTestHooks(async () => (fx = await createBinanceFixture()))
const intent = intentAt('90000.00')

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// The clock the account's holds count down on (the app's monotonic clock), moved by the test: a hold runs
// until the test ends it, however long the steps inside it take on a loaded machine.
let holdClock = 0
/** Moves the holds' clock past the 4 s Retry-After: every hold ends (a held request looks again within 1 s). */
const endHolds = () => (holdClock += 4_001)

/**
 * An engine on the local Binance server with the trader's account and one resting limit buy on it. Short retries by
 * default: a Retry-After of 4 s is longer than all of them, so a 429 stops the request and holds the account. Its
 * holds count down on the test's clock (endHolds), or on the app's own with `clock: 'real'` (the short holds below,
 * which the manager's own retry timers wait out).
 */
async function restingOrder(dirPrefix: string, retryDelaysMs: number[] = [50, 50], clock: 'test' | 'real' = 'test') {
  holdClock = 0
  const e = engines.open({ dataDir: tempDir(dirPrefix), manager: { retryDelaysMs, ...(clock === 'test' ? { holdClock: () => holdClock } : {}) } })
  const { apiKey, secret } = fx.keys.trader
  const account = await e.accounts.add({ exchange: 'binance', label: 'Binance test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  await e.manager.start()
  const resting = await e.manager.submit(intent(account.id))
  // A first connect learns the key's exchange account in the background (accounts/service.ts): that read, sent
  // before the test's 429, could otherwise reach the server inside the hold on a loaded machine.
  await waitFor(() => fx.server.faults.requests.some((r) => r.path === '/api/v3/account' && r.status === 200), "the account's identity look-up", 10_000)
  return { e, account, resting, venue: await e.venue(account.id) }
}

describe("Binance: requests to an account inside a cancel's 429 hold", () => {
  it('send nothing until the hold ends: reads someone waits for are refused at once saying until when, a look-up waits and goes out after', async () => {
    const { e, account, resting, venue } = await restingOrder('co-orders-all-hold-')
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '4' } })
    await expect(e.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no orders or cancels are sent to it until then') })
    fx.server.faults.clearLog()

    // The order ticket's "available", the Balances page, the risk gate: refused at once, nothing sent.
    await expect(venue.fetchBalances()).rejects.toMatchObject({
      kind: 'rate-limited',
      message: expect.stringMatching(/^Binance is rate-limiting this account .*nothing is sent to Binance until \d\d:\d\d:\d\d UTC \([1-4] more s\)$/),
    })
    // Loading markets (a venue opened afresh: the search, a ticket) the same.
    const fresh = await e.accounts.openVenue(account.id)
    await expect(fresh.connect()).rejects.toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('nothing is sent to Binance until') })
    await expect(fresh.loadMarkets()).rejects.toMatchObject({ kind: 'rate-limited' })
    // Testing the account's key (Settings): says so at once rather than wait out the hold.
    expect(await e.accounts.test(account.id)).toMatchObject({ ok: false, kind: 'rate-limited', message: expect.stringContaining('nothing is sent to Binance until') })
    // A look-up of an order (a cancel's follow-up, a reconcile) waits for the end of the hold.
    let looked = false
    const look = venue.fetchOrder('BTC/USDT', { clientOrderId: resting.clientOrderId }).finally(() => (looked = true))
    await pause(500) // time to go out, were it not held
    expect(looked).toBe(false)
    expect(fx.server.faults.requests).toEqual([])

    // Once it ends the look-up goes out, and reads go out again.
    endHolds()
    expect(await look).toMatchObject({ clientOrderId: resting.clientOrderId, status: 'open' })
    expect(fx.server.faults.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/v3/order')
    expect(Array.isArray(await venue.fetchBalances())).toBe(true)
    await fresh.connect()
    expect((await fresh.loadMarkets()).some((m) => m.symbol === 'BTC/USDT')).toBe(true)
    expect(fx.server.faults.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/v3/account', '/api/v3/exchangeInfo']))
    expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
    await fresh.close()
  })
})

describe("Binance: a new order reaching the account inside a cancel's 429 hold", () => {
  it('is refused at once, unsent, rather than placed when the hold ends (at a price the trader no longer sees)', async () => {
    // (An order past the manager's hold check when the hold began: queued in the order lane, or a resend after a lost answer.)
    const { e, resting, venue } = await restingOrder('co-orders-all-hold-new-')
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '4' } })
    await expect(e.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    fx.server.faults.clearLog()

    const placing = venue.placeOrder({ clientOrderId: 'late-market-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.01', timeInForce: 'GTC', postOnly: false })
    // Refused with the hold's clock standing still: it did not wait for the hold to end.
    await expect(placing).rejects.toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('nothing is sent to Binance until') })
    endHolds()
    await pause(1500) // past the hold's end and a held request's 1 s look again: still nothing was placed
    expect(fx.server.faults.requests.filter((r) => r.method === 'POST')).toEqual([])
  }, 20_000)
})

describe('Binance: a 429 or 418 answering any request of an account', () => {
  for (const status of [429, 418] as const) {
    it(`(${status} to a balance read) holds every request of that account for its Retry-After: nothing more is sent until it ends`, async () => {
      // Binance counts request weight per IP, reads included, and bans (418) a client that keeps sending.
      const { e, account, resting, venue } = await restingOrder('co-orders-read-hold-')
      fx.server.faults.respondWith(status, 1, { path: '/api/v3/account', headers: { 'Retry-After': '4' } })
      await expect(venue.fetchBalances()).rejects.toMatchObject({ kind: 'rate-limited' })
      fx.server.faults.clearLog()

      // Asked again at once: refused unsent, saying until when.
      await expect(venue.fetchBalances()).rejects.toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('nothing is sent to Binance until') })
      // New orders and cancels: refused before anything is sent.
      await expect(e.manager.submit(intent(account.id))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no orders or cancels are sent to') })
      await expect(e.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('so nothing is sent to') })
      // A look-up waits for the end of the hold, then goes out.
      let looked = false
      const look = venue.fetchOrder('BTC/USDT', { clientOrderId: resting.clientOrderId }).finally(() => (looked = true))
      await pause(500) // time to go out, were it not held
      expect(looked).toBe(false)
      expect(fx.server.faults.requests).toEqual([])
      endHolds()
      expect(await look).toMatchObject({ clientOrderId: resting.clientOrderId, status: 'open' })
      expect(Array.isArray(await venue.fetchBalances())).toBe(true)
      expect(fx.server.faults.requests.every((r) => r.status !== 429 && r.status !== 418)).toBe(true)
    })
  }
})

// The app's own retries (250 ms, 500 ms, 1 s, 2 s) cover a Retry-After of up to 3.75 s: the request itself waits it
// out and is sent again. The account is held all the same, as for a long one: Binance bans the IP of a client that
// keeps sending inside the window, whichever request it sends.
const DEFAULT_RETRIES = [250, 500, 1000, 2000]

/** Waits until the app has read the 429 `respondWith` injected and holds the account; the 429's time on the server. */
async function heldSince(e: OrdersEngine, accountId: string): Promise<number> {
  await waitFor(() => e.manager.rateHoldMs(accountId) > 0, "the account's hold", 5000)
  return fx.server.faults.requests.find((r) => r.status === 429)!.time
}

describe("Binance: a cancel's own 429 with a Retry-After its retries cover", () => {
  it('holds every request of the account until it ends, as a long one does; then the cancel is sent again and goes through', async () => {
    const { e, account, resting, venue } = await restingOrder('co-orders-short-hold-cancel-', DEFAULT_RETRIES, 'real')
    fx.server.faults.clearLog()
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '2' } })
    const canceling = e.manager.cancel(resting.clientOrderId)
    canceling.catch(() => undefined)
    const at = await heldSince(e, account.id)

    await expect(venue.fetchBalances()).rejects.toMatchObject({
      kind: 'rate-limited',
      message: expect.stringMatching(/^Binance is rate-limiting this account .*nothing is sent to Binance until \d\d:\d\d:\d\d UTC \([12] more s\)$/),
    })
    await expect(e.manager.submit(intent(account.id, { price: '89000.00' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no orders or cancels are sent to') })
    let looked = false
    const look = venue.fetchOrder('BTC/USDT', { clientOrderId: resting.clientOrderId }).finally(() => (looked = true))
    look.catch(() => undefined)
    await pause(300)
    expect(looked).toBe(false)

    expect(await canceling).toMatchObject({ status: 'canceled' })
    expect(await look).toMatchObject({ clientOrderId: resting.clientOrderId })
    // (A background read — the balances' refresh — may have reached the server just before the 429.)
    const after = fx.server.faults.requests.filter((r) => r.status !== 429 && r.time >= at)
    expect(after.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(expect.arrayContaining(['DELETE /api/v3/order 200', 'GET /api/v3/order 200']))
    // Nothing reached Binance inside the window it asked for; the new order never did.
    for (const r of after) expect(r.time).toBeGreaterThanOrEqual(at + 2000)
    expect(fx.server.faults.requests.filter((r) => r.method === 'POST')).toEqual([])
  }, 20_000)
})

describe("Binance: an order's own 429 with a Retry-After its retries cover", () => {
  it("(-1015, the account's order count) holds the account's new orders until it ends, as a long one does (cancels still go); then the order is sent again", async () => {
    const { e, account, resting } = await restingOrder('co-orders-short-hold-order-', DEFAULT_RETRIES, 'real')
    fx.server.faults.clearLog()
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', body: TOO_MANY_ORDERS, headers: { 'Retry-After': '2' } })
    const placing = e.manager.submit(intent(account.id, { price: '91000.00' }))
    placing.catch(() => undefined)
    const at = await heldSince(e, account.id)

    await expect(e.manager.submit(intent(account.id, { price: '92000.00' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/no new orders are sent to .* for [12] more s/) })
    expect(await e.manager.cancel(resting.clientOrderId)).toMatchObject({ status: 'canceled' })

    expect(await placing).toMatchObject({ status: 'open', attempts: 2 })
    const posts = fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')
    expect(posts.map((r) => r.status)).toEqual([429, 200])
    expect(posts[1]!.time).toBeGreaterThanOrEqual(at + 2000)
  }, 20_000)
})

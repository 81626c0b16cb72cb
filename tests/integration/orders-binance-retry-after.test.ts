import { describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { TOO_MANY_ORDERS } from '../support/binance/faults'
import { tempDir } from '../support/temp-core'
import { intentAt } from './orders-engine'
import { ordersTestHooks } from './orders-test-hooks'

// Binance answers 429 with "Retry-After: 60" and bans the IP (418) of a client that keeps sending. An
// order retried on the app's own short backoff regardless would earn that ban: a Retry-After longer than
// the retries have left stops the order at once, and the account's new orders are held until then (a cancel's own 429,
// or an order's for the request weight, holds cancels too).

let fx: BinanceFixture
const engines = ordersTestHooks(async () => (fx = await createBinanceFixture()))
const intent = intentAt('94000.00')

const orderRequests = () => fx.server.faults.requests.filter((r) => r.path === '/api/v3/order')

describe('Binance 429 with Retry-After', () => {
  it('a Retry-After beyond the retries stops the order at once; the account sends no new order until then (a cancel is still tried)', async () => {
    const e = engines.open({ dataDir: tempDir('co-orders-retry-after-') }) // default retries: 250, 500, 1000, 2000 ms
    const { apiKey, secret } = fx.keys.trader
    const account = await e.accounts.add({ exchange: 'binance', label: 'Binance test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
    await e.manager.start()
    const resting = await e.manager.submit(intent(account.id, { price: '90000.00' }))
    fx.server.faults.clearLog()
    // The account's order count (-1015): its new orders are held, not its cancels (-1003, the IP's request weight,
    // would hold those too: orders-binance-order-429-limits.test.ts).
    fx.server.faults.respondWith(429, 10, { path: '/api/v3/order', body: TOO_MANY_ORDERS }) // Retry-After: 60

    // Every write of an order is told on the bus: a retry would first be written as "…; trying again".
    const writes: { status: string; attempts: number; error: string | null }[] = []
    e.bus.on('orderChanged', ({ order }) => {
      if (order.clientOrderId !== resting.clientOrderId) writes.push({ status: order.status, attempts: order.attempts, error: order.error })
    })
    await expect(e.manager.submit(intent(account.id))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('rate-limited for 60 s') })
    expect(orderRequests()).toHaveLength(1) // not sent again into the 429
    // Stopped at once: no retry was planned (none waited for), the one attempt ended as not placed.
    expect(writes.filter((w) => w.error?.includes('trying again'))).toEqual([])
    expect(writes.at(-1)).toMatchObject({ status: 'rejected', attempts: 1, error: expect.stringContaining('not placed') })

    await expect(e.manager.submit(intent(account.id, { price: '93000.00' }))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/no new orders are sent to .* for (5\d|60) more s/) })
    expect(orderRequests()).toHaveLength(1)
    // An order's 429 does not hold cancels (they reduce risk); this one meets the 429 itself and stops the same way.
    await expect(e.manager.cancel(resting.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('rate-limited for 60 s') })
    expect(orderRequests()).toHaveLength(2)
    expect(e.manager.get(resting.clientOrderId)?.status).toBe('open')
  })
})

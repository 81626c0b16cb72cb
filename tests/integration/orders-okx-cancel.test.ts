import Decimal from 'decimal.js'
import { describe, expect, it, vi } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { tempDir } from '../support/temp-core'
import { intentAt, type openOrdersEngine, type OrdersEngine } from './orders-engine'
import { ordersTestHooks } from './orders-test-hooks'

// OKX answers a cancel with ids only ({ordId, clOrdId, sCode: "0"}), no status or amount. That answer
// is an accepted cancel: the app must say the order is canceled, and an amend must place its replacement.

let fx: OkxFixture
const engines = ordersTestHooks(async () => (fx = await createOkxFixture()))
const intent = intentAt('50000')

async function okxAccount(manager: Parameters<typeof openOrdersEngine>[0]['manager'] = {}): Promise<{ e: OrdersEngine; venueId: string }> {
  const e = engines.open({ dataDir: tempDir('co-orders-okx-cancel-'), manager: { resyncDelayMs: 60_000, ...manager } })
  const k = fx.keys.trader
  const account = await e.accounts.add({ exchange: 'okx', label: 'OKX test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
  await e.manager.start()
  return { e, venueId: account.id }
}

describe('OKX cancel and amend (ids-only cancel replies)', () => {
  it('a cancel OKX accepts resolves with the order canceled, as it is on OKX', async () => {
    const { e, venueId } = await okxAccount()
    const order = await e.manager.submit(intent(venueId))
    const canceled = await e.manager.cancel(order.clientOrderId)
    expect(canceled.status).toBe('canceled')
    expect(e.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceled', error: null })
    expect(fx.engine.getOrder('alice', 'BTC/USDT', { venueOrderId: order.venueOrderId! })?.status).toBe('canceled')
  })

  it('an amend cancels the order and places its replacement at the new price', async () => {
    const { e, venueId } = await okxAccount()
    const order = await e.manager.submit(intent(venueId))
    const replacement = await e.manager.amend(order.clientOrderId, { price: '51000' })
    expect(replacement.clientOrderId).not.toBe(order.clientOrderId)
    expect(replacement).toMatchObject({ status: 'open', price: '51000', amount: '0.01' })
    expect(e.manager.get(order.clientOrderId)?.status).toBe('canceled')
    const onOkx = fx.engine.openOrders('alice').map((o) => ({ price: new Decimal(o.price!).toFixed(), id: o.venueOrderId }))
    expect(onOkx).toEqual([{ price: '51000', id: replacement.venueOrderId }])
    expect(e.manager.open({ venueId }).map((o) => o.clientOrderId)).toEqual([replacement.clientOrderId])
  })
})

describe('OKX cancel-all of an order that partly filled', () => {
  it('names the order with what filled, as its row has it — OKX answers the cancel with ids only', async () => {
    const { e, venueId } = await okxAccount()
    // Inside the maker's spread (94990 / 95010), so bob's sale at 95000 meets this bid first.
    const order = await e.manager.submit(intent(venueId, { price: '95000' }))
    const untouched = await e.manager.submit(intent(venueId, { price: '50000' }))
    fx.engine.placeOrder({ accountId: 'bob', clientOrderId: 'bob-part', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.004', price: '95000', timeInForce: 'IOC', postOnly: false })
    const result = await e.manager.cancelAll({ venueId })
    const row = e.manager.get(order.clientOrderId)!
    expect(row.status).toBe('canceled')
    expect(new Decimal(row.filled).toFixed()).toBe('0.004')
    expect(result).toMatchObject({ canceled: 2, awaiting: [], ended: [], failed: [] })
    expect(result.partlyFilled).toEqual([{ clientOrderId: order.clientOrderId, venueId, symbol: 'BTC/USDT', filled: row.filled, amount: row.amount }])
    expect(e.manager.get(untouched.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0' })
  })
})

describe('OKX refusing a cancel as "already under cancelling status" (51410)', () => {
  it('leaves the order canceling, with no error, until OKX carries out the cancel it had', async () => {
    // Looks after an accepted cancel come quickly, so the reconcile after them finds the order still live.
    const { e, venueId } = await okxAccount({ cancelFollowMs: [50, 50] })
    const order = await e.manager.submit(intent(venueId))
    fx.server.faults.deferCancels(1)
    expect((await e.manager.cancel(order.clientOrderId)).status).toBe('canceling')
    // OKX has not carried it out: the app sees the order live after its looks and calls it open again.
    await vi.waitFor(() => expect(e.manager.get(order.clientOrderId)?.status).toBe('open'), { timeout: 5000 })
    // The trader cancels again; OKX refuses that cancel, since it is carrying out the first one.
    const again = await e.manager.cancel(order.clientOrderId)
    expect(again).toMatchObject({ status: 'canceling', error: null })
    expect(fx.server.faults.requests.filter((r) => r.path === '/api/v5/trade/cancel-order').map((r) => r.code)).toEqual(['0', '51410'])
    fx.server.faults.finishCancels()
    await vi.waitFor(() => expect(e.manager.get(order.clientOrderId)?.status).toBe('canceled'), { timeout: 5000 })
    expect(e.manager.get(order.clientOrderId)?.error).toBeNull()
  })
})

describe("OKX: an accepted cancel's follow-up inside a cancel's 429 hold", () => {
  it('looks at the order only once the hold ends: nothing reaches OKX meanwhile', async () => {
    // Short retries: a Retry-After of 3 s is longer than all of them, so a cancel meeting it holds the account.
    // The hold counts down on a clock the test moves (holdClock): it cannot end during the wait below however
    // long a busy machine makes it (the 1.2 s sleep overrunning the 3 s hold sent the look inside it).
    let held = 0
    const { e, venueId } = await okxAccount({ cancelFollowMs: [300, 300], retryDelaysMs: [50, 50], holdClock: () => held })
    const first = await e.manager.submit(intent(venueId))
    const second = await e.manager.submit(intent(venueId, { price: '49000' }))
    fx.server.faults.deferCancels(1)
    expect((await e.manager.cancel(first.clientOrderId)).status).toBe('canceling') // followed: first look after 300 ms
    fx.server.faults.respondWith(429, 1, { path: '/api/v5/trade/cancel-order', headers: { 'Retry-After': '3' } })
    await expect(e.manager.cancel(second.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('no orders or cancels are sent to it until then') })
    fx.server.faults.clearLog()

    await new Promise((resolve) => setTimeout(resolve, 1200)) // the look was due; the hold still runs
    expect(fx.server.faults.requests).toEqual([])
    expect(e.manager.get(first.clientOrderId)?.status).toBe('canceling')

    // The hold over, the look goes out (OKX still carries the cancel out), and the order ends canceled.
    held += 3000
    await vi.waitFor(() => expect(fx.server.faults.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/v5/trade/order'), { timeout: 5000 })
    fx.server.faults.finishCancels()
    await vi.waitFor(() => expect(e.manager.get(first.clientOrderId)?.status).toBe('canceled'), { timeout: 5000 })
    expect(fx.server.faults.requests.every((r) => r.status !== 429)).toBe(true)
  })
})

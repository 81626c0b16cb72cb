import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'

// OKX's REST fills (GET trade/fills) carry the order's clOrdId, but ccxt's okx parseTrade leaves it out. The
// venue then took every fill of ours for one of an order an algo (a native stop) may have placed, and looked
// each new order up (GET trade/order) at every reconciliation: one read per order in the account's read
// bucket, queued ahead of a copy sale's balance read. A fill with a clOrdId is ours and placed by no algo
// (the orders an algo places have none): it names its client id, and only fills without one are looked up.

let fx: OkxFixture
let v: CcxtVenue

beforeEach(async () => {
  fx = await createOkxFixture()
  const k = fx.keys.trader
  v = createCcxtVenue({ accountId: 'okx-fills', exchange: 'okx', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
  await v.connect()
})

afterEach(async () => {
  await v.close()
  await fx.close()
})

const orderLookups = () => fx.server.faults.requests.filter((r) => r.method === 'GET' && r.path === '/api/v5/trade/order').length

describe('OKX REST fills', () => {
  it('name the client id of our orders without looking each order up', async () => {
    const ids = ['cofills1', 'cofills2']
    for (const clientOrderId of ids) {
      await v.placeOrder({ clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.001', timeInForce: 'GTC', postOnly: false })
    }
    const before = orderLookups()
    const fills = await v.fetchMyFills('BTC/USDT')
    expect(fills.length).toBeGreaterThanOrEqual(2)
    expect(new Set(fills.map((f) => f.clientOrderId))).toEqual(new Set(ids))
    expect(orderLookups() - before).toBe(0)
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { newClientOrderId } from '../../src-main/trading/orders/client-ids'
import { IdSource } from '../../src-main/trading/conditional/ids'
import { copyClientOrderId } from '../../src-main/copy/ids'

// OKX's REST fills (GET trade/fills) carry the order's clOrdId, but ccxt's okx parseTrade leaves it out. The
// venue then took every fill of ours for one of an order an algo (a native stop) may have placed, and looked
// each new order up (GET trade/order) at every reconciliation: one read per order in the account's read
// bucket, queued ahead of a copy sale's balance read. A fill with one of the client ids this app generates
// (order manager, conditional engine, copy trading) is ours and placed by no algo: it names its client id,
// and only fills without one (or with one OKX made up: okx-algo-child-client-id.test.ts) are looked up.

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
    const ids = [newClientOrderId(Date.now()), new IdSource().clientOrderId(Date.now()), copyClientOrderId('f1', 'BTC/USDT', '1')]
    for (const clientOrderId of ids) {
      await v.placeOrder({ clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.001', timeInForce: 'GTC', postOnly: false })
    }
    const before = orderLookups()
    const fills = await v.fetchMyFills('BTC/USDT')
    expect(fills.length).toBeGreaterThanOrEqual(3)
    expect(new Set(fills.map((f) => f.clientOrderId))).toEqual(new Set(ids))
    expect(orderLookups() - before).toBe(0)
  })
})

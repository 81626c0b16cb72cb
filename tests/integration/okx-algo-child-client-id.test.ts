import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { newClientOrderId } from '../../src-main/trading/orders/client-ids'
import { waitFor } from '../support/wait-for'

// OKX's REST fills of the order a triggered stop (an algo) placed name that order only; the venue ties them
// to the stop by looking the order up. It skipped the look-up for every fill carrying a clOrdId, taking it
// for one of ours, but the order an algo places may carry a clOrdId OKX made up: those fills then named
// neither the stop's id nor its client id, and the stop's fill was missing from the ledger. Only our own ids
// skip the look-up now.

let fx: OkxFixture
let v: CcxtVenue

beforeEach(async () => {
  fx = await createOkxFixture()
  fx.engine.deposit('bob', 'BTC', '10')
  const k = fx.keys.trader
  v = createCcxtVenue({ accountId: 'okx-algo-child', exchange: 'okx', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
  await v.connect()
})

afterEach(async () => {
  await v.close()
  await fx.close()
})

const orderLookups = () => fx.server.faults.requests.filter((r) => r.method === 'GET' && r.path === '/api/v5/trade/order').length

describe('OKX: the fills of the order a triggered stop placed', () => {
  it('are the stop\'s even when OKX gave that order a client id of its own', async () => {
    fx.server.faults.algoChildClOrdId = true
    const clientOrderId = newClientOrderId(Date.now())
    const stop = await v.placeOrder({ clientOrderId, symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: '0.01', timeInForce: 'GTC', postOnly: false, trigger: { kind: 'stop-loss', price: '94900' } })
    // Another account sells down the maker's ladder: the last trade reaches 94900 and the stop triggers.
    fx.engine.placeOrder({ accountId: 'bob', clientOrderId: 'bobsells', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '5', price: '94900', timeInForce: 'IOC', postOnly: false })
    const childId = await waitFor(() => fx.server.algos.get(stop.venueOrderId)?.ordId || undefined, 'the stop to place its order')
    await waitFor(() => (fx.engine.fills('alice', { symbol: 'BTC/USDT' }).some((f) => f.venueOrderId === childId) ? true : undefined), 'its order to fill')

    const fills = await v.fetchMyFills('BTC/USDT')
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({ venueOrderId: stop.venueOrderId, clientOrderId, side: 'sell', amount: '0.01' })

    // Looked up once: the next pass knows the order.
    const before = orderLookups()
    expect(await v.fetchMyFills('BTC/USDT')).toMatchObject([{ venueOrderId: stop.venueOrderId, clientOrderId }])
    expect(orderLookups() - before).toBe(0)
  })
})

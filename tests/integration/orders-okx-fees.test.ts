import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { tempDir } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { OrderIntent } from '../../src-main/trading/model'
import { intentAt } from './orders-engine'
import { ordersTestHooks } from './orders-test-hooks'

// OKX signs a charged fee negative on its order stream (fillFee "-0.00001") and ccxt passes it through as
// is, while its REST trades come with the sign flipped (a charge positive). The order manager keeps the
// first report of a fill (normally the stream's), so the fee it records must be the charge, positive.

let fx: OkxFixture
let dataDir: string
const engines = ordersTestHooks(async () => {
  fx = await createOkxFixture()
  dataDir = tempDir('co-orders-okx-fee-')
  return fx
})
const intent = intentAt('90000')

describe('OKX fills pushed on the order stream', () => {
  it('are recorded with the fee charged, as a positive amount, like the exchange and its REST trades say', async () => {
    // REST reconciliation only well after the stream has delivered the fill.
    const e = engines.open({ dataDir, manager: { resyncDelayMs: 10_000 } })
    const k = fx.keys.trader
    const account = await e.accounts.add({ exchange: 'okx', label: 'OKX test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
    await e.manager.start()
    await e.manager.submit(intent(account.id, {})) // opens the account's streams
    await waitFor(() => fx.server.orderSubscriptions('alice') > 0, "the account's orders channel subscribed", 20_000)
    const order = await e.manager.submit(intent(account.id, { type: 'market', timeInForce: 'IOC', price: undefined } as Partial<OrderIntent>))
    const fills = await waitFor(() => {
      const recorded = e.manager.fills({ venueId: account.id, limit: 10 })
      return recorded.length > 0 && recorded
    }, "the order's fill recorded", 5000)
    const truth = fx.engine.fills('alice', { symbol: 'BTC/USDT' })
    expect(truth).toHaveLength(1)
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({ tradeId: truth[0]!.tradeId, clientOrderId: order.clientOrderId })
    expect(new Decimal(truth[0]!.fee.amount).gt(0)).toBe(true)
    expect(fills[0]!.fee).toEqual({ asset: 'BTC', amount: new Decimal(truth[0]!.fee.amount).toFixed() })
    // A fee paid in the coin bought leaves that much less to sell.
    expect(e.manager.baseFeePaid(order.clientOrderId)).toBe(new Decimal(truth[0]!.fee.amount).toFixed())
  })
})

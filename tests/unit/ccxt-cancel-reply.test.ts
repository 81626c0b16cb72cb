import { describe, expect, it } from 'vitest'
import { stubbedVenue, type Sent } from './ccxt-stub'

// OKX, Kraken and Bybit answer an accepted cancel with ids (or a count) only, no status or amount, as
// their API docs say. ccxt passes that on as an order with nothing in it. The venue must report it as
// the cancel it is, with the order as the exchange then holds it, never as an unreadable reply.

const replyOf = (routes: Record<string, unknown>) => (s: Sent) => {
  const r = routes[s.path]
  if (r === undefined) throw new Error(`unexpected ${s.method} ${s.path}`)
  return typeof r === 'function' ? (r as (s: Sent) => unknown)(s) : r
}

describe('cancel replies with ids only', () => {
  it('Kraken ({"result":{"count":1}}): canceled, with the order as Kraken holds it', async () => {
    const { venue, sent } = stubbedVenue('kraken', replyOf({
      '/0/private/CancelOrder': { error: [], result: { count: 1 } },
      '/0/private/QueryOrders': {
        error: [],
        result: { 'OQCLML-BW3P3-BUCMWZ': { status: 'canceled', descr: { pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', price: '50000' }, vol: '0.01', vol_exec: '0.002', cost: '100', fee: '0', price: '50000', opentm: 1700000000, closetm: 1700000001 } },
      },
    }))
    const report = await venue.cancelOrder('BTC/USDT', 'OQCLML-BW3P3-BUCMWZ')
    expect(report).toMatchObject({ venueOrderId: 'OQCLML-BW3P3-BUCMWZ', status: 'canceled', amount: '0.01', filled: '0.002', side: 'buy' })
    expect(sent.map((s) => s.path)).toEqual(['/0/private/CancelOrder', '/0/private/QueryOrders'])
  })

  it('Kraken: an order the exchange still lists as open right after the accepted cancel is reported as it is (open), not canceled', async () => {
    const { venue } = stubbedVenue('kraken', replyOf({
      '/0/private/CancelOrder': { error: [], result: { count: 1 } },
      '/0/private/QueryOrders': {
        error: [],
        result: { OX1: { status: 'open', descr: { pair: 'XXBTZUSD', type: 'sell', ordertype: 'limit', price: '60000' }, vol: '0.5', vol_exec: '0', cost: '0', fee: '0', opentm: 1700000000 } },
      },
    }))
    expect(await venue.cancelOrder('BTC/USDT', 'OX1')).toMatchObject({ venueOrderId: 'OX1', status: 'open', amount: '0.5', filled: '0', side: 'sell' })
  })

  it('Bybit: a cancel accepted but not processed yet reports the order still open with what it filled so far (it may fill more)', async () => {
    const { venue, ex } = stubbedVenue('bybit', replyOf({
      '/v5/order/cancel': { retCode: 0, retMsg: 'OK', result: { orderId: '77', orderLinkId: 'abc' }, retExtInfo: {}, time: 1 },
      '/v5/order/realtime': {
        retCode: 0, retMsg: 'OK', time: 1,
        result: { category: 'spot', list: [{ orderId: '77', orderLinkId: 'abc', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Limit', price: '110', qty: '1', cumExecQty: '0.2', cumExecValue: '22', orderStatus: 'PartiallyFilled', timeInForce: 'GTC', createdTime: '1700000000000', updatedTime: '1700000001000' }] },
      },
    }))
    ex.options.enableUnifiedMargin = false
    ex.options.enableUnifiedAccount = true
    expect(await venue.cancelOrder('BTC/USDT', '77')).toMatchObject({ venueOrderId: '77', status: 'open', amount: '1', filled: '0.2' })
  })

  it('Bybit ({"result":{"orderId","orderLinkId"}}): canceled, with the order as Bybit holds it', async () => {
    const { venue, ex } = stubbedVenue('bybit', replyOf({
      '/v5/order/cancel': { retCode: 0, retMsg: 'OK', result: { orderId: '1321003749386327552', orderLinkId: 'abc' }, retExtInfo: {}, time: 1 },
      '/v5/order/realtime': {
        retCode: 0, retMsg: 'OK', time: 1,
        result: { category: 'spot', list: [{ orderId: '1321003749386327552', orderLinkId: 'abc', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', price: '50000', qty: '0.01', cumExecQty: '0', cumExecValue: '0', orderStatus: 'Cancelled', timeInForce: 'GTC', createdTime: '1700000000000', updatedTime: '1700000001000' }] },
      },
    }))
    ex.options.enableUnifiedMargin = false
    ex.options.enableUnifiedAccount = true
    expect(await venue.cancelOrder('BTC/USDT', '1321003749386327552')).toMatchObject({ venueOrderId: '1321003749386327552', status: 'canceled', amount: '0.01', filled: '0' })
  })

  it('an accepted cancel whose order cannot then be read says the cancel was accepted', async () => {
    const { venue } = stubbedVenue('kraken', replyOf({
      '/0/private/CancelOrder': { error: [], result: { count: 1 } },
      '/0/private/QueryOrders': { error: [], result: {} },
    }))
    await expect(venue.cancelOrder('BTC/USDT', 'OX9')).rejects.toMatchObject({ kind: 'bad-reply', message: expect.stringContaining('accepted the cancel of order OX9') })
  })

  it('Binance answers a cancel with the whole order: read as it is, nothing more asked', async () => {
    const { venue, sent } = stubbedVenue('binance', replyOf({
      '/api/v3/order': { symbol: 'BTCUSDT', orderId: 11, clientOrderId: 'x1', price: '50000.00', origQty: '0.01000', executedQty: '0.00000', cummulativeQuoteQty: '0', status: 'CANCELED', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY', transactTime: 1700000000000 },
    }))
    expect(await venue.cancelOrder('BTC/USDT', '11')).toMatchObject({ venueOrderId: '11', status: 'canceled', amount: '0.01' })
    expect(sent).toHaveLength(1)
  })
})

import { describe, expect, it } from 'vitest'
import { InvalidOrder } from 'ccxt'
import type { OrderRequest } from '../../src-main/venues/port'
import type { CcxtAccountConfig } from '../../src-main/venues/ccxt/venue'
import { httpError, stubbedVenue, type Sent } from './ccxt-stub'

// Gate, Coinbase and Bitget (classic accounts) take a spot market buy as the quote to spend. ccxt refuses
// one without a price before sending anything; the venue then sends it as the cost of the amount asked for
// on the book now, rounded down to the quote's precision. A refusal ccxt makes itself reads as this app's
// limit, never as the exchange refusing.

const buy: OrderRequest = { clientOrderId: 'coabc123', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.01', timeInForce: 'GTC', postOnly: false }
// 0.004 at 60000 + 0.006 at 60010.017 = 240 + 360.060102 = 600.060102 → 600.06 at a 0.01 quote step
const asks = [
  [60000, 0.004],
  [60010.017, 0.5],
]

function venueOf(exchange: 'gate' | 'coinbase' | 'bitget', place: (s: Sent) => unknown, config: Partial<CcxtAccountConfig> = {}) {
  const stub = stubbedVenue(
    exchange,
    (s) => {
      if (s.path === '/api/v3/account/settings') return httpError(400, { code: '40084', msg: 'You are in Classic Account mode', requestTime: 1, data: null })
      return place(s)
    },
    {},
    config,
  )
  const books: unknown[] = []
  stub.ex.fetchOrderBook = async (symbol: string, limit?: number) => {
    // Through ccxt's throttle, as every request (where the account's rate hold is kept: request-hold.ts).
    await (stub.ex as unknown as { throttle(cost?: number): Promise<unknown> }).throttle(1)
    books.push([symbol, limit])
    return { symbol, bids: [[59990, 1]], asks, timestamp: Date.now(), nonce: undefined }
  }
  return { ...stub, books }
}

const placed = (s: Sent) => s.method === 'POST' && /order/.test(s.path)

describe('market buys sent as a quote amount', () => {
  it('Gate: the cost of 0.01 BTC on the book, as the order amount', async () => {
    const { venue, sent, books } = venueOf('gate', (s) => ({ id: '5001', text: s.fields.text, currency_pair: 'BTC_USDT', type: 'market', account: 'spot', side: 'buy', amount: s.fields.amount, price: '0', time_in_force: 'ioc', left: s.fields.amount, filled_total: '0', status: 'open', create_time_ms: '1700000000000' }))
    const order = await venue.placeOrder(buy)
    expect(sent.filter(placed).map((s) => [s.fields.type, s.fields.side, s.fields.amount])).toEqual([['market', 'buy', '600.06']])
    expect(books).toEqual([['BTC/USDT', 50]])
    expect(order).toMatchObject({ venueOrderId: '5001', clientOrderId: 'coabc123', side: 'buy', type: 'market', amount: '0.01' })
  })

  it('Coinbase: sent as quote_size', async () => {
    const { venue, sent } = venueOf('coinbase', (s) => ({ success: true, success_response: { order_id: 'cb-1', product_id: 'BTC-USDT', side: 'BUY', client_order_id: s.fields.client_order_id }, order_configuration: s.fields.order_configuration }))
    await venue.placeOrder(buy)
    expect(sent.filter(placed).map((s) => s.fields.order_configuration)).toEqual([{ market_market_ioc: { quote_size: '600.06' } }])
  })

  it('Bitget classic account: sent as the quote size', async () => {
    const { venue, sent } = venueOf('bitget', (s) => ({ code: '00000', msg: 'success', requestTime: 1, data: { orderId: '1001', clientOid: s.fields.clientOid } }))
    const order = await venue.placeOrder(buy)
    expect(sent.filter(placed).map((s) => [s.path, s.fields.orderType, s.fields.side, s.fields.size])).toEqual([['/api/v2/spot/trade/place-order', 'market', 'buy', '600.06']])
    expect(order).toMatchObject({ venueOrderId: '1001', amount: '0.01' })
  })

  it('a look-up of such an order before it filled: no base amount yet, read as what has filled (nothing)', async () => {
    const { venue } = venueOf('coinbase', () => ({
      order: {
        order_id: 'cb-1', product_id: 'BTC-USDT', side: 'BUY', client_order_id: 'coabc123', status: 'OPEN', order_type: 'MARKET', time_in_force: 'IMMEDIATE_OR_CANCEL',
        created_time: '2026-11-24T03:00:00Z', filled_size: '0', average_filled_price: '0', total_fees: '0',
        order_configuration: { market_market_ioc: { quote_size: '600.06' } },
      },
    }))
    await expect(venue.fetchOrder('BTC/USDT', { venueOrderId: 'cb-1' })).resolves.toMatchObject({ venueOrderId: 'cb-1', type: 'market', status: 'open', amount: '0', filled: '0' })
  })

  it("Gate: a filled quote-sized buy reads as the base Gate says it bought, not the quote over its rounded average", async () => {
    // ccxt derives the base of a Gate market buy as quote / avg_deal_price, an average Gate rounds to its tick
    // (600.06 / 60006.61 = 0.00999989…), below what the fills add up to (Gate's filled_amount): the order
    // manager then took the final report as older than the fills and the order stayed partially filled.
    const { venue } = venueOf('gate', () => ({
      id: '5003', text: 't-coabc123', currency_pair: 'BTC_USDT', type: 'market', account: 'spot', side: 'buy', amount: '600.06', price: '0', time_in_force: 'ioc',
      left: '0', filled_amount: '0.0099999', filled_total: '600.06', avg_deal_price: '60006.61', status: 'closed', finish_as: 'filled', create_time_ms: '1700000000000',
    }))
    await expect(venue.fetchOrder('BTC/USDT', { venueOrderId: '5003' })).resolves.toMatchObject({ venueOrderId: '5003', status: 'closed', filled: '0.0099999', cost: '600.06' })
  })

  it('a market sell still goes as its base amount, without reading the book', async () => {
    const { venue, sent, books } = venueOf('gate', (s) => ({ id: '5002', text: s.fields.text, currency_pair: 'BTC_USDT', type: 'market', account: 'spot', side: 'sell', amount: s.fields.amount, price: '0', left: s.fields.amount, filled_total: '0', status: 'open' }))
    await venue.placeOrder({ ...buy, side: 'sell' })
    expect(sent.filter(placed).map((s) => s.fields.amount)).toEqual(['0.01'])
    expect(books).toEqual([])
  })

  it('an empty ask side: refused before sending, as this app cannot price it', async () => {
    const { venue, sent, ex } = venueOf('gate', () => ({}))
    ex.fetchOrderBook = async (symbol: string) => ({ symbol, bids: [[59990, 1]], asks: [], timestamp: Date.now() })
    await expect(venue.placeOrder(buy)).rejects.toMatchObject({
      kind: 'invalid-order',
      message: 'This app cannot place a market buy on Gate: it takes a quote amount there, and the BTC/USDT book has no asks to price one with',
    })
    expect(sent.filter(placed)).toEqual([])
  })

  it("ccxt refusing an order itself reads as this app's limit, not the exchange's refusal", async () => {
    const { venue, ex } = venueOf('gate', () => ({}))
    ex.createOrder = async () => {
      throw new InvalidOrder('gate createOrder() does not support postOnly market orders')
    }
    await expect(venue.placeOrder({ ...buy, side: 'sell' })).rejects.toMatchObject({
      kind: 'invalid-order',
      message: 'This app cannot place a market sell on Gate (ccxt: gate createOrder() does not support postOnly market orders)',
    })
  })

  // The account held for a rate limit (a 429 with Retry-After to one of its reads or cancels) after the order
  // manager's check: the order is refused at once, unsent, as any new order then is — not sent as a quote amount
  // once the hold ends (the book read waiting for it), minutes after the trader sent it.
  it('inside a rate hold: refused at once, nothing sent, rather than sent when the hold ends', async () => {
    const hold = () => ({ ms: 60_000, until: Date.UTC(2026, 0, 2, 14, 3, 7) })
    const { venue, sent } = venueOf('gate', () => ({ id: '5001', status: 'open' }), { hold })
    const answer = venue.placeOrder(buy).then(
      () => 'placed',
      (err: unknown) => err,
    )
    const outcome = await Promise.race([answer, new Promise((r) => setTimeout(() => r('still waiting for the hold'), 1500))])
    expect(outcome).toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('nothing is sent to Gate') })
    expect(sent.filter(placed)).toEqual([])
    await venue.close()
  })
})

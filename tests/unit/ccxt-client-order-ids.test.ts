import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { exchangeIds, type ExchangeId } from '../../src-main/accounts/exchanges'
import { newClientOrderId } from '../../src-main/trading/orders/client-ids'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { OrderRequest } from '../../src-main/venues/port'
import { marketIds, sentOf, type Raw, type Sent } from './ccxt-stub'

// The app's order safety rests on its client order id reaching the exchange: a retry after a timeout
// looks the order up by it before sending again, and a restart finds an order it never saw acknowledged by
// it. For every supported exchange (ccxt's HTTP stubbed, nothing leaves the machine): the order request
// carries the id in the field that exchange reads, in a form it accepts, and an order is found again by it,
// reported with the app's id.


/** A venue whose ccxt HTTP is stubbed: every request is recorded (query and body fields) and `reply` answers it. */
function stubbed(exchange: ExchangeId, reply: (sent: Sent) => unknown): { venue: CcxtVenue; sent: Sent[] } {
  const venue = new CcxtVenue({ accountId: exchange, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k'.repeat(16), secret: 's'.repeat(32), password: 'p' } })
  const ex = (venue as unknown as { ex: Raw & { setMarkets(m: unknown[]): void; markets: unknown; options: Raw } }).ex
  ex.setMarkets([
    {
      id: marketIds[exchange], symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, contract: false, active: true,
      precision: { amount: 0.00001, price: 0.01 }, limits: { amount: {}, price: {}, cost: {} },
      info: exchange === 'binance' ? { orderTypes: ['LIMIT', 'MARKET'], permissionSets: [['SPOT']] } : {},
    },
  ])
  // Bybit asks whether the account is unified before its order calls: answered as a unified account.
  ex.options.enableUnifiedMargin = false
  ex.options.enableUnifiedAccount = true
  const sent: Sent[] = []
  ex.fetch = async (url: string, method: string, _headers: unknown, body: unknown) => {
    const s = sentOf(url, method, body)
    sent.push(s)
    // Bitget asks whether the account is unified before its order calls: answered as a classic account.
    if (exchange === 'bitget' && s.path === '/api/v3/account/settings') throw new ccxt.ExchangeError('bitget {"code":"40084","msg":"You are in Classic Account mode"}')
    return reply(s)
  }
  ex.loadMarkets = async () => ex.markets
  ex.enableRateLimit = false // (Kraken's private calls are spaced seconds apart)
  return { venue, sent }
}

const request = (clientOrderId: string): OrderRequest => ({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.01', price: '50000', timeInForce: 'GTC', postOnly: false, clientOrderId })

/** The exchange's field for the client id on a new order, and the form the id must have there. */
const placing: Partial<Record<ExchangeId, { path: string; field: string; accepts: RegExp }>> = {
  binance: { path: '/api/v3/order', field: 'newClientOrderId', accepts: /^[.A-Z:/a-z0-9_-]{1,36}$/ },
  okx: { path: '/api/v5/trade/batch-orders', field: 'clOrdId', accepts: /^[A-Za-z0-9]{1,32}$/ },
  bitget: { path: '/api/v2/spot/trade/place-order', field: 'clientOid', accepts: /^[A-Za-z0-9_-]{1,40}$/ },
  mexc: { path: '/api/v3/order', field: 'newClientOrderId', accepts: /^[A-Za-z0-9_-]{1,32}$/ },
  coinbase: { path: '/api/v3/brokerage/orders', field: 'client_order_id', accepts: /^[A-Za-z0-9_-]{1,64}$/ },
  // Free text of at most 18 characters, or a UUID (with or without its hyphens).
  bybit: { path: '/v5/order/create', field: 'orderLinkId', accepts: /^[A-Za-z0-9_-]{1,36}$/ },
  gate: { path: '/api/v4/spot/orders', field: 'text', accepts: /^t-[0-9A-Za-z_.-]{1,28}$/ },
  kraken: { path: '/0/private/AddOrder', field: 'cl_ord_id', accepts: /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[\x20-\x7e]{1,18})$/ },
}

/** The app's id as the exchange holds it where it is not another id derived from it (too long for it). */
const held = (exchange: ExchangeId, id: string): string | undefined =>
  exchange === 'kraken' ? (id.length > 18 ? undefined : id) : exchange === 'gate' ? (id.length > 26 ? undefined : `t-${id}`) : id

// (One that starts with "t": ccxt's Gate adds its "t-" only to ids that do not.)
const ids = { generated: newClientOrderId(Date.UTC(2026, 0, 1)), longest: 'A'.repeat(16) + 'z9'.repeat(8), startsWithT: 'tradeAbc123' }

describe('a new order carries the app\'s client order id to the exchange', () => {
  for (const exchange of exchangeIds) {
    const spec = placing[exchange]
    if (!spec) continue
    it(`${exchange}: in ${spec.field}, in a form it accepts`, async () => {
      for (const id of [ids.generated, ids.longest, ids.startsWithT]) {
        const { venue, sent } = stubbed(exchange, () => {
          throw new ccxt.RequestTimeout('timed out') // the case the id is for: did it land?
        })
        await expect(venue.placeOrder(request(id))).rejects.toMatchObject({ kind: 'unreachable' })
        const order = sent.find((s) => s.method === 'POST' && s.path === spec.path)
        expect(order, `${exchange} sent ${JSON.stringify(sent)}`).toBeDefined()
        const value = order!.fields[spec.field]
        if (held(exchange, id) !== undefined) expect(value, `${exchange} ${spec.field}`).toBe(held(exchange, id))
        expect(String(value)).toMatch(spec.accepts)
        // The same id again: a retry sends the same value (the exchange refuses a duplicate, no second order).
        await venue.placeOrder(request(id)).catch(() => undefined)
        const again = sent.filter((s) => s.method === 'POST' && s.path === spec.path).map((s) => s.fields[spec.field])
        expect(again).toEqual([value, value])
      }
    })
  }
})

/** A reply with the order (and, for the lists, another order), by request path; the order's id is `id` there. */
type Found = (wire: string) => Record<string, unknown>
const finding: Partial<Record<ExchangeId, { sends: (s: Sent) => boolean; replies: Found; lists?: true }>> = {
  binance: {
    sends: (s) => s.path === '/api/v3/order' && s.method === 'GET',
    replies: (w) => ({ '/api/v3/order': { symbol: 'BTCUSDT', orderId: 11, clientOrderId: w, price: '50000', origQty: '0.01', executedQty: '0', cummulativeQuoteQty: '0', status: 'NEW', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY', time: 1, updateTime: 1 } }),
  },
  okx: {
    sends: (s) => s.path === '/api/v5/trade/order',
    replies: (w) => ({ '/api/v5/trade/order': { code: '0', data: [{ instId: 'BTC-USDT', instType: 'SPOT', ordId: '11', clOrdId: w, px: '50000', sz: '0.01', accFillSz: '0', state: 'live', ordType: 'limit', side: 'buy', cTime: '1', uTime: '1' }] } }),
  },
  bitget: {
    sends: (s) => s.path === '/api/v2/spot/trade/orderInfo',
    replies: (w) => ({ '/api/v2/spot/trade/orderInfo': { code: '00000', data: [{ symbol: 'BTCUSDT', orderId: '11', clientOid: w, price: '50000', size: '0.01', baseVolume: '0', status: 'live', orderType: 'limit', side: 'buy', force: 'gtc', cTime: '1', uTime: '1' }] } }),
  },
  mexc: {
    sends: (s) => s.path === '/api/v3/order' && s.method === 'GET',
    replies: (w) => ({ '/api/v3/order': { symbol: 'BTCUSDT', orderId: '11', clientOrderId: w, price: '50000', origQty: '0.01', executedQty: '0', status: 'NEW', type: 'LIMIT', side: 'BUY', time: 1, updateTime: 1 } }),
  },
  coinbase: {
    sends: (s) => s.path === '/api/v3/brokerage/orders/historical/batch' && s.fields.product_id === 'BTC-USDT',
    replies: (w) => {
      const order = (orderId: string, clientId: string) => ({ order_id: orderId, client_order_id: clientId, product_id: 'BTC-USDT', side: 'BUY', status: 'OPEN', order_configuration: { limit_limit_gtc: { base_size: '0.01', limit_price: '50000', post_only: false } }, filled_size: '0', created_time: '2026-01-01T00:00:00Z' })
      return { '/api/v3/brokerage/orders/historical/batch': { orders: [order('10', 'someone-else'), order('11', w)], has_next: false } }
    },
    lists: true,
  },
  bybit: {
    sends: (s) => s.path === '/v5/order/history' && typeof s.fields.orderLinkId === 'string',
    replies: (w) => {
      const order = (orderId: string, clientId: string) => ({ orderId, orderLinkId: clientId, symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', price: '50000', qty: '0.01', cumExecQty: '0', cumExecValue: '0', orderStatus: 'New', timeInForce: 'GTC', createdTime: '1', updatedTime: '1' })
      return {
        '/v5/order/realtime': { retCode: 0, retMsg: 'OK', result: { category: 'spot', list: [] }, time: 1 },
        '/v5/order/history': { retCode: 0, retMsg: 'OK', result: { category: 'spot', list: [order('10', 'someone-else'), order('11', w)] }, time: 1 },
      }
    },
    lists: true,
  },
  gate: {
    sends: (s) => s.method === 'GET' && s.path.startsWith('/api/v4/spot/orders/t-'),
    replies: (w) => ({ [`/api/v4/spot/orders/${w}`]: { id: '11', text: w, currency_pair: 'BTC_USDT', type: 'limit', account: 'spot', side: 'buy', amount: '0.01', price: '50000', left: '0.01', filled_total: '0', status: 'open', time_in_force: 'gtc', create_time_ms: 1, update_time_ms: 1 } }),
  },
  kraken: {
    sends: (s) => s.path === '/0/private/ClosedOrders' && typeof s.fields.cl_ord_id === 'string',
    replies: (w) => {
      const order = (clientId: string) => ({ descr: { pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', price: '50000' }, vol: '0.01', vol_exec: '0', cost: '0', fee: '0', status: 'open', opentm: 1, cl_ord_id: clientId })
      return {
        '/0/private/OpenOrders': { error: [], result: { open: {} } },
        '/0/private/ClosedOrders': { error: [], result: { closed: { '10': order('someone-else'), '11': order(w) }, count: 2 } },
      }
    },
    lists: true,
  },
}

describe('an order is found on the exchange by the app\'s client order id, and reported with it', () => {
  for (const exchange of exchangeIds) {
    const spec = finding[exchange]
    if (!spec) continue
    it(exchange, async () => {
      for (const id of [ids.generated, ids.longest, ids.startsWithT]) {
        // Placed (no answer), then looked for: the exchange holds what the order request carried.
        const placed = stubbed(exchange, () => {
          throw new ccxt.RequestTimeout('timed out')
        })
        await placed.venue.placeOrder(request(id)).catch(() => undefined)
        const wire = placed.sent.find((s) => s.method === 'POST' && s.path === placing[exchange]!.path)!.fields[placing[exchange]!.field] as string
        const replies = spec.replies(wire)
        const { venue, sent } = stubbed(exchange, (s) => {
          if (s.path in replies) return replies[s.path]
          throw new ccxt.OrderNotFound('not found')
        })
        const found = await venue.fetchOrder('BTC/USDT', { clientOrderId: id })
        expect(sent.some(spec.sends), `${exchange} sent ${JSON.stringify(sent)}`).toBe(true)
        expect(found).toMatchObject({ venueOrderId: '11', clientOrderId: id, status: 'open', amount: '0.01' })
        if (!spec.lists) continue
        // Found in a list of orders: another id does not take this order.
        const other = stubbed(exchange, (s) => {
          if (s.path in replies) return replies[s.path]
          throw new ccxt.OrderNotFound('not found')
        })
        await expect(other.venue.fetchOrder('BTC/USDT', { clientOrderId: 'co0other' })).resolves.toBeNull()
      }
    })
  }
})

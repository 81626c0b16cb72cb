// Hand-made venues, books and an order gateway for the ticket and risk unit tests: every price and balance
// is set by the test, nothing moves unless the test moves it.
import { VenueError, type Balance, type BookLevel, type MarketInfo, type OrderRequest, type Ticker, type Venue, type VenueOrder } from '../../src-main/venues/port'
import type { OrderGateway, OrderIntent, OrderRecord } from '../../src-main/trading/model'

export const btcUsdt: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.00001',
  minAmount: '0.0001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.002',
  active: true,
}

export const ethBtc: MarketInfo = {
  symbol: 'ETH/BTC',
  base: 'ETH',
  quote: 'BTC',
  tickSize: '0.00001',
  stepSize: '0.0001',
  minAmount: '0.0001',
  minNotional: '0.0001',
  makerFee: '0.001',
  takerFee: '0.001',
  active: true,
}

export interface FakeVenue extends Venue {
  markets: MarketInfo[]
  balances: Balance[]
  books: Map<string, { bids: BookLevel[]; asks: BookLevel[] }>
  tickers: Map<string, string>
  /** Set to make fetchOrderBook fail (an unreachable exchange). */
  bookError: Error | null
  calls: string[]
  /** Orders placed here: they rest until canceled (nothing matches). */
  orders: VenueOrder[]
  /** Venue order ids this venue refuses to cancel. */
  refuseCancel: Set<string>
}

export function fakeVenue(id: string, markets: MarketInfo[] = [btcUsdt]): FakeVenue {
  const venue: FakeVenue = {
    id,
    exchange: 'fake',
    capabilities: { nativeStops: false, sandbox: false, watchOrderBook: false, watchMyFills: false },
    markets,
    balances: [],
    books: new Map(),
    tickers: new Map(),
    bookError: null,
    calls: [],
    orders: [],
    refuseCancel: new Set(),
    connect: async () => {},
    close: async () => {},
    connection: () => 'live',
    onConnection: () => () => {},
    loadMarkets: async () => {
      venue.calls.push('loadMarkets')
      return venue.markets
    },
    fetchBalances: async () => {
      venue.calls.push('fetchBalances')
      return venue.balances.map((b) => ({ ...b }))
    },
    fetchOrderBook: async (symbol) => {
      venue.calls.push(`fetchOrderBook ${symbol}`)
      if (venue.bookError) throw venue.bookError
      const book = venue.books.get(symbol)
      if (!book) throw new Error(`no book for ${symbol}`)
      return { symbol, bids: book.bids, asks: book.asks, timestamp: 0 }
    },
    fetchTicker: async (symbol): Promise<Ticker> => {
      venue.calls.push(`fetchTicker ${symbol}`)
      const last = venue.tickers.get(symbol)
      if (last === undefined) throw new Error(`no ticker for ${symbol}`)
      return { symbol, last, bid: null, ask: null, high24h: null, low24h: null, volume24h: null, changePct24h: null, timestamp: 0 }
    },
    fetchCandles: async () => [],
    fetchTrades: async () => [],
    watchOrderBook: () => () => {},
    watchTrades: () => () => {},
    watchTicker: () => () => {},
    placeOrder: async (r: OrderRequest): Promise<VenueOrder> => {
      venue.calls.push(`placeOrder ${r.clientOrderId}`)
      const order: VenueOrder = {
        venueOrderId: `${id}-${venue.orders.length + 1}`,
        clientOrderId: r.clientOrderId,
        symbol: r.symbol,
        side: r.side,
        type: r.type,
        price: r.price ?? null,
        amount: r.amount,
        filled: '0',
        cost: '0',
        status: 'open',
        timeInForce: r.timeInForce,
        postOnly: r.postOnly,
        createdAt: 0,
        updatedAt: 0,
      }
      venue.orders.push(order)
      return { ...order }
    },
    cancelOrder: async (_symbol, venueOrderId) => {
      venue.calls.push(`cancelOrder ${venueOrderId}`)
      const order = venue.orders.find((o) => o.venueOrderId === venueOrderId)
      if (!order || order.status !== 'open') throw new VenueError('order-not-found', `Unknown order ${venueOrderId}`)
      if (venue.refuseCancel.has(venueOrderId)) throw new VenueError('invalid-order', `Order ${venueOrderId} cannot be canceled now`)
      order.status = 'canceled'
      return { ...order }
    },
    fetchOrder: async (_symbol, ref) => {
      const order = venue.orders.find((o) => o.venueOrderId === ref.venueOrderId || o.clientOrderId === ref.clientOrderId)
      return order ? { ...order } : null
    },
    fetchOpenOrders: async (symbol) => venue.orders.filter((o) => o.status === 'open' && (symbol === undefined || o.symbol === symbol)).map((o) => ({ ...o })),
    fetchMyFills: async () => [],
    watchMyFills: () => () => {},
    watchMyOrders: () => () => {},
  }
  return venue
}

export function balance(asset: string, free: string, used = '0'): Balance {
  const total = (Number(free) + Number(used)).toString()
  return { asset, free, used, total }
}

/** The VenueRegistry's part the ticket and risk use. */
export function fakeVenues(...venues: FakeVenue[]) {
  return {
    list: () => venues.map((v) => ({ id: v.id, label: `Venue ${v.id}` })),
    open: async (id: string) => {
      const v = venues.find((x) => x.id === id)
      if (!v) throw new Error(`no venue ${id}`)
      return v
    },
  }
}

/** Records what was submitted; answers with a pending order. */
export function fakeGateway(): OrderGateway & { submitted: OrderIntent[] } {
  const submitted: OrderIntent[] = []
  return {
    submitted,
    async submit(intent) {
      submitted.push(intent)
      return recordOf(intent, `c${submitted.length}`)
    },
    async cancel() {
      throw new Error('not in this fake')
    },
    get: () => undefined,
    open: () => [],
  }
}

export function recordOf(intent: OrderIntent, clientOrderId: string): OrderRecord {
  return {
    clientOrderId,
    venueOrderId: null,
    venueId: intent.venueId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    timeInForce: intent.timeInForce,
    postOnly: intent.postOnly,
    amount: intent.amount,
    price: intent.price ?? null,
    filled: '0',
    cost: '0',
    status: 'pending',
    origin: intent.origin,
    error: null,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
  }
}

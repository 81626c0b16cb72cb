import { describe, expect, it } from 'vitest'
import { type BookSnapshot, type Fill, type OrderRequest, type PublicTrade, type Ticker, VenueError, type VenueOrder } from '../../src-main/venues/port'
import type { SimMarketSpec } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { BTC_SPEC } from '../support/sim-market'

const SPEC: SimMarketSpec = { ...BTC_SPEC, minNotional: '10', takerFee: '0.002' }

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

function setup() {
  const engine = createMatchingEngine([SPEC], { now: () => 1_700_000_000_000 })
  engine.deposit('me', 'USDT', '1000')
  engine.deposit('me', 'BTC', '1')
  engine.deposit('other', 'BTC', '5')
  engine.deposit('other', 'USDT', '5000')
  const venue = new SimVenue(engine, 'me', { bookDepth: 2 })
  let n = 0
  const req = (side: 'buy' | 'sell', amount: string, price?: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
    clientOrderId: `me-${++n}`,
    symbol: 'BTC/USDT',
    side,
    type: price === undefined ? 'market' : 'limit',
    amount,
    price,
    timeInForce: 'GTC',
    postOnly: false,
    ...extra,
  })
  const other = (side: 'buy' | 'sell', amount: string, price: string) =>
    engine.placeOrder({ accountId: 'other', clientOrderId: `o-${++n}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  return { engine, venue, req, other }
}

async function venueError(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p
  } catch (err) {
    if (err instanceof VenueError) return err
    throw err
  }
  throw new Error('expected a VenueError')
}

describe('SimVenue', () => {
  it('describes itself and its markets', async () => {
    const { venue } = setup()
    expect(venue).toMatchObject({ id: 'sim', exchange: 'sim', capabilities: { nativeStops: false, watchOrderBook: true, watchMyFills: true } })
    expect(venue.connection()).toBe('live')
    await venue.connect()
    expect(venue.connection()).toBe('live')
    expect(await venue.loadMarkets()).toEqual([
      {
        symbol: 'BTC/USDT',
        base: 'BTC',
        quote: 'USDT',
        tickSize: '0.01',
        stepSize: '0.001',
        minAmount: '0.001',
        minNotional: '10',
        makerFee: '0.001',
        takerFee: '0.002',
        active: true,
      },
    ])
    expect(await venue.fetchBalances()).toEqual([
      { asset: 'BTC', free: '1', used: '0', total: '1' },
      { asset: 'USDT', free: '1000', used: '0', total: '1000' },
    ])
  })

  it('places, finds and cancels orders; fills are reported with fees', async () => {
    const { venue, req, other } = setup()
    other('sell', '0.5', '100.00')
    const placed = await venue.placeOrder(req('buy', '1', '100.00'))
    expect(placed).not.toHaveProperty('accountId')
    expect(placed).toMatchObject({ status: 'open', filled: '0.500', cost: '50', price: '100.00', amount: '1.000' })
    expect(await venue.fetchOrder('BTC/USDT', { venueOrderId: placed.venueOrderId })).toEqual(placed)
    expect(await venue.fetchOrder('BTC/USDT', { clientOrderId: placed.clientOrderId })).toEqual(placed)
    expect(await venue.fetchOrder('BTC/USDT', { clientOrderId: 'nope' })).toBeNull()
    expect(await venue.fetchOpenOrders()).toEqual([placed])
    expect(await venue.fetchOpenOrders('BTC/USDT')).toEqual([placed])
    expect(await venue.fetchMyFills('BTC/USDT')).toMatchObject([
      { venueOrderId: placed.venueOrderId, clientOrderId: placed.clientOrderId, side: 'buy', price: '100.00', amount: '0.500', fee: { asset: 'BTC', amount: '0.001' }, liquidity: 'taker' },
    ])
    expect(await venue.fetchMyFills('BTC/USDT', 1_700_000_000_001)).toEqual([])
    const canceled = await venue.cancelOrder('BTC/USDT', placed.venueOrderId)
    expect(canceled).toMatchObject({ status: 'canceled', filled: '0.500' })
    expect(await venue.fetchOpenOrders()).toEqual([])
    expect((await venue.fetchBalances()).find((b) => b.asset === 'USDT')).toEqual({ asset: 'USDT', free: '950', used: '0', total: '950' })
  })

  it('maps engine rejections to venue error kinds', async () => {
    const { venue, req, other } = setup()
    other('sell', '1', '100.00')
    expect((await venueError(venue.placeOrder(req('buy', '20', '99.00')))).kind).toBe('insufficient-funds')
    expect((await venueError(venue.placeOrder(req('buy', '1', '99.005')))).kind).toBe('invalid-order')
    expect((await venueError(venue.placeOrder(req('buy', '0.05', '99.00')))).kind).toBe('invalid-order')
    expect((await venueError(venue.placeOrder(req('buy', '1', '100.00', { postOnly: true })))).message).toMatch(/post-only-would-take/)
    expect((await venueError(venue.placeOrder(req('buy', '5', '101.00', { timeInForce: 'FOK' })))).kind).toBe('invalid-order')
    expect((await venueError(venue.placeOrder(req('buy', '1', '99.00', { symbol: 'NOPE/USDT' })))).kind).toBe('invalid-order')
    for (const bad of [{ side: 'hold' }, { type: 'stop' }, { timeInForce: 'GTD' }] as unknown as Partial<OrderRequest>[]) {
      const e = await venueError(venue.placeOrder(req('buy', '1', '99.00', bad)))
      expect(e.kind).toBe('invalid-order')
      expect(e.message).toMatch(/^invalid-order: unknown (side|order type|time in force) "(hold|stop|GTD)"$/)
    }
    const open = await venue.placeOrder(req('buy', '1', '99.00', { clientOrderId: 'dup' }))
    expect((await venueError(venue.placeOrder(req('buy', '1', '98.00', { clientOrderId: 'dup' })))).message).toMatch(/duplicate/)
    expect((await venueError(venue.cancelOrder('BTC/USDT', '12345'))).kind).toBe('order-not-found')
    await venue.cancelOrder('BTC/USDT', open.venueOrderId)
    expect((await venueError(venue.cancelOrder('BTC/USDT', open.venueOrderId))).kind).toBe('order-not-found')
    expect((await venueError(venue.fetchOrderBook('NOPE/USDT'))).kind).toBe('invalid-order')

    const stranger = new SimVenue(createMatchingEngine([SPEC]), 'nobody')
    expect(await stranger.fetchBalances()).toEqual([])
    const noAccount = await venueError(stranger.placeOrder(req('buy', '1', '99.00')))
    expect(noAccount.kind).toBe('permission-denied')
    expect(noAccount.message).toBe('unknown-account: the simulated exchange has no account nobody (nothing was ever deposited in it)')
    expect((await venueError(stranger.cancelOrder('BTC/USDT', '1'))).kind).toBe('order-not-found')
  })

  it('refuses a stop or take-profit order (it holds none) instead of working it at once', async () => {
    const { engine, venue, req, other } = setup()
    other('sell', '1', '100.00')
    const before = engine.balances('me')
    for (const kind of ['stop-loss', 'take-profit'] as const) {
      const err = await venueError(venue.placeOrder(req('buy', '0.5', undefined, { trigger: { kind, price: '120.00' } })))
      expect(err.kind).toBe('invalid-order')
      expect(err.message).toBe(`the simulated exchange holds no stop orders: a ${kind} order cannot be placed on it`)
    }
    expect(engine.balances('me')).toEqual(before)
    expect(await venue.fetchOpenOrders()).toEqual([])
    expect(engine.book('BTC/USDT').asks).toEqual([['100.00', '1.000']])
  })

  it('serves book, ticker and candles', async () => {
    const { venue, other, req } = setup()
    other('sell', '1', '101.00')
    other('sell', '1', '102.00')
    other('sell', '1', '103.00')
    other('buy', '1', '99.00')
    await venue.placeOrder(req('buy', '0.5'))
    const book = await venue.fetchOrderBook('BTC/USDT')
    expect(book).toMatchObject({ symbol: 'BTC/USDT', bids: [['99.00', '1.000']], asks: [['101.00', '0.500'], ['102.00', '1.000'], ['103.00', '1.000']] })
    expect((await venue.fetchOrderBook('BTC/USDT', 1)).asks).toHaveLength(1)
    expect(await venue.fetchTicker('BTC/USDT')).toMatchObject({ last: '101.00', bid: '99.00', ask: '101.00', volume24h: '0.5' })
    expect(await venue.fetchCandles('BTC/USDT', '1m')).toMatchObject([{ open: '101.00', close: '101.00', volume: '0.500' }])
  })

  it('streams books, trades, tickers, own fills and own orders until unwatched', async () => {
    const { venue, other, req } = setup()
    const books: BookSnapshot[] = []
    const trades: PublicTrade[][] = []
    const tickers: Ticker[] = []
    const fills: Fill[] = []
    const orders: VenueOrder[] = []
    const errors: Error[] = []
    const onError = (e: Error) => errors.push(e)
    const stopBook = venue.watchOrderBook('BTC/USDT', (b) => books.push(b), onError)
    const stopTrades = venue.watchTrades('BTC/USDT', (t) => trades.push(t), onError)
    venue.watchTicker('BTC/USDT', (t) => tickers.push(t), onError)
    venue.watchMyFills((f) => fills.push(f), onError)
    venue.watchMyOrders((o) => orders.push(o), onError)
    await flush()
    expect(books).toHaveLength(1) // the initial snapshot
    expect(tickers).toHaveLength(1)

    other('sell', '1', '101.00')
    other('sell', '1', '102.00')
    other('sell', '1', '103.00')
    expect(books).toHaveLength(4)
    expect(books.at(-1)?.asks).toEqual([
      ['101.00', '1.000'],
      ['102.00', '1.000'],
    ]) // top 2 only (bookDepth)
    expect(books.at(-1)?.sequence).toBe(3)

    await venue.placeOrder(req('buy', '1.5'))
    expect(trades.map((batch) => batch.map((t) => [t.price, t.amount, t.side]))).toEqual([
      [['101.00', '1.000', 'buy']],
      [['102.00', '0.500', 'buy']],
    ])
    expect(fills.map((f) => [f.price, f.amount, f.liquidity])).toEqual([
      ['101.00', '1.000', 'taker'],
      ['102.00', '0.500', 'taker'],
    ])
    expect(orders.map((o) => [o.status, o.filled])).toEqual([
      ['open', '0.000'],
      ['open', '1.000'],
      ['closed', '1.500'],
    ])
    expect(orders.every((o) => !('accountId' in o))).toBe(true)
    expect(tickers.at(-1)).toMatchObject({ last: '102.00', ask: '102.00' })

    const booksBefore = books.length
    stopBook()
    stopTrades()
    other('sell', '1', '104.00')
    expect(books).toHaveLength(booksBefore)
    await venue.close()
    expect(venue.connection()).toBe('down')
    const fillsBefore = fills.length
    other('buy', '0.5', '102.00')
    expect(fills).toHaveLength(fillsBefore)
    expect(errors).toEqual([])
  })

  it('reports an unknown symbol through onError', async () => {
    const { venue } = setup()
    const errors: Error[] = []
    venue.watchOrderBook('NOPE/USDT', () => {}, (e) => errors.push(e))
    await flush()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(VenueError)
  })
})

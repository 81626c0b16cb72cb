import { describe, expect, it } from 'vitest'
import { type SimEvent, type SimMarketSpec, type SimOrderInput, SimRejection } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine, type MatchingEngineOptions } from '../../src-main/venues/sim/matching/engine'
import { thrown } from '../support/thrown'

// Hand-computed scenarios on one market with round numbers. Maker fee 0.1 %, taker fee 0.2 % (different on
// purpose, so a test can tell which was charged), fee always in the asset received.
const SPEC: SimMarketSpec = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.001',
  minAmount: '0.002',
  minNotional: '10',
  makerFee: '0.001',
  takerFee: '0.002',
  initialPrice: '100.00',
}

function setup(options: MatchingEngineOptions = {}) {
  let t = 1_700_000_000_000
  const engine = createMatchingEngine([SPEC], { now: () => t, ...options })
  const events: SimEvent[] = []
  engine.on((e) => events.push(e))
  let n = 0
  const order = (
    accountId: string,
    side: 'buy' | 'sell',
    amount: string,
    price?: string,
    extra: Partial<SimOrderInput> = {},
  ): SimOrderInput => ({
    accountId,
    clientOrderId: `c${++n}`,
    symbol: 'BTC/USDT',
    side,
    type: price === undefined ? 'market' : 'limit',
    amount,
    price,
    timeInForce: 'GTC',
    postOnly: false,
    ...extra,
  })
  const bal = (accountId: string, asset: string) => {
    const b = engine.balances(accountId).find((x) => x.asset === asset)
    return { free: b?.free ?? '0', used: b?.used ?? '0' }
  }
  const state = () => {
    const { savedAt: _savedAt, ...rest } = engine.snapshot()
    return JSON.stringify(rest)
  }
  return { engine, events, order, bal, state, advance: (ms: number) => (t += ms), time: () => t }
}

const rejection = (fn: () => unknown): SimRejection => thrown(fn, SimRejection)

describe('price-time priority and partial fills', () => {
  it('fills two makers at the same price in arrival order', () => {
    const { engine, order, bal } = setup()
    engine.deposit('A', 'BTC', '1')
    engine.deposit('B', 'BTC', '1')
    engine.deposit('C', 'USDT', '200')
    const a = engine.placeOrder(order('A', 'sell', '1', '100.00')).order
    const b = engine.placeOrder(order('B', 'sell', '1', '100.00')).order
    const { order: c, fills } = engine.placeOrder(order('C', 'buy', '1.5', '100.00'))

    expect(fills.map((f) => [f.price, f.amount, f.liquidity])).toEqual([
      ['100.00', '1.000', 'taker'],
      ['100.00', '0.500', 'taker'],
    ])
    expect(c).toMatchObject({ status: 'closed', filled: '1.500', cost: '150' })
    expect(engine.getOrder('A', 'BTC/USDT', { venueOrderId: a.venueOrderId })).toMatchObject({ status: 'closed', filled: '1.000' })
    expect(engine.getOrder('B', 'BTC/USDT', { venueOrderId: b.venueOrderId })).toMatchObject({ status: 'open', filled: '0.500' })
    expect(engine.book('BTC/USDT').asks).toEqual([['100.00', '0.500']])

    // A: sold 1 BTC for 100 USDT, maker fee 0.1 % of 100 = 0.1 USDT.
    expect(bal('A', 'BTC')).toEqual({ free: '0', used: '0' })
    expect(bal('A', 'USDT')).toEqual({ free: '99.9', used: '0' })
    // B: 0.5 sold (50 - 0.05), 0.5 still locked.
    expect(bal('B', 'BTC')).toEqual({ free: '0', used: '0.5' })
    expect(bal('B', 'USDT')).toEqual({ free: '49.95', used: '0' })
    // C: paid 150 USDT, received 1.5 BTC minus taker fee 0.2 % = 0.003 BTC.
    expect(bal('C', 'USDT')).toEqual({ free: '50', used: '0' })
    expect(bal('C', 'BTC')).toEqual({ free: '1.497', used: '0' })
    expect(engine.feesCollected()).toEqual({ BTC: '0.003', USDT: '0.15' })
  })

  it('a better price comes first regardless of arrival', () => {
    const { engine, order } = setup()
    engine.deposit('A', 'BTC', '1')
    engine.deposit('B', 'BTC', '1')
    engine.deposit('C', 'USDT', '1000')
    engine.placeOrder(order('A', 'sell', '1', '100.50'))
    engine.placeOrder(order('B', 'sell', '1', '100.20'))
    const { fills } = engine.placeOrder(order('C', 'buy', '1.2', '101.00'))
    expect(fills.map((f) => [f.price, f.amount])).toEqual([
      ['100.20', '1.000'],
      ['100.50', '0.200'],
    ])
  })

  it('keeps a partially filled maker at the front with its remaining amount', () => {
    const { engine, order, bal } = setup()
    engine.deposit('M', 'BTC', '2')
    engine.deposit('M2', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    const maker = engine.placeOrder(order('M', 'sell', '2', '101.00')).order
    engine.placeOrder(order('M2', 'sell', '1', '101.00'))
    engine.placeOrder(order('T', 'buy', '0.7', '101.00'))
    expect(engine.openOrders('M')).toMatchObject([{ venueOrderId: maker.venueOrderId, filled: '0.700', amount: '2.000', status: 'open' }])
    expect(bal('M', 'BTC')).toEqual({ free: '0', used: '1.3' })
    engine.placeOrder(order('T', 'buy', '0.3', '101.00'))
    expect(engine.openOrders('M')[0]).toMatchObject({ filled: '1.000', cost: '101' })
    expect(engine.book('BTC/USDT').asks).toEqual([['101.00', '2.000']])
    // M2 has not traded: M still had amount left and was first in the queue.
    expect(engine.openOrders('M2')[0]).toMatchObject({ filled: '0.000' })
  })

  it('a limit buy that fills below its price frees the difference it had reserved', () => {
    const { engine, order, bal } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '300')
    engine.placeOrder(order('M', 'sell', '1', '99.50'))
    const { order: t } = engine.placeOrder(order('T', 'buy', '2', '100.00'))
    // Reserved 200; 1 filled at 99.50; the other 1 rests at 100 with 100 still reserved.
    expect(t).toMatchObject({ status: 'open', filled: '1.000', cost: '99.5' })
    expect(bal('T', 'USDT')).toEqual({ free: '100.5', used: '100' })
    expect(bal('T', 'BTC')).toEqual({ free: '0.998', used: '0' })
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [['100.00', '1.000']], asks: [] })
  })
})

describe('time in force and post-only', () => {
  it('IOC fills what it can and expires the remainder', () => {
    const { engine, order, bal, events } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    engine.placeOrder(order('M', 'sell', '0.4', '100.00'))
    events.length = 0
    const { order: t, fills } = engine.placeOrder(order('T', 'buy', '1', '100.50', { timeInForce: 'IOC' }))
    expect(fills).toHaveLength(1)
    expect(t).toMatchObject({ status: 'expired', filled: '0.400', cost: '40' })
    expect(engine.openOrders('T')).toEqual([])
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [], asks: [] })
    expect(bal('T', 'USDT')).toEqual({ free: '960', used: '0' })
    const takerStates = events.flatMap((e) => (e.type === 'order' && e.accountId === 'T' ? [e.order.status] : []))
    expect(takerStates).toEqual(['open', 'open', 'expired'])
  })

  it('FOK that cannot fill completely changes nothing; one that can fills completely', () => {
    const { engine, order, bal, state, events } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    engine.placeOrder(order('M', 'sell', '0.4', '100.00'))
    engine.placeOrder(order('M', 'sell', '0.4', '101.00'))
    const before = state()
    events.length = 0
    expect(rejection(() => engine.placeOrder(order('T', 'buy', '1', '101.00', { timeInForce: 'FOK' }))).reason).toBe('fok-unfillable')
    // Price limit also counts: 0.8 exists, but only 0.4 at or below 100.
    expect(rejection(() => engine.placeOrder(order('T', 'buy', '0.8', '100.00', { timeInForce: 'FOK' }))).reason).toBe('fok-unfillable')
    expect(state()).toBe(before)
    expect(events).toEqual([])

    const { order: t } = engine.placeOrder(order('T', 'buy', '0.8', '101.00', { timeInForce: 'FOK' }))
    // 0.4 × 100 + 0.4 × 101 = 80.4 USDT; fee 0.2 % of 0.8 BTC = 0.0016 BTC.
    expect(t).toMatchObject({ status: 'closed', filled: '0.800', cost: '80.4' })
    expect(bal('T', 'USDT')).toEqual({ free: '919.6', used: '0' })
    expect(bal('T', 'BTC')).toEqual({ free: '0.7984', used: '0' })
  })

  it('rejects a post-only order that would take, and rests one that would not', () => {
    const { engine, order, state, events } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    engine.placeOrder(order('M', 'sell', '1', '100.00'))
    const before = state()
    events.length = 0
    expect(rejection(() => engine.placeOrder(order('T', 'buy', '1', '100.00', { postOnly: true }))).reason).toBe(
      'post-only-would-take',
    )
    expect(rejection(() => engine.placeOrder(order('T', 'buy', '1', undefined, { postOnly: true }))).reason).toBe(
      'post-only-would-take',
    )
    expect(state()).toBe(before)
    expect(events).toEqual([])
    const { order: t, fills } = engine.placeOrder(order('T', 'buy', '1', '99.99', { postOnly: true }))
    expect(fills).toEqual([])
    expect(t).toMatchObject({ status: 'open', postOnly: true })
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [['99.99', '1.000']], asks: [['100.00', '1.000']] })
  })
})

describe('market orders', () => {
  it('walks several ask levels with exact cost, average price and fees', () => {
    const { engine, order, bal } = setup()
    engine.deposit('M', 'BTC', '2')
    engine.deposit('T', 'USDT', '1000')
    engine.placeOrder(order('M', 'sell', '0.5', '100.00'))
    engine.placeOrder(order('M', 'sell', '0.3', '101.00'))
    engine.placeOrder(order('M', 'sell', '1', '102.50'))
    const { order: t, fills } = engine.placeOrder(order('T', 'buy', '1.2'))
    expect(fills.map((f) => [f.price, f.amount, f.fee])).toEqual([
      ['100.00', '0.500', { asset: 'BTC', amount: '0.001' }],
      ['101.00', '0.300', { asset: 'BTC', amount: '0.0006' }],
      ['102.50', '0.400', { asset: 'BTC', amount: '0.0008' }],
    ])
    // 50 + 30.3 + 41 = 121.3 USDT for 1.2 BTC: average 101.08333...
    expect(t).toMatchObject({ type: 'market', price: null, status: 'closed', filled: '1.200', cost: '121.3' })
    expect((Number(t.cost) / Number(t.filled)).toFixed(5)).toBe('101.08333')
    expect(bal('T', 'USDT')).toEqual({ free: '878.7', used: '0' })
    expect(bal('T', 'BTC')).toEqual({ free: '1.1976', used: '0' })
    // The maker receives 121.3 USDT less 0.1 %: 0.05 + 0.0303 + 0.041 = 0.1213.
    expect(bal('M', 'USDT')).toEqual({ free: '121.1787', used: '0' })
    expect(bal('M', 'BTC')).toEqual({ free: '0.2', used: '0.6' }) // deposited 2, offered 1.8
    expect(engine.book('BTC/USDT').asks).toEqual([['102.50', '0.600']])
  })

  it('a market sell walks the bids and pays the taker fee in quote', () => {
    const { engine, order, bal } = setup()
    engine.deposit('M', 'USDT', '1000')
    engine.deposit('T', 'BTC', '1')
    engine.placeOrder(order('M', 'buy', '0.5', '99.00'))
    engine.placeOrder(order('M', 'buy', '0.5', '98.00'))
    const { order: t } = engine.placeOrder(order('T', 'sell', '0.8'))
    // 0.5 × 99 + 0.3 × 98 = 78.9 USDT; taker fee 0.2 % = 0.1578.
    expect(t).toMatchObject({ status: 'closed', cost: '78.9' })
    expect(bal('T', 'USDT')).toEqual({ free: '78.7422', used: '0' })
    expect(bal('T', 'BTC')).toEqual({ free: '0.2', used: '0' })
    // M: bought 0.8 BTC less 0.1 % maker fee; 0.2 × 98 = 19.6 still reserved.
    expect(bal('M', 'BTC')).toEqual({ free: '0.7992', used: '0' })
    expect(bal('M', 'USDT')).toEqual({ free: '901.5', used: '19.6' })
  })

  it('refuses a market buy whose full amount the free quote cannot pay, changing nothing (as a limit buy)', () => {
    const { engine, order, bal, state, events } = setup()
    engine.deposit('M', 'BTC', '2')
    engine.deposit('T', 'USDT', '250')
    engine.placeOrder(order('M', 'sell', '1', '100.00'))
    engine.placeOrder(order('M', 'sell', '1', '200.00'))
    const before = state()
    events.length = 0
    // 2 BTC walk the book for 100 + 200 = 300 USDT; 250 are free: no part-fill that stops where the money does.
    const r = rejection(() => engine.placeOrder(order('T', 'buy', '2')))
    expect(r.reason).toBe('insufficient-funds')
    expect(r.message).toBe('needs 300 USDT to buy 2 BTC at the book now, 250 free')
    expect(state()).toBe(before)
    expect(events).toEqual([])
    // What the money pays for fills in full.
    const { order: t } = engine.placeOrder(order('T', 'buy', '1.75'))
    expect(t).toMatchObject({ status: 'closed', filled: '1.750', cost: '250' })
    expect(bal('T', 'USDT')).toEqual({ free: '0', used: '0' })
    expect(engine.book('BTC/USDT').asks).toEqual([['200.00', '0.250']])
  })

  it('rejects a market buy that cannot afford a single step, changing nothing', () => {
    const { engine, order, state } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '0.05')
    engine.deposit('Z', 'BTC', '1')
    engine.placeOrder(order('M', 'sell', '1', '100.00'))
    const before = state()
    // One step (0.001) costs 0.1 USDT.
    expect(rejection(() => engine.placeOrder(order('T', 'buy', '1'))).reason).toBe('insufficient-funds')
    expect(rejection(() => engine.placeOrder(order('Z', 'buy', '1'))).reason).toBe('insufficient-funds')
    expect(rejection(() => engine.placeOrder(order('T', 'sell', '1'))).reason).toBe('insufficient-funds')
    expect(state()).toBe(before)
  })

  it('a market order on an empty book expires unfilled', () => {
    const { engine, order, bal } = setup()
    engine.deposit('T', 'USDT', '1000')
    const { order: t, fills } = engine.placeOrder(order('T', 'buy', '1'))
    expect(fills).toEqual([])
    expect(t).toMatchObject({ status: 'expired', filled: '0.000' })
    expect(bal('T', 'USDT')).toEqual({ free: '1000', used: '0' })
  })
})

describe('funds and validation', () => {
  it('locks on placement and unlocks on cancel', () => {
    const { engine, order, bal } = setup()
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('A', 'BTC', '1')
    const buy = engine.placeOrder(order('A', 'buy', '2', '100.00')).order
    const sell = engine.placeOrder(order('A', 'sell', '0.6', '120.00')).order
    expect(bal('A', 'USDT')).toEqual({ free: '800', used: '200' })
    expect(bal('A', 'BTC')).toEqual({ free: '0.4', used: '0.6' })
    expect(rejection(() => engine.placeOrder(order('A', 'buy', '8.001', '100.00'))).reason).toBe('insufficient-funds')
    expect(rejection(() => engine.placeOrder(order('A', 'sell', '0.401', '120.00'))).reason).toBe('insufficient-funds')

    const canceled = engine.cancelOrder('A', 'BTC/USDT', { venueOrderId: buy.venueOrderId })
    expect(canceled).toMatchObject({ status: 'canceled', filled: '0.000' })
    engine.cancelOrder('A', 'BTC/USDT', { clientOrderId: sell.clientOrderId })
    expect(bal('A', 'USDT')).toEqual({ free: '1000', used: '0' })
    expect(bal('A', 'BTC')).toEqual({ free: '1', used: '0' })
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [], asks: [] })
  })

  it('rejects bad ticks, steps, minimums and duplicates without changing anything', () => {
    const { engine, order, state, events } = setup()
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('A', 'BTC', '1')
    engine.placeOrder(order('A', 'buy', '1', '90.00', { clientOrderId: 'dup' }))
    const before = state()
    events.length = 0
    const cases: Array<[SimOrderInput, string]> = [
      [order('A', 'buy', '1', '100.005'), 'invalid-price'],
      [order('A', 'buy', '1', '0'), 'invalid-price'],
      [order('A', 'buy', '1', 'abc'), 'invalid-price'],
      [order('A', 'buy', '1', undefined, { type: 'limit' }), 'invalid-price'],
      [order('A', 'buy', '0.0015', '100.00'), 'invalid-amount'],
      [order('A', 'buy', '-1', '100.00'), 'invalid-amount'],
      [order('A', 'buy', '0.001', '100.00'), 'below-min-amount'],
      [order('A', 'buy', '0.099', '100.00'), 'below-min-notional'],
      [order('A', 'sell', '0.05'), 'below-min-notional'],
      [order('A', 'buy', '1', '95.00', { clientOrderId: 'dup' }), 'duplicate-client-order-id'],
      [order('A', 'buy', '1', '95.00', { symbol: 'DOGE/USDT' }), 'unknown-market'],
      [order('nobody', 'buy', '1', '95.00'), 'unknown-account'],
    ]
    for (const [input, reason] of cases) {
      expect(rejection(() => engine.placeOrder(input)).reason, JSON.stringify(input)).toBe(reason)
    }
    // Exactly the minimum notional is accepted (0.1 × 100 = 10).
    expect(state()).toBe(before)
    expect(events).toEqual([])
    expect(engine.placeOrder(order('A', 'buy', '0.1', '100.00')).order.status).toBe('open')
  })

  it('cancel refuses unknown and finished orders', () => {
    const { engine, order } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    const m = engine.placeOrder(order('M', 'sell', '1', '100.00')).order
    engine.placeOrder(order('T', 'buy', '1', '100.00'))
    expect(rejection(() => engine.cancelOrder('M', 'BTC/USDT', { venueOrderId: m.venueOrderId })).reason).toBe('order-not-open')
    expect(rejection(() => engine.cancelOrder('M', 'BTC/USDT', { venueOrderId: '999' })).reason).toBe('unknown-order')
    expect(rejection(() => engine.cancelOrder('T', 'BTC/USDT', { venueOrderId: m.venueOrderId })).reason).toBe('unknown-order')
    expect(rejection(() => engine.cancelOrder('X', 'BTC/USDT', { venueOrderId: m.venueOrderId })).reason).toBe('unknown-account')
    // The finished order is still found, by venue id and by client id; a client id can be reused once closed.
    expect(engine.getOrder('M', 'BTC/USDT', { clientOrderId: m.clientOrderId })).toMatchObject({ status: 'closed' })
    engine.deposit('M', 'BTC', '1')
    expect(engine.placeOrder(order('M', 'sell', '1', '100.00', { clientOrderId: m.clientOrderId })).order.status).toBe('open')
  })

  it('resetAccount cancels open orders and sets exactly the given balances', () => {
    const { engine, order, bal } = setup()
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('A', 'BTC', '1')
    engine.placeOrder(order('A', 'buy', '1', '99.00'))
    engine.resetAccount('A', { USDT: '5000' })
    expect(engine.openOrders('A')).toEqual([])
    expect(engine.book('BTC/USDT').bids).toEqual([])
    expect(engine.balances('A')).toEqual([{ asset: 'USDT', free: '5000', used: '0', total: '5000' }])
    expect(bal('A', 'BTC')).toEqual({ free: '0', used: '0' })
  })
})

describe('self-trade prevention', () => {
  it('expire-maker (default): the own resting order in the way expires, with the reason, and the incoming order trades on', () => {
    const { engine, order, bal, events } = setup()
    expect(engine.selfTradePrevention()).toBe('expire-maker')
    engine.deposit('A', 'BTC', '1')
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('B', 'BTC', '1')
    const own = engine.placeOrder(order('A', 'sell', '0.4', '100.00')).order
    engine.placeOrder(order('B', 'sell', '1', '100.50'))
    events.length = 0
    const { order: t, fills } = engine.placeOrder(order('A', 'buy', '1', '101.00'))
    expect(fills.map((f) => [f.price, f.amount])).toEqual([['100.50', '1.000']])
    expect(t).toMatchObject({ status: 'closed', filled: '1.000' })
    expect(t.reason).toBeUndefined()
    const reason = `self-trade prevention: your buy #${t.venueOrderId} at 101.00 would have traded with it`
    expect(engine.getOrder('A', 'BTC/USDT', { venueOrderId: own.venueOrderId })).toMatchObject({ status: 'expired', filled: '0.000', reason })
    expect(events).toContainEqual({ type: 'order', accountId: 'A', order: expect.objectContaining({ venueOrderId: own.venueOrderId, status: 'expired', reason }) })
    expect(engine.openOrders('A')).toEqual([])
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [], asks: [] })
    // The own sell's 0.4 BTC are free again; 1 BTC bought at 100.50 less the 0.2 % taker fee.
    expect(bal('A', 'BTC')).toEqual({ free: '1.998', used: '0' })
    expect(bal('A', 'USDT')).toEqual({ free: '899.5', used: '0' })
  })

  it('expire-maker: a refused incoming order (FOK the others cannot fill) leaves the own order resting', () => {
    const { engine, order } = setup()
    engine.deposit('A', 'BTC', '1')
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('B', 'BTC', '1')
    const own = engine.placeOrder(order('A', 'sell', '0.4', '100.00')).order
    engine.placeOrder(order('B', 'sell', '0.5', '100.50'))
    expect(rejection(() => engine.placeOrder(order('A', 'buy', '1', '101.00', { timeInForce: 'FOK' }))).reason).toBe('fok-unfillable')
    expect(engine.getOrder('A', 'BTC/USDT', { venueOrderId: own.venueOrderId })).toMatchObject({ status: 'open' })
  })

  it('expire-taker: matching stops at the own order and the remainder expires, saying why', () => {
    const { engine, order, bal } = setup({ selfTradePrevention: 'expire-taker' })
    engine.deposit('A', 'BTC', '1')
    engine.deposit('A', 'USDT', '1000')
    engine.deposit('B', 'BTC', '1')
    engine.placeOrder(order('B', 'sell', '0.5', '100.00'))
    const own = engine.placeOrder(order('A', 'sell', '1', '100.00')).order
    const { order: t, fills } = engine.placeOrder(order('A', 'buy', '1', '100.00'))
    expect(fills.map((f) => f.amount)).toEqual(['0.500'])
    expect(t).toMatchObject({
      status: 'expired',
      filled: '0.500',
      reason: `self-trade prevention: your own sell #${own.venueOrderId} at 100.00 was next in line; the rest expired`,
    })
    expect(engine.getOrder('A', 'BTC/USDT', { venueOrderId: own.venueOrderId })).toMatchObject({ status: 'open', filled: '0.000' })
    expect(engine.book('BTC/USDT')).toMatchObject({ bids: [], asks: [['100.00', '1.000']] })
    expect(bal('A', 'USDT')).toEqual({ free: '950', used: '0' })
  })

  it("'none' lets an account trade with itself, paying both fees", () => {
    const { engine, order, bal } = setup({ selfTradePrevention: 'none' })
    engine.deposit('A', 'BTC', '1')
    engine.deposit('A', 'USDT', '1000')
    engine.placeOrder(order('A', 'sell', '1', '100.00'))
    const { fills } = engine.placeOrder(order('A', 'buy', '1', '100.00'))
    expect(fills).toHaveLength(1)
    // Sold 1 BTC for 100 (maker fee 0.1 USDT), bought 1 BTC for 100 (taker fee 0.002 BTC).
    expect(bal('A', 'BTC')).toEqual({ free: '0.998', used: '0' })
    expect(bal('A', 'USDT')).toEqual({ free: '999.9', used: '0' })
  })
})

describe('events', () => {
  it('emits one call’s events in a fixed order before returning', () => {
    const { engine, order, events } = setup()
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    engine.placeOrder(order('M', 'sell', '0.5', '100.00'))
    events.length = 0
    engine.placeOrder(order('T', 'buy', '0.8', '100.00'))
    expect(events.map((e) => `${e.type}${'accountId' in e ? `:${e.accountId}` : ''}`)).toEqual([
      'order:T', // accepted (open, nothing filled)
      'trade',
      'fill:M',
      'order:M', // closed
      'fill:T',
      'order:T', // 0.5 filled, still open
      'book',
      'balance:T',
      'balance:M',
    ])
    const book = events.find((e) => e.type === 'book')
    // The ask level went away and the taker's remainder now rests as a bid.
    expect(book).toMatchObject({ bids: [['100.00', '0.300']], asks: [['100.00', '0']] })
    const trade = events.find((e) => e.type === 'trade')
    const fills = events.filter((e) => e.type === 'fill')
    expect(trade).toMatchObject({ trade: { side: 'buy', price: '100.00', amount: '0.500' } })
    expect(new Set(fills.map((f) => (f.type === 'fill' ? f.fill.tradeId : '')))).toEqual(
      new Set([trade?.type === 'trade' ? trade.trade.id : '?']),
    )
    const balanceT = events.find((e) => e.type === 'balance' && e.accountId === 'T')
    expect(balanceT).toMatchObject({ balances: [{ asset: 'BTC', free: '0.499' }, { asset: 'USDT', free: '920', used: '30' }] })
  })

  it('a listener that throws does not stop the others; one that calls back in sees its events queued', () => {
    const errors: unknown[] = []
    const { engine, order } = setup({ onListenerError: (err) => errors.push(err) })
    const seen: string[] = []
    engine.on(() => {
      throw new Error('boom')
    })
    engine.deposit('M', 'BTC', '1')
    engine.deposit('T', 'USDT', '1000')
    let reacted = false
    engine.on((e) => {
      seen.push(e.type)
      if (e.type === 'fill' && e.accountId === 'M' && !reacted) {
        reacted = true
        engine.placeOrder(order('M', 'sell', '0.2', '101.00'))
      }
    })
    engine.placeOrder(order('M', 'sell', '0.5', '100.00'))
    seen.length = 0
    engine.placeOrder(order('T', 'buy', '0.5', '100.00'))
    expect(errors.length).toBeGreaterThan(0)
    // The whole first call's events come before the nested call's.
    expect(seen).toEqual(['order', 'trade', 'fill', 'order', 'fill', 'order', 'book', 'balance', 'balance', 'order', 'book', 'balance'])
  })

  it('fill and order ids are unique', () => {
    const { engine, order } = setup()
    engine.deposit('M', 'BTC', '10')
    engine.deposit('T', 'USDT', '10000')
    for (let i = 0; i < 5; i++) engine.placeOrder(order('M', 'sell', '0.5', `10${i}.00`))
    const { fills } = engine.placeOrder(order('T', 'buy', '2.5'))
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(5)
    const ids = [...engine.fills('M'), ...engine.fills('T')].map((f) => `${f.tradeId}/${f.venueOrderId}`)
    expect(new Set(ids).size).toBe(10)
    expect(engine.trades('BTC/USDT').map((t) => t.id)).toEqual(fills.map((f) => f.tradeId))
  })
})

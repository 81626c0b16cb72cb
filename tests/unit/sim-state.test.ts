import { describe, expect, it } from 'vitest'
import type { SimMarketSpec, SimOrderInput } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import type { SimEngineState } from '../../src-main/venues/sim/matching/state'
import { BTC_SPEC } from '../support/sim-market'

const BTC: SimMarketSpec = { ...BTC_SPEC, minNotional: '10', takerFee: '0.002' }
const ETH: SimMarketSpec = { ...BTC, symbol: 'ETH/USDT', base: 'ETH', initialPrice: '50.00' }

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0)

function build() {
  let now = T0
  const clock = { now: () => now, set: (t: number) => (now = t) }
  const engine = createMatchingEngine([BTC, ETH], { now: clock.now })
  let n = 0
  const order = (accountId: string, side: 'buy' | 'sell', amount: string, price: string, symbol = 'BTC/USDT'): SimOrderInput => ({
    accountId,
    clientOrderId: `${accountId}-${++n}`,
    symbol,
    side,
    type: 'limit',
    amount,
    price,
    timeInForce: 'GTC',
    postOnly: false,
  })
  for (const a of ['m1', 'm2', 'm3', 't']) {
    engine.deposit(a, 'USDT', '100000')
    engine.deposit(a, 'BTC', '100')
    engine.deposit(a, 'ETH', '100')
  }
  // Trades across several minutes build candles and fills.
  engine.placeOrder(order('m1', 'sell', '1', '101.00'))
  engine.placeOrder(order('t', 'buy', '0.4', '101.00'))
  clock.set(T0 + 61_000)
  engine.placeOrder(order('t', 'buy', '0.6', '101.00'))
  clock.set(T0 + 5 * 60_000)
  engine.placeOrder(order('m2', 'buy', '2', '50.00', 'ETH/USDT'))
  engine.placeOrder(order('t', 'sell', '0.5', '50.00', 'ETH/USDT'))
  // Three makers queued at one price (m2 first, then m3, then m1), and one partially filled.
  engine.placeOrder(order('m2', 'sell', '1', '102.00'))
  engine.placeOrder(order('m3', 'sell', '1', '102.00'))
  engine.placeOrder(order('m1', 'sell', '1', '102.00'))
  engine.placeOrder(order('t', 'buy', '0.3', '102.00'))
  engine.placeOrder(order('m3', 'buy', '1', '99.00'))
  engine.cancelOrder('m3', 'BTC/USDT', { clientOrderId: `m3-${n}` })
  engine.placeOrder(order('m1', 'buy', '1.5', '99.50'))
  return { engine, clock, order }
}

function withoutSavedAt(state: SimEngineState) {
  const { savedAt: _savedAt, ...rest } = state
  return rest
}

describe('snapshot and restore', () => {
  it('round-trips through JSON to an identical engine', () => {
    const { engine, clock } = build()
    const state = engine.snapshot()
    const json = JSON.parse(JSON.stringify(state)) as SimEngineState
    expect(json).toEqual(state)
    const restored = createMatchingEngine([BTC, ETH], { now: clock.now, state: json })
    expect(withoutSavedAt(restored.snapshot())).toEqual(withoutSavedAt(state))
    for (const a of ['m1', 'm2', 'm3', 't']) {
      expect(restored.balances(a)).toEqual(engine.balances(a))
      expect(restored.openOrders(a)).toEqual(engine.openOrders(a))
      expect(restored.fills(a)).toEqual(engine.fills(a))
    }
    for (const s of ['BTC/USDT', 'ETH/USDT']) {
      expect(restored.book(s)).toEqual(engine.book(s))
      expect(restored.trades(s)).toEqual(engine.trades(s))
      expect(restored.candles(s, '1m')).toEqual(engine.candles(s, '1m'))
      expect(restored.candles(s, '1h')).toEqual(engine.candles(s, '1h'))
      expect(restored.ticker(s)).toEqual(engine.ticker(s))
    }
    expect(restored.feesCollected()).toEqual(engine.feesCollected())
    // Finished orders are still found after a restart (reconciliation by client id).
    expect(restored.getOrder('t', 'BTC/USDT', { clientOrderId: 't-2' })).toMatchObject({ status: 'closed', filled: '0.400' })
  })

  it('keeps time priority: the same taker fills the same makers in the same order', () => {
    const { engine, clock, order } = build()
    const restored = createMatchingEngine([BTC, ETH], { now: clock.now, state: engine.snapshot() })
    const a = engine.placeOrder({ ...order('t', 'buy', '2.5', '102.00'), clientOrderId: 'same' })
    const b = restored.placeOrder({ ...order('t', 'buy', '2.5', '102.00'), clientOrderId: 'same' })
    expect(b).toEqual(a)
    // m2 (partly filled before the snapshot) first, then m3, then m1.
    expect(a.fills.map((f) => f.amount)).toEqual(['0.700', '1.000', '0.800'])
    const makers = a.fills.map((f) => engine.fills('m1').concat(engine.fills('m2'), engine.fills('m3')).find((x) => x.tradeId === f.tradeId && x.liquidity === 'maker')?.clientOrderId)
    expect(makers.map((c) => c?.split('-')[0])).toEqual(['m2', 'm3', 'm1'])
    // Ids continue after the restore instead of starting over.
    expect(withoutSavedAt(restored.snapshot())).toEqual(withoutSavedAt(engine.snapshot()))
  })

  it('continues book update ids and candles after a restore', () => {
    const { engine, clock, order } = build()
    const seq = engine.book('BTC/USDT').sequence as number
    const restored = createMatchingEngine([BTC, ETH], { now: clock.now, state: engine.snapshot() })
    const seqs: number[] = []
    restored.on((e) => {
      if (e.type === 'book' && e.symbol === 'BTC/USDT') seqs.push(e.firstSeq)
    })
    restored.placeOrder(order('t', 'buy', '0.1', '100.00'))
    expect(seqs).toEqual([seq + 1])
    const before = restored.candles('BTC/USDT', '1m').length
    restored.placeOrder(order('t', 'buy', '0.1', '102.00')) // same minute as the last candle: updates it
    expect(restored.candles('BTC/USDT', '1m').length).toBe(before)
  })

  it('refuses a state whose locked balances the orders do not explain', () => {
    const { engine } = build()
    const state = engine.snapshot()
    const m1 = state.accounts.find((a) => a.accountId === 'm1')
    if (!m1?.balances.BTC) throw new Error('fixture')
    m1.balances.BTC.locked = '0.5'
    expect(() => createMatchingEngine([BTC, ETH], { state })).toThrow(/locked/)
    expect(() => createMatchingEngine([BTC, ETH], { state: { ...state, version: 99 } as unknown as SimEngineState })).toThrow(/version/)
  })

  it('drops resting orders of a market that is no longer listed and frees their funds', () => {
    const { engine, clock } = build()
    const state = engine.snapshot()
    const eth = engine.openOrders('m2', 'ETH/USDT')[0]
    expect(eth).toMatchObject({ side: 'buy', price: '50.00', filled: '0.500' })
    const restored = createMatchingEngine([BTC], { now: clock.now, state })
    const usdt = (e: typeof engine, a: string) => e.balances(a).find((b) => b.asset === 'USDT')
    // 1.5 ETH remained at 50: 75 USDT back to free.
    expect(Number(usdt(restored, 'm2')?.free)).toBeCloseTo(Number(usdt(engine, 'm2')?.free) + 75, 9)
    expect(restored.openOrders('m2', 'ETH/USDT')).toEqual([])
    expect(restored.markets().map((m) => m.symbol)).toEqual(['BTC/USDT'])
  })

  it('bounds fills per account', () => {
    let now = T0
    const engine = createMatchingEngine([BTC], { now: () => now, limits: { fillsPerAccount: 3 } })
    engine.deposit('m', 'BTC', '10')
    engine.deposit('t', 'USDT', '10000')
    for (let i = 0; i < 5; i++) {
      now += 1000
      engine.placeOrder({ accountId: 'm', clientOrderId: `m${i}`, symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.2', price: '100.00', timeInForce: 'GTC', postOnly: false })
      engine.placeOrder({ accountId: 't', clientOrderId: `t${i}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.2', timeInForce: 'GTC', postOnly: false })
    }
    expect(engine.fills('t').map((f) => f.clientOrderId)).toEqual(['t2', 't3', 't4'])
    expect(engine.snapshot().accounts.find((a) => a.accountId === 't')?.fills).toHaveLength(3)
  })
})

import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { SimMarketSpec } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SkipList } from '../../src-main/venues/sim/matching/skip-list'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'
import { BTC_SPEC } from '../support/sim-market'

const SPEC: SimMarketSpec = { ...BTC_SPEC, minNotional: '1' }

const T0 = Date.UTC(2025, 0, 1) // midnight UTC: aligned for every timeframe
const MIN = 60_000

function market() {
  let now = T0
  const engine = createMatchingEngine([SPEC], { now: () => now })
  engine.deposit('m', 'BTC', '1000')
  engine.deposit('t', 'USDT', '1000000')
  let n = 0
  const trade = (at: number, price: string, amount: string) => {
    now = at
    engine.placeOrder({ accountId: 'm', clientOrderId: `m${++n}`, symbol: SPEC.symbol, side: 'sell', type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
    engine.placeOrder({ accountId: 't', clientOrderId: `t${n}`, symbol: SPEC.symbol, side: 'buy', type: 'market', amount, timeInForce: 'GTC', postOnly: false })
  }
  return { engine, trade, at: (t: number) => (now = t) }
}

describe('trades, candles and ticker', () => {
  it('builds candles of every timeframe from trades and fills gaps with flat candles', () => {
    const { engine, trade } = market()
    trade(T0 + 10_000, '100.00', '1')
    trade(T0 + 20_000, '102.00', '0.5')
    trade(T0 + 50_000, '99.00', '0.25')
    trade(T0 + 3 * MIN + 5_000, '101.00', '1')
    expect(engine.candles(SPEC.symbol, '1m')).toEqual([
      { time: T0, open: '100.00', high: '102.00', low: '99.00', close: '99.00', volume: '1.750' },
      { time: T0 + MIN, open: '99.00', high: '99.00', low: '99.00', close: '99.00', volume: '0.000' },
      { time: T0 + 2 * MIN, open: '99.00', high: '99.00', low: '99.00', close: '99.00', volume: '0.000' },
      { time: T0 + 3 * MIN, open: '101.00', high: '101.00', low: '101.00', close: '101.00', volume: '1.000' },
    ])
    const whole = { time: T0, open: '100.00', high: '102.00', low: '99.00', close: '101.00', volume: '2.750' }
    for (const tf of ['5m', '15m', '1h', '4h', '1d'] as const) expect(engine.candles(SPEC.symbol, tf)).toEqual([whole])
    expect(engine.candles(SPEC.symbol, '1m', { since: T0 + MIN, limit: 2 }).map((c) => c.time)).toEqual([T0 + MIN, T0 + 2 * MIN])
    expect(engine.candles(SPEC.symbol, '1m', { limit: 1 }).map((c) => c.time)).toEqual([T0 + 3 * MIN])
    expect(() => engine.candles(SPEC.symbol, '2m' as '1m')).toThrow(/timeframe/)
  })

  it('keeps the trade tape oldest first, with the taker side', () => {
    const { engine, trade } = market()
    trade(T0 + 1000, '100.00', '1')
    trade(T0 + 2000, '100.50', '0.2')
    trade(T0 + 3000, '100.70', '0.3')
    expect(engine.trades(SPEC.symbol, 2).map((t) => [t.price, t.amount, t.side, t.timestamp])).toEqual([
      ['100.50', '0.200', 'buy', T0 + 2000],
      ['100.70', '0.300', 'buy', T0 + 3000],
    ])
    expect(engine.trades(SPEC.symbol)).toHaveLength(3)
  })

  it('computes a 24 h rolling ticker and lets old minutes fall out of the window', () => {
    const { engine, trade, at } = market()
    expect(engine.ticker(SPEC.symbol)).toMatchObject({ last: '100.00', high24h: null, volume24h: '0', changePct24h: null })
    trade(T0 + 10_000, '100.00', '1')
    trade(T0 + 20_000, '102.00', '0.5')
    trade(T0 + 50_000, '99.00', '0.25')
    trade(T0 + 3 * MIN + 5_000, '101.00', '1')
    engine.placeOrder({ accountId: 'm', clientOrderId: 'ask', symbol: SPEC.symbol, side: 'sell', type: 'limit', amount: '1', price: '101.50', timeInForce: 'GTC', postOnly: false })
    engine.placeOrder({ accountId: 't', clientOrderId: 'bid', symbol: SPEC.symbol, side: 'buy', type: 'limit', amount: '1', price: '100.90', timeInForce: 'GTC', postOnly: false })
    at(T0 + 3 * MIN + 30_000)
    expect(engine.ticker(SPEC.symbol)).toEqual({
      symbol: SPEC.symbol,
      last: '101.00',
      bid: '100.90',
      ask: '101.50',
      high24h: '102.00',
      low24h: '99.00',
      volume24h: '2.75',
      changePct24h: '1.00', // (101 - 100) / 100
      timestamp: T0 + 3 * MIN + 30_000,
    })
    // A day later the first minute has left the window.
    at(T0 + 24 * 60 * MIN + MIN + 30_000) // window starts at T0 + 2m: the flat 99 candle and the 101 one
    expect(engine.ticker(SPEC.symbol)).toMatchObject({ last: '101.00', high24h: '101.00', low24h: '99.00', volume24h: '1', changePct24h: '2.02' })
    at(T0 + 24 * 60 * MIN + 4 * MIN)
    expect(engine.ticker(SPEC.symbol)).toMatchObject({ last: '101.00', high24h: null, low24h: null, volume24h: '0', changePct24h: null })
  })

  it('updates the cached ticker within the minute as trades arrive', () => {
    const { engine, trade } = market()
    trade(T0 + 1000, '100.00', '1')
    expect(engine.ticker(SPEC.symbol)).toMatchObject({ high24h: '100.00', volume24h: '1' })
    trade(T0 + 2000, '105.00', '2')
    expect(engine.ticker(SPEC.symbol)).toMatchObject({ last: '105.00', high24h: '105.00', low24h: '100.00', volume24h: '3', changePct24h: '5.00' })
  })
})

describe('skip list', () => {
  it('matches a sorted reference under random inserts and deletes', () => {
    const list = new SkipList<number>()
    const ref = new Map<number, number>()
    let seed = 12345
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    for (let i = 0; i < 5000; i++) {
      const key = Math.floor(rnd() * 500) - 250
      if (rnd() < 0.6) {
        list.set(key, i)
        ref.set(key, i)
      } else {
        expect(list.delete(key)).toBe(ref.delete(key))
      }
      if (i % 250 === 0) {
        const keys = [...ref.keys()].sort((a, b) => a - b)
        expect([...list.values()]).toEqual(keys.map((k) => ref.get(k)))
        expect(list.first()).toBe(keys.length ? ref.get(keys[0] as number) : undefined)
        expect(list.size).toBe(ref.size)
        expect(list.get(key)).toBe(ref.get(key))
      }
    }
  })
})

describe('default markets', () => {
  it('lists the core markets with consistent filters', () => {
    const symbols = defaultSimMarkets.map((m) => m.symbol)
    for (const s of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'ETH/BTC']) expect(symbols).toContain(s)
    for (const m of defaultSimMarkets) {
      expect(m.symbol).toBe(`${m.base}/${m.quote}`)
      const tick = new Decimal(m.tickSize)
      const step = new Decimal(m.stepSize)
      expect(new Decimal(m.initialPrice).mod(tick).isZero(), m.symbol).toBe(true)
      expect(new Decimal(m.minAmount).mod(step).isZero(), m.symbol).toBe(true)
      // The smallest order allowed is a small fraction of the price, as on a real venue.
      expect(new Decimal(m.minNotional).div(m.initialPrice).lt(1000), m.symbol).toBe(true)
      expect(Number(m.makerFee)).toBeLessThanOrEqual(0.002)
      expect(Number(m.takerFee)).toBeLessThanOrEqual(0.002)
    }
    const engine = createMatchingEngine(defaultSimMarkets)
    expect(engine.markets()).toEqual(defaultSimMarkets)
  })

  it('refuses malformed specs', () => {
    expect(() => createMatchingEngine([SPEC, SPEC])).toThrow(/twice/)
    expect(() => createMatchingEngine([{ ...SPEC, tickSize: '0' }])).toThrow(/tickSize/)
    expect(() => createMatchingEngine([{ ...SPEC, quote: 'BTC' }])).toThrow(/different/)
  })
})

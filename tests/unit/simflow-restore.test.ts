import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { createSimMarket, createSimMarketRuntime, VirtualClock } from '../../src-main/venues/sim/flow'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'
import { createMatchingEngine, type SimEngineState, type SimMatchingEngine } from '../../src-main/venues/sim/matching/engine'

const START = Date.UTC(2026, 0, 5, 12, 0, 0)

function money(engine: SimMatchingEngine, accounts: string[]): Record<string, string> {
  const sum = new Map<string, Decimal>()
  const add = (asset: string, amount: string) => sum.set(asset, (sum.get(asset) ?? new Decimal(0)).plus(amount))
  for (const id of accounts) for (const b of engine.balances(id)) add(b.asset, b.total)
  for (const [asset, amount] of Object.entries(engine.feesCollected())) add(asset, amount)
  return Object.fromEntries([...sum.entries()].sort().map(([a, d]) => [a, d.toFixed()]))
}

describe('synthetic market on a restored engine', () => {
  it('picks up from the saved prices and balances without minting money or leaving stale orders', () => {
    const first = createSimMarket({ seed: 5, startTime: START })
    first.advance(60_000)
    const accounts = first.accounts().map((a) => a.id)
    const state: SimEngineState = (first.engine as SimMatchingEngine).snapshot()
    const lastBtc = Number(first.engine.ticker('BTC/USDT').last)
    const staleOrders = first.engine.openOrders('mm:BTC/USDT').map((o) => o.venueOrderId)
    expect(staleOrders.length).toBeGreaterThan(0)

    const clock = new VirtualClock(state.savedAt + 30_000)
    const engine = createMatchingEngine(defaultSimMarkets, { state, now: () => clock.now() })
    const before = money(engine, accounts)
    const second = createSimMarketRuntime({ engine, clock, seed: 6 })
    expect(second.fairPrice('BTC/USDT')).toBeCloseTo(lastBtc, 6)
    second.advance(60_000)

    expect(second.deposits()).toEqual({})
    expect(money(engine, accounts)).toEqual(before)
    const open = new Set(engine.openOrders('mm:BTC/USDT').map((o) => o.venueOrderId))
    for (const id of staleOrders) expect(open.has(id)).toBe(false)
    expect(second.stats().errors).toBe(0)
    expect(second.traders().length).toBe(first.traders().length)
    const top = engine.book('BTC/USDT', 1)
    expect(Number(top.asks[0]?.[0])).toBeGreaterThan(Number(top.bids[0]?.[0]))
  })

  it('tops up a drained flow account and counts the top-up as a deposit', () => {
    const clock = new VirtualClock(START)
    const engine = createMatchingEngine(defaultSimMarkets, { now: () => clock.now() })
    engine.deposit('taker:BTC/USDT', 'USDT', '1')
    const runtime = createSimMarketRuntime({ engine, clock, seed: 1, symbols: ['BTC/USDT'], traders: false })
    runtime.advance(30_000)
    const deposits = runtime.deposits()
    expect(Number(deposits.USDT)).toBeGreaterThan(1e7)
    const totals = money(engine, runtime.accounts().map((a) => a.id))
    expect(totals.USDT).toBe(new Decimal(deposits.USDT ?? '0').plus(1).toFixed())
    expect(totals.BTC).toBe(new Decimal(deposits.BTC ?? '0').toFixed())
  })

  it('refuses an engine that does not read the runtime clock', () => {
    const clock = new VirtualClock(START)
    const engine = createMatchingEngine(defaultSimMarkets, { now: () => START + 1 })
    expect(() => createSimMarketRuntime({ engine, clock })).toThrow(/clock/)
  })
})

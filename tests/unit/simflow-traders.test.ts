import Decimal from 'decimal.js'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SimMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { createSimMarket, type SimMarketRuntime } from '../../src-main/venues/sim/flow'
import { simTraders } from '../../src-main/venues/sim/traders'

const START = Date.UTC(2026, 0, 5, 9, 0, 0)

describe('simulated traders registry', () => {
  it('lists at least eight traders with distinct styles, names and one-line descriptions', () => {
    expect(simTraders.length).toBeGreaterThanOrEqual(8)
    expect(new Set(simTraders.map((t) => t.style)).size).toBeGreaterThanOrEqual(8)
    expect(new Set(simTraders.map((t) => t.id)).size).toBe(simTraders.length)
    expect(new Set(simTraders.map((t) => t.name)).size).toBe(simTraders.length)
    for (const t of simTraders) {
      expect(t.id).toBe(`trader:${t.slug}`)
      expect(t.slug).toMatch(/^[a-z0-9-]+$/)
      expect(t.description.length).toBeGreaterThan(20)
      expect(t.description).not.toContain('\n')
      expect(t.symbols.length).toBeGreaterThan(0)
      expect(Object.keys(t.startingBalances).length).toBeGreaterThan(0)
      // Plain data: the UI and copy-trading can serialise it.
      expect(JSON.parse(JSON.stringify(t))).toEqual(t)
    }
  })
})

describe('a simulated hour with every trader on the default markets', () => {
  let runtime: SimMarketRuntime
  const feesFromFills = new Map<string, Decimal>()
  const traderOrders = new Map<string, number>()

  beforeAll(() => {
    runtime = createSimMarket({ seed: 42, startTime: START, intensity: 0.5 })
    runtime.engine.on((event) => {
      if (event.type === 'fill') {
        const { asset, amount } = event.fill.fee
        feesFromFills.set(asset, (feesFromFills.get(asset) ?? new Decimal(0)).plus(amount))
      }
      if (event.type === 'order' && event.accountId.startsWith('trader:') && event.order.status === 'open') {
        traderOrders.set(event.accountId, (traderOrders.get(event.accountId) ?? 0) + 1)
      }
    })
    runtime.advance(3_600_000)
  }, 300_000)

  it('runs every registered trader', () => {
    expect(runtime.traders().map((t) => t.id).sort()).toEqual(simTraders.map((t) => t.id).sort())
  })

  it('every trader places orders and gets fills within the hour, and nothing throws', () => {
    for (const t of runtime.traders()) {
      expect(t.ordersPlaced, t.id).toBeGreaterThan(0)
      expect(traderOrders.get(t.id) ?? 0, t.id).toBeGreaterThan(0)
      expect(t.fills, t.id).toBeGreaterThan(0)
      expect(runtime.engine.fills(t.id).length, t.id).toBeGreaterThan(0)
      expect(t.lastAction, t.id).not.toBeNull()
      expect(Number.isFinite(t.equityUsd) && t.equityUsd > 0, t.id).toBe(true)
    }
    expect(runtime.stats().errors).toBe(0)
  })

  it('traders respect their balances: nothing negative, refusals are rare', () => {
    for (const t of runtime.traders()) {
      for (const b of runtime.engine.balances(t.id)) {
        expect(new Decimal(b.free).isNegative(), `${t.id} ${b.asset}`).toBe(false)
        expect(new Decimal(b.used).isNegative(), `${t.id} ${b.asset}`).toBe(false)
      }
      const counters = runtime.agentCounters(t.id)
      expect(counters?.rejectReasons['insufficient-funds'] ?? 0, t.id).toBeLessThanOrEqual(Math.max(2, t.ordersPlaced * 0.02))
    }
  })

  it('creates and destroys no money: balances plus fees equal deposits, exactly, for every asset', () => {
    const deposits = runtime.deposits()
    const engine = runtime.engine as SimMatchingEngine
    const fees = engine.feesCollected()
    const held = new Map<string, Decimal>()
    for (const account of runtime.accounts()) {
      for (const b of runtime.engine.balances(account.id)) {
        held.set(b.asset, (held.get(b.asset) ?? new Decimal(0)).plus(b.total))
      }
    }
    expect(Object.keys(deposits).sort()).toEqual([...held.keys()].sort())
    for (const [asset, deposited] of Object.entries(deposits)) {
      const fromFills = feesFromFills.get(asset) ?? new Decimal(0)
      expect(fromFills.toFixed(), asset).toBe(new Decimal(fees[asset] ?? '0').toFixed())
      const total = (held.get(asset) ?? new Decimal(0)).plus(fromFills)
      expect(total.toFixed(), asset).toBe(new Decimal(deposited).toFixed())
    }
    // And the market really traded: fees were paid in every asset.
    for (const asset of Object.keys(deposits)) expect(new Decimal(fees[asset] ?? '0').gt(0), asset).toBe(true)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { tempCore } from '../support/temp-core'
import { commandValue } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { BalancesView, MarketView, SimTraderDetail, SimTraderView, VenueBalances, VenueView } from '../../src-main/api/contract'

const ctx = { door: 'test' } as const
let cores: Core[] = []
const open = (...args: Parameters<typeof tempCore>) => {
  const core = tempCore(...args)
  cores.push(core)
  return core
}
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

describe('venues on the embedded simulated exchange', () => {
  it('starts with the simulated exchange live and a 10,000 USDT paper balance', async () => {
    const core = open()
    const venues = await commandValue<VenueView[]>(core, 'venues.list')
    expect(venues).toEqual([
      expect.objectContaining({ id: 'sim', kind: 'simulated', connection: 'live', marketCount: 5 }),
    ])
    const balances = await commandValue<BalancesView>(core, 'balances.list')
    expect(balances.venues[0]).toMatchObject({
      venueId: 'sim',
      balances: [{ asset: 'USDT', free: '10000', used: '0', total: '10000', value: '10000' }],
      value: '10000',
      error: null,
    })
    expect(balances.totals).toEqual([{ asset: 'USDT', total: '10000', value: '10000', notValued: '0' }])
    expect(balances.totalValue).toBe('10000')
  })

  it('searches markets across venues with live prices from the engine', async () => {
    const core = open()
    core.sim.runtime.advance(60_000)
    const btc = await commandValue<MarketView[]>(core, 'markets.search', { query: 'btc' })
    expect(btc.map((m) => m.symbol).sort()).toEqual(['BTC/USDT', 'ETH/BTC'])
    const btcUsdt = btc.find((m) => m.symbol === 'BTC/USDT')!
    expect(btcUsdt.last).toBe(core.sim.engine.ticker('BTC/USDT').last)
    expect(Number(btcUsdt.last)).toBeGreaterThan(0)
    expect(await commandValue<MarketView[]>(core, 'markets.search', { query: 'sol-usdt' })).toHaveLength(1)
    expect(await commandValue<MarketView[]>(core, 'markets.search', { query: 'nothing' })).toEqual([])
    const missing = await core.router.invoke('markets.search', { query: '', venueId: 'kraken-main' }, ctx)
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'No venue "kraken-main"' } })
  })

  it('values holdings exactly at the last prices and totals them', async () => {
    const core = open()
    core.sim.runtime.advance(30_000)
    await core.sim.paper.placeOrder({
      clientOrderId: 't1', symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: '0.5', timeInForce: 'IOC', postOnly: false,
    })
    const view = await commandValue<BalancesView>(core, 'balances.list')
    const eth = view.venues[0]!.balances.find((b) => b.asset === 'ETH')!
    const usdt = view.venues[0]!.balances.find((b) => b.asset === 'USDT')!
    const last = core.sim.engine.ticker('ETH/USDT').last
    expect(eth.value).toBe(new Decimal(eth.total).times(last).toDecimalPlaces(8).toFixed())
    expect(view.totalValue).toBe(new Decimal(eth.value!).plus(usdt.value!).toFixed())
    expect(new Decimal(eth.total).lt('0.5')).toBe(true) // the taker fee is paid in ETH
  })

  it('resets the paper balance, records it, and refuses a bad amount without changing anything', async () => {
    const core = open()
    const reset = await commandValue<VenueBalances>(core, 'paper.reset', { amount: '2500.5' })
    expect(reset.balances).toEqual([{ asset: 'USDT', free: '2500.5', used: '0', total: '2500.5', value: '2500.5' }])
    for (const amount of ['-5', 'abc', '0', '1e6']) {
      const bad = await core.router.invoke('paper.reset', { amount }, ctx)
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    }
    expect(core.sim.engine.balances('paper')).toEqual([{ asset: 'USDT', free: '2500.5', used: '0', total: '2500.5' }])
    const activity = await commandValue<{ message: string }[]>(core, 'activity.recent')
    expect(activity.map((a) => a.message)).toContain('Simulated exchange balance reset to 2500.5 USDT')
  })

  it('keeps the paper balance and the simulated traders history across a restart', { timeout: 30_000 }, async () => {
    const first = open()
    first.sim.runtime.advance(10 * 60_000)
    await first.sim.paper.placeOrder({
      clientOrderId: 't2', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.01', timeInForce: 'IOC', postOnly: false,
    })
    const paperBefore = first.sim.engine.balances('paper')
    const traderIds = first.sim.runtime.traders().map((t) => t.id)
    const fillsOf = (core: Core) => traderIds.reduce((n, id) => n + core.sim.engine.fills(id).length, 0)
    const traderFills = fillsOf(first)
    expect(traderFills).toBeGreaterThan(0)
    await first.stop()
    cores = cores.filter((c) => c !== first)

    const second = open({ dataDir: first.dataDir })
    expect(second.sim.engine.balances('paper')).toEqual(paperBefore)
    expect(second.sim.engine.fills('paper')).toHaveLength(first.sim.engine.fills('paper').length)
    expect(fillsOf(second)).toBe(traderFills)
  })

  it('lists at least eight simulated traders with distinct styles and exact equity', { timeout: 30_000 }, async () => {
    const core = open()
    core.sim.runtime.advance(5 * 60_000)
    const traders = await commandValue<SimTraderView[]>(core, 'sim.traders')
    expect(traders.length).toBeGreaterThanOrEqual(8)
    expect(new Set(traders.map((t) => t.style)).size).toBeGreaterThanOrEqual(8)
    expect(traders.some((t) => t.fills > 0)).toBe(true)
    for (const t of traders) {
      expect(new Decimal(t.equity).minus(t.startEquity).toFixed(2)).toBe(t.pnl)
    }
    const active = traders.find((t) => t.fills > 0)!
    const detail = await commandValue<SimTraderDetail>(core, 'sim.trader', { id: active.id })
    expect(detail.trader.id).toBe(active.id)
    expect(detail.recentFills.length).toBeGreaterThan(0)
    expect(await core.router.invoke('sim.trader', { id: 'trader:nobody' }, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('pushes the paper balances on the balances.changed stream when they change', async () => {
    const core = open()
    core.sim.runtime.advance(30_000)
    const seen: VenueBalances[] = []
    const opened = core.streams.open('balances.changed', {}, (p) => seen.push(p as VenueBalances))
    expect(opened.ok).toBe(true)
    await core.sim.paper.placeOrder({
      clientOrderId: 't3', symbol: 'SOL/USDT', side: 'buy', type: 'market', amount: '1', timeInForce: 'IOC', postOnly: false,
    })
    await new Promise((r) => setTimeout(r, 400))
    expect(seen.length).toBe(1)
    expect(seen[0]!.balances.map((b) => b.asset).sort()).toEqual(['SOL', 'USDT'])
  })
})

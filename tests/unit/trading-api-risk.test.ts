import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { ConditionalView, KillSwitchResult, OrderView, RiskView, TicketPreview } from '../../src-main/api/contract'
import { orders as ordersTable } from '../../src-main/trading/orders/tables'

// Risk and the kill switch through the contract, on a real engine with the simulated exchange held still.

const ctx = { door: 'test' } as const
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(60_000) // a book to trade against (BTC/USDT near 95000)
})
afterEach(async () => {
  await core.stop()
})

const { call, ok } = contractCalls(() => core, ctx)
const limitBuy = (price: string) => ({ venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price, size: { unit: 'base', value: '0.001' } }) as const
const openOnVenue = async () => (await core.venues.open('sim')).fetchOpenOrders()
const storedOrders = () => core.store.db.select().from(ordersTable).all().length

describe('kill switch end to end', () => {
  it('disarms the conditional order, cancels every open order, refuses new ones until resumed', async () => {
    await ok('orders.submit', limitBuy('80000.00'))
    await ok('orders.submit', limitBuy('81000.00'))
    const stop = (await ok('conditional.create', {
      type: 'single',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      leg: { kind: 'stop-market', side: 'buy', amount: '0.001', triggerPrice: '120000.00', trigger: 'mid' },
    })) as ConditionalView[]
    expect(stop.map((c) => c.status)).not.toContain('canceled')
    expect(await openOnVenue()).toHaveLength(2)
    const riskViews: RiskView[] = []
    const opened = core.streams.open('risk.changed', {}, (v) => riskViews.push(v as RiskView))
    if (!opened.ok) throw new Error('no risk stream')

    const result = (await ok('trading.killSwitch', {})) as KillSwitchResult
    expect(result).toEqual({ disarmed: 1, canceled: 2, partlyFilled: [], awaiting: [], ended: [], failed: [], at: expect.any(Number) })

    expect(await ok('orders.list', {})).toEqual([])
    expect(await openOnVenue()).toEqual([])
    expect(await ok('conditional.list', {})).toEqual([])
    const history = (await ok('conditional.list', { scope: 'history' })) as ConditionalView[]
    expect(history.map((c) => [c.id, c.status])).toEqual([[stop[0]?.id, 'canceled']])
    expect(riskViews.at(-1)).toMatchObject({ halted: true, haltedAt: result.at })

    const since = new Date(result.at).toISOString().slice(11, 19)
    const halted = `Trading is halted by the kill switch since ${since} UTC; resume it in Risk`
    const before = storedOrders()
    expect(await call('orders.submit', limitBuy('80000.00'))).toEqual({ ok: false, error: { code: 'CONFLICT', message: halted } })
    expect(await call('positions.flatten', { venueId: 'sim', symbol: 'BTC/USDT' })).toMatchObject({ ok: false })
    expect(((await ok('orders.preview', limitBuy('80000.00'))) as TicketPreview).problems).toEqual([{ field: 'risk', message: halted }])
    expect(storedOrders()).toBe(before)
    expect(await openOnVenue()).toEqual([])

    expect(await ok('trading.resume', {})).toMatchObject({ halted: false, haltedAt: null })
    expect(((await ok('orders.submit', limitBuy('80000.00'))) as OrderView).status).toBe('open')
    opened.value()
  })

  it('risk.set stores the limits and the gate refuses an order over them, storing nothing', async () => {
    const view = await ok('risk.set', { maxOrderNotional: '50', maxPositionNotional: null, priceBandPct: '5', dailyLossLimit: null, expectedVersion: 0 })
    expect(view).toEqual({ maxOrderNotional: '50', maxPositionNotional: null, priceBandPct: '5', dailyLossLimit: null, halted: false, haltedAt: null, version: 1 })
    expect(await ok('risk.get', {})).toEqual(view)
    const before = storedOrders()
    // 0.001 × 94000 = 94 USDT; and 50000 is far outside the 5 % band
    const over = await call('orders.submit', limitBuy('94000.00'))
    expect(over).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'Order value 94 USDT is above the max order notional 50 USDT' } })
    const band = await call('orders.submit', { ...limitBuy('50000.00'), size: { unit: 'base', value: '0.0001' } })
    expect(band.ok).toBe(false)
    if (!band.ok) expect(band.error.message).toMatch(/^Limit price 50000\.00 is 4\d\.\d+% below the mid 9\d{4}(\.\d+)?: outside the price band of 5%$/)
    expect(storedOrders()).toBe(before)
    expect(await openOnVenue()).toEqual([])
  })
})

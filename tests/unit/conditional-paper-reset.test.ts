import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, input, oco, SELL_OCO, VENUE } from './conditional-harness'

// "Reset paper balance" starts the paper account over: the stops and take-profits sized for the old
// holdings must not stay armed and sell out of a position bought after the reset.

afterEach(closeStores)

const REASON = 'the Simulated exchange balance was reset'

describe('paper reset', () => {
  it("cancels that account's armed orders with the reason, and they never fire", async () => {
    const h = await harness()
    h.ticks.price('100')
    await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    await oco(h, SELL_OCO)
    h.bus.emit('paperReset', { venueId: VENUE, amount: '10000', asset: 'USDT' })
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    const history = h.engine.list({ scope: 'history', limit: 10 })
    expect(history).toHaveLength(3)
    for (const v of history) expect(v).toMatchObject({ status: 'canceled', reason: REASON })
    for (const p of ['90', '130']) h.ticks.price(p)
    expect(h.gateway.submits).toHaveLength(0)
  })

  it("leaves other venues' orders armed", async () => {
    const h = await harness()
    h.ticks.price('100')
    await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    h.bus.emit('paperReset', { venueId: 'paper-elsewhere', amount: '10000', asset: 'USDT' })
    expect(h.engine.list({ scope: 'active', limit: 10 })).toHaveLength(1)
  })

  it('stays canceled after a restart', async () => {
    const h = await harness()
    h.ticks.price('100')
    await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    h.bus.emit('paperReset', { venueId: VENUE, amount: '10000', asset: 'USDT' })
    const h2 = await h.restart()
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    h2.ticks.price('90')
    expect(h2.gateway.submits).toHaveLength(0)
  })
})

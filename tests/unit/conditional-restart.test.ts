import { afterEach, describe, expect, it } from 'vitest'
import { bracket, closeStores, FakeGateway, harness, input, oco, rowOf, SELL_OCO, VENUE, viewOf } from './conditional-harness'

// Conditional orders live in SQLite and re-arm on start: a new engine over the same database resumes a
// trailing stop from its stored reference, re-links OCO pairs, follows triggered legs and bracket entries.
// And the kill switch disarms everything.

afterEach(closeStores)

describe('restart', () => {
  it('a new engine resumes the trailing reference (written once a second and at stop) and fires from it', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [view] = await h.engine.create(
      input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '5' } } }),
    )
    const id = view?.id as string
    h.ticks.price('120')
    expect(rowOf(h, id).trailing_reference).toBe('100') // not on every tick
    h.timers.run(1000)
    expect(rowOf(h, id)).toMatchObject({ trailing_reference: '120', trailing_activated: 1 })
    h.ticks.price('121')
    const h2 = await h.restart() // stop() writes 121
    expect(h2.logs).toContain('Conditional orders re-armed on start: 1')
    expect(viewOf(h2, id)).toMatchObject({ status: 'armed', trailing: { activated: true, reference: '121' }, triggerPrice: '114.95' })
    // A fresh trail from 116 would fire at 110.2; the resumed one fires at 121 × 0.95 = 114.95.
    for (const p of ['116', '114.96']) h2.ticks.price(p)
    expect(h2.gateway.submits).toHaveLength(0)
    h2.ticks.price('114.95')
    expect(h2.gateway.submits).toHaveLength(1)
    expect(h2.gateway.last).toMatchObject({ side: 'sell', amount: '1', origin: { ref: id } })
  })

  it('an OCO re-arms as a pair: one leg triggering cancels the other', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    const h2 = await h.restart()
    expect(h2.logs).toContain('Conditional orders re-armed on start: 2')
    for (const p of ['100', '94']) h2.ticks.price(p)
    expect(h2.gateway.submits).toHaveLength(1)
    expect(viewOf(h2, tp).status).toBe('canceled')
    expect(viewOf(h2, sl).status).toBe('triggered')
  })

  it('a leg that triggered but whose order never reached the gateway is sent at start with the same client id', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [view] = await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    h.gateway.hangNext = true // the process dies while sending: the gateway wrote nothing
    h.ticks.price('94')
    const clientOrderId = rowOf(h, view?.id as string).client_order_id as string
    expect(clientOrderId).toMatch(/^[A-Za-z0-9]{1,32}$/)
    const fresh = new FakeGateway(h.bus)
    const h2 = await h.restart({ gateway: fresh })
    expect(fresh.submits).toHaveLength(1)
    expect(fresh.last).toMatchObject({ clientOrderId, side: 'sell', amount: '1', type: 'market' })
    fresh.fill(clientOrderId, '1', '94')
    expect(viewOf(h2, view?.id as string).status).toBe('done')
  })

  it('a triggered leg whose order filled while the engine was down ends done; its partner does not re-arm', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    h.ticks.price('110')
    h.engine.stop()
    // The fill arrives while no engine listens.
    const order = h.gateway.last.clientOrderId as string
    h.gateway.fill(order, '1', '110')
    const h2 = await h.restart()
    expect(viewOf(h2, tp).status).toBe('done')
    expect(viewOf(h2, sl).status).toBe('canceled')
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('a bracket restored with 0.3 of its entry filled stays armed for 0.3 and grows with the entry', async () => {
    const h = await harness()
    h.ticks.price('100')
    const { tp, sl, entry } = await bracket(h)
    h.gateway.fill(entry, '0.3')
    const h2 = await h.restart()
    expect(viewOf(h2, tp)).toMatchObject({ status: 'armed', amount: '0.3' })
    h2.gateway.fill(entry, '0.7')
    expect(viewOf(h2, sl)).toMatchObject({ status: 'armed', amount: '1' })
  })

  it('a bracket whose entry never reached the gateway is canceled at start (no exit without an entry)', async () => {
    const h = await harness()
    h.ticks.price('100')
    h.gateway.hangNext = true
    void bracket(h)
    await h.settle()
    expect(h.rows()).toBe(2)
    const h2 = await h.restart({ gateway: new FakeGateway(h.bus) })
    const history = h2.engine.list({ scope: 'history', limit: 10 })
    expect(history.map((v) => [v.status, v.reason])).toEqual([
      ['canceled', 'the entry order was never sent (the engine stopped while sending it)'],
      ['canceled', 'the entry order was never sent (the engine stopped while sending it)'],
    ])
  })
})

describe('restart with the venue unreachable', () => {
  it('restored orders wait for the market rules, say so, and arm when they load', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [view] = await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    const id = view?.id as string
    const down = { value: true }
    const h2 = await h.restart({ down })
    expect(viewOf(h2, id)).toMatchObject({ status: 'waiting', reason: 'waiting for the market rules: Could not load the markets of Sim: connect ECONNREFUSED' })
    h2.ticks.price('90')
    expect(h2.gateway.submits).toHaveLength(0)
    down.value = false
    h2.timers.run(15_000)
    await h2.settle()
    // Armed with the rules, and the current price (already past the stop) fires it at once.
    expect(h2.gateway.submits).toHaveLength(1)
    expect(viewOf(h2, id).status).toBe('triggered')
  })
})

describe('kill switch', () => {
  it('disarmAll cancels every armed and waiting order; nothing fires afterwards, no partner re-arms', async () => {
    const h = await harness()
    h.ticks.price('100')
    const single = (leg: Record<string, unknown>) => h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg }))
    await single({ kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    await single({ kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '1' }, activationPrice: '130' })
    const oco = await h.engine.create(
      input({
        type: 'oco',
        venueId: VENUE,
        symbol: 'BTC/USDT',
        legs: [
          { kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' },
          { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '90' },
        ],
      }),
    )
    h.ticks.price('110') // the OCO's take-profit is out, its stop canceled by it
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.engine.disarmAll()).toBe(2)
    const active = h.engine.list({ scope: 'active', limit: 10 })
    expect(active.map((v) => v.status)).toEqual(['triggered'])
    // The take-profit's order is canceled by the kill switch too: its partner must stay canceled.
    h.gateway.end(h.gateway.last.clientOrderId as string, 'canceled')
    expect(viewOf(h, oco[1]?.id as string)).toMatchObject({ status: 'canceled' })
    for (const p of ['80', '140', '100']) h.ticks.price(p)
    expect(h.gateway.submits).toHaveLength(1)
    const history = h.engine.list({ scope: 'history', limit: 10 })
    expect(history.filter((v) => v.reason === 'disarmed by the kill switch')).toHaveLength(2)
    expect(h.ticks.watchers()).toBe(0)
  })

  it('reacts to killSwitchEngaged on the bus', async () => {
    const h = await harness()
    h.ticks.price('100')
    await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' } }))
    h.bus.emit('killSwitchEngaged', { at: 1 })
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    h.ticks.price('90')
    expect(h.gateway.submits).toHaveLength(0)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, input, rejection, single, VENUE, viewOf, type Harness } from './conditional-harness'

// A conditional order whose trigger the market has already crossed would fire the moment it is armed: a
// typo (a buy take-profit at 1000 with the price at 100) would be an instant market order. Creating one is
// refused, as moving one there is; so is a bracket whose entry limit fills at once with an exit already crossed.

afterEach(closeStores)

function bracket(h: Harness, entry: Record<string, unknown>, tp: string, sl: string) {
  return h.engine.create(
    input({ type: 'bracket', venueId: VENUE, symbol: 'BTC/USDT', entry: { type: 'limit', size: { unit: 'base', value: '1' }, ...entry }, takeProfit: { triggerPrice: tp }, stopLoss: { triggerPrice: sl } }),
  )
}

describe('creating a conditional order past its trigger', () => {
  it('a buy take-profit at 1000 with the price at 100 is refused, nothing sent or stored', async () => {
    const h = await harness()
    h.ticks.price('100')
    expect(await rejection(single(h, { kind: 'take-profit-market', side: 'buy', amount: '1', triggerPrice: '1000' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trigger price 1000 is already crossed: the price is 100, and this buy take-profit fires at or below its trigger. Choose a trigger below 100',
    })
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.rows()).toBe(0)
  })

  it('its own trigger source decides: a sell stop-limit on the bid at the bid (equality fires) is refused; under it is armed', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.5', ask: '100.5', last: '98' })
    const leg = { kind: 'stop-limit', side: 'sell', amount: '1', trigger: 'bid', limitPrice: '99' }
    expect((await rejection(single(h, { ...leg, triggerPrice: '99.5' }))).message).toBe(
      'The trigger price 99.5 is already crossed: the bid is 99.5, and this sell stop fires at or below its trigger. Choose a trigger below 99.5',
    )
    const id = await single(h, { ...leg, triggerPrice: '99.49' })
    expect(viewOf(h, id).status).toBe('armed')
    expect(h.gateway.submits).toHaveLength(0)
  })

  it('while the book is stale, crossed by the last live price is refused (it would fire as the book comes back)', async () => {
    const h = await harness()
    h.ticks.price('100')
    await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '90' }) // the market is watched
    h.ticks.push({ health: 'stale', reason: 'no message for 12 s' })
    expect((await rejection(single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '100.5' }))).message).toBe(
      'The trigger price 100.5 is already crossed: the price was 100 when the book was last live (now stale: no message for 12 s), and this sell stop ' +
        'fires at or below its trigger. It would fire as soon as the book is live again. Choose a trigger below 100',
    )
  })
})

describe('the first conditional order on a market not watched yet (no price known)', () => {
  it('waits for the first live price and refuses a trigger that price has crossed', async () => {
    const h = await harness()
    const creating = single(h, { kind: 'take-profit-market', side: 'buy', amount: '1', triggerPrice: '1000' })
    await new Promise((r) => setTimeout(r, 5)) // the engine watches the market now, with no price yet
    h.ticks.price('100')
    expect((await rejection(creating)).message).toBe(
      'The trigger price 1000 is already crossed: the price is 100, and this buy take-profit fires at or below its trigger. Choose a trigger below 100',
    )
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.rows()).toBe(0)
  })

  it('with no live price in time it is refused (not armed blind), nothing stored, the market let go', async () => {
    const h = await harness()
    expect(await rejection(single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' }))).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'No live price for BTC/USDT on Sim (no data yet): the trigger price cannot be checked against the current price; try again in a moment',
    })
    expect(h.rows()).toBe(0)
    expect(h.ticks.watchers()).toBe(0)
  })
})

describe('a bracket whose entry limit fills at once', () => {
  it('buy limit 100 with the ask at 90.01: a stop-loss at 95 is already crossed and refused; at 89 it is accepted', async () => {
    const h = await harness()
    h.ticks.price('90')
    expect(await rejection(bracket(h, { side: 'buy', price: '100' }, '110', '95'))).toMatchObject({
      code: 'BAD_INPUT',
      message:
        'The stop-loss (95) is already crossed: the entry limit 100 is at or above the ask 90.01, so the entry fills at once, ' +
        'and the price is 90 — this sell stop-loss fires at or below its trigger. Choose a stop-loss below 90',
    })
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.rows()).toBe(0)
    const views = await bracket(h, { side: 'buy', price: '100' }, '110', '89')
    expect(views.map((v) => v.kind)).toEqual(['take-profit-market', 'stop-market'])
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('sell limit 100 with the bid at 109.99: a stop-loss at 105 (above the entry, below the market) is refused', async () => {
    const h = await harness()
    h.ticks.price('110')
    expect((await rejection(bracket(h, { side: 'sell', price: '100' }, '90', '105'))).message).toBe(
      'The stop-loss (105) is already crossed: the entry limit 100 is at or below the bid 109.99, so the entry fills at once, ' +
        'and the price is 110 — this buy stop-loss fires at or above its trigger. Choose a stop-loss above 110',
    )
  })

  it('a buy limit resting below the market is checked against its own price only (its exits arm when it fills there)', async () => {
    const h = await harness()
    h.ticks.price('105')
    const views = await bracket(h, { side: 'buy', price: '100' }, '104', '95')
    expect(views.map((v) => v.status)).toEqual(['waiting', 'waiting'])
  })
})

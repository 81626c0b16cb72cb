import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, rejection, rowOf, single, VENUE, viewOf, type Harness } from './conditional-harness'

// Scripted price paths with hand-computed trigger points: trailing stops on rising-then-falling markets
// (percent and price distance, with and without an activation price), gaps through stops, the bid / ask
// / mid trigger sources, and stale books. Market BTC/USDT, tick 0.01.

afterEach(closeStores)

/** Runs `prices` as last-trade ticks; returns the index of the tick that made the first submit (or -1). */
function walk(h: Harness, prices: string[]): number {
  const before = h.gateway.submits.length
  for (let i = 0; i < prices.length; i++) {
    h.ticks.price(prices[i] as string)
    if (h.gateway.submits.length > before) return i
  }
  return -1
}

describe('trailing stops', () => {
  it('sell, 5 %, no activation price: trails the high (100 → 110) and fires at 110 × 0.95 = 104.5 exactly', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '5' } })
    let v = viewOf(h, id)
    expect(v.status).toBe('armed')
    expect(v.trailing).toMatchObject({ activated: true, reference: '100' })
    expect(v.triggerPrice).toBe('95')
    expect(walk(h, ['104', '110', '106'])).toBe(-1)
    v = viewOf(h, id)
    expect(v.trailing?.reference).toBe('110')
    expect(v.triggerPrice).toBe('104.5')
    expect(v.currentPrice).toBe('106')
    expect(v.distancePct).toBe('1.42') // (106 − 104.5) / 106
    expect(walk(h, ['104.51', '104.5', '100'])).toBe(1)
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ venueId: VENUE, symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: '1', origin: { kind: 'conditional', ref: id } })
    expect(h.gateway.last.price).toBeUndefined()
    v = viewOf(h, id)
    expect(v.status).toBe('triggered')
    expect(v.clientOrderId).toBe(h.gateway.last.clientOrderId)
    expect(v.trailing?.reference).toBe('110')
    // Written before it was sent.
    expect(rowOf(h, id)).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId, trailing_reference: '110' })
  })

  it('sell, 3.00 price distance, activation 105: nothing below 105 (not even a fall to 90), then trails 106 → 108 and fires at 105', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '0.5', distance: { unit: 'price', value: '3' }, activationPrice: '105' })
    let v = viewOf(h, id)
    expect(v.status).toBe('waiting')
    expect(v.reason).toBe('activates when the price is at or above 105')
    expect(v.trailing).toMatchObject({ activated: false, reference: null })
    expect(walk(h, ['104', '90', '104.99'])).toBe(-1)
    expect(walk(h, ['106'])).toBe(-1)
    v = viewOf(h, id)
    expect(v.status).toBe('armed')
    expect(v.trailing).toMatchObject({ activated: true, reference: '106' })
    expect(v.triggerPrice).toBe('103')
    expect(walk(h, ['108', '105.01', '105'])).toBe(2)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '0.5' })
    expect(viewOf(h, id).trailing?.reference).toBe('108')
  })

  it('buy, 2 %, activation 95: a falling market activates it at 94, it trails the low to 90 and fires at 90 × 1.02 = 91.8', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'buy', amount: '2', distance: { unit: 'percent', value: '2' }, activationPrice: '95' })
    expect(viewOf(h, id).reason).toBe('activates when the price is at or below 95')
    expect(walk(h, ['96', '110', '95.01'])).toBe(-1)
    expect(walk(h, ['94'])).toBe(-1)
    expect(viewOf(h, id)).toMatchObject({ status: 'armed', triggerPrice: '95.88' })
    expect(walk(h, ['90', '91.79', '91.8'])).toBe(2)
    expect(h.gateway.last).toMatchObject({ side: 'buy', type: 'market', amount: '2' })
    expect(viewOf(h, id).trailing?.reference).toBe('90')
  })

  it('buy, 1.50 price distance on the ask, no activation: starts at the ask 50, trails it to 48, fires at 49.5', async () => {
    const h = await harness()
    h.ticks.push({ bid: '49.9', ask: '50', last: '50' })
    const id = await single(h, { kind: 'trailing-stop', side: 'buy', amount: '1', trigger: 'ask', distance: { unit: 'price', value: '1.5' } })
    expect(viewOf(h, id).trailing?.reference).toBe('50')
    h.ticks.push({ bid: '47.9', ask: '48' })
    h.ticks.push({ last: '60' }) // the last trade is not its source
    h.ticks.push({ bid: '49.4', ask: '49.49' })
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.push({ bid: '49.4', ask: '49.5' })
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'buy', type: 'market', amount: '1' })
  })
})

describe('stops and take-profits', () => {
  it('a gap through a sell stop fires on the first tick past it, as a market order', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    expect(walk(h, ['97', '95.01', '93.2', '92'])).toBe(2)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: id } })
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('a stop-limit sends a limit order at its limit price; a buy stop fires at or above its trigger', async () => {
    const h = await harness()
    h.ticks.price('100')
    await single(h, { kind: 'stop-limit', side: 'sell', amount: '1', triggerPrice: '95', limitPrice: '94.5' })
    await single(h, { kind: 'stop-market', side: 'buy', amount: '0.1', triggerPrice: '105' })
    expect(walk(h, ['104.99', '105'])).toBe(1)
    expect(h.gateway.last).toMatchObject({ side: 'buy', type: 'market', amount: '0.1' })
    expect(walk(h, ['96', '95'])).toBe(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'limit', price: '94.5', amount: '1' })
  })

  it('take-profits: a sell fires at or above, a buy at or below; a limit one sends its limit', async () => {
    const h = await harness()
    h.ticks.price('100')
    await single(h, { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '109.9' })
    await single(h, { kind: 'take-profit-market', side: 'buy', amount: '1', triggerPrice: '90' })
    expect(walk(h, ['109.99', '110'])).toBe(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'limit', price: '109.9' })
    expect(walk(h, ['95', '90.01', '89'])).toBe(2)
    expect(h.gateway.last).toMatchObject({ side: 'buy', type: 'market' })
  })

  it('an order created past its trigger is refused (it would fire at once), as an amend there is; nothing is stored or sent', async () => {
    const h = await harness()
    h.ticks.price('100')
    const err = await rejection(single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '101' }))
    expect(err).toMatchObject({ code: 'BAD_INPUT' })
    expect(err.message).toBe('The trigger price 101 is already crossed: the price is 100, and this sell stop fires at or below its trigger. Choose a trigger below 100')
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.rows()).toBe(0)
  })

  it('an order created before any live price waits for the first one, is armed against it, and fires on the first tick past its trigger', async () => {
    const h = await harness()
    const creating = single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '101' })
    await new Promise((r) => setTimeout(r, 5)) // the engine watches the market now, with no price yet
    h.ticks.price('102')
    const id = await creating
    expect(viewOf(h, id).status).toBe('armed')
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('100')
    expect(h.gateway.submits).toHaveLength(1)
    expect(viewOf(h, id).status).toBe('triggered')
  })
})

describe('trigger sources', () => {
  it('a bid-triggered sell stop ignores the last trade and fires on the bid', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.5', ask: '100.5', last: '100' })
    await single(h, { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'bid', triggerPrice: '99' })
    h.ticks.push({ last: '98' })
    h.ticks.push({ ask: '99.2' })
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.push({ bid: '99' })
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('an ask-triggered buy stop fires on the ask, not on the bid or the last', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.5', ask: '100.5', last: '100' })
    await single(h, { kind: 'stop-market', side: 'buy', amount: '1', trigger: 'ask', triggerPrice: '101' })
    h.ticks.push({ last: '102', bid: '100.9' })
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.push({ ask: '101' })
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('a mid-triggered take-profit fires when (bid + ask) / 2 reaches it, half-ticks included', async () => {
    const h = await harness()
    h.ticks.push({ bid: '100', ask: '100.02', last: '100' })
    const id = await single(h, { kind: 'take-profit-market', side: 'sell', amount: '1', trigger: 'mid', triggerPrice: '101' })
    expect(viewOf(h, id).currentPrice).toBe('100.01')
    h.ticks.push({ bid: '100.5', ask: '101.49' }) // mid 100.995
    h.ticks.push({ last: '105' })
    expect(h.gateway.submits).toHaveLength(0)
    expect(viewOf(h, id).currentPrice).toBe('100.995')
    h.ticks.push({ ask: '101.5' }) // mid 101
    expect(h.gateway.submits).toHaveLength(1)
  })
})

describe('stale books', () => {
  it('a stale tick never triggers; the order waits with the reason; the first live tick past the trigger fires it', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    h.ticks.push({ last: '90', bid: '89.99', ask: '90.01', health: 'stale', reason: 'no message for 12 s' })
    expect(h.gateway.submits).toHaveLength(0)
    expect(viewOf(h, id)).toMatchObject({ status: 'waiting', reason: 'book stale: no message for 12 s' })
    expect(rowOf(h, id)).toMatchObject({ status: 'waiting', reason: 'book stale: no message for 12 s' })
    h.ticks.push({ last: '89', health: 'resyncing', reason: 'sequence gap' })
    expect(viewOf(h, id).reason).toBe('book resyncing: sequence gap')
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.push({ last: '89', health: 'live', reason: null })
    expect(h.gateway.submits).toHaveLength(1)
    expect(viewOf(h, id).status).toBe('triggered')
  })

  it('when the book is live again the current price is evaluated at once, even if it did not change', async () => {
    const h = await harness()
    h.ticks.price('98')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '97' })
    // Past its trigger while stale: it must wait, then fire on recovery at the same price.
    h.ticks.push({ last: '96', bid: '95.99', ask: '96.01', health: 'stale', reason: 'socket closed' })
    expect(viewOf(h, id)).toMatchObject({ status: 'waiting', reason: 'book stale: socket closed' })
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.push({ health: 'live', reason: null })
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('a trailing stop does not follow a stale book', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'price', value: '5' } })
    h.ticks.push({ last: '130', health: 'stale', reason: 'no message for 11 s' })
    h.ticks.push({ last: '101', health: 'live', reason: null })
    expect(viewOf(h, id).trailing?.reference).toBe('101')
    expect(h.gateway.submits).toHaveLength(0)
  })
})

describe('live figures', () => {
  it('sends the orders whose figures moved in one batch per timer period, and nothing when they did not move', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '10' } })
    const changedBefore = h.events.length
    h.timers.run(250)
    h.live.length = 0
    for (const p of ['99', '98', '97.5']) h.ticks.price(p)
    expect(h.live).toHaveLength(0)
    h.timers.run(250)
    // One batch with both orders; no per-order state event for a price move.
    expect(h.live).toHaveLength(1)
    expect(h.events).toHaveLength(changedBefore)
    const byId = new Map(h.live[0]?.map((f) => [f.id, f]))
    expect(byId.get(stop)).toEqual({ id: stop, currentPrice: '97.5', distancePct: '2.56', triggerPrice: '95', reference: null })
    // The trail started at 100 and has not moved up: trigger 90, 7.69 % below 97.5.
    expect(byId.get(trail)).toEqual({ id: trail, currentPrice: '97.5', distancePct: '7.69', triggerPrice: '90', reference: '100' })
    h.timers.run(250)
    expect(h.live).toHaveLength(1)
    // A new high lifts the trail's reference and trigger.
    h.ticks.price('120')
    h.timers.run(250)
    expect(h.live.at(-1)?.find((f) => f.id === trail)).toEqual({ id: trail, currentPrice: '120', distancePct: '10.00', triggerPrice: '108', reference: '120' })
    // The view listed now says the same as the figures.
    expect(viewOf(h, trail)).toMatchObject({ currentPrice: '120', distancePct: '10.00', triggerPrice: '108', trailing: { reference: '120' } })
  })
})

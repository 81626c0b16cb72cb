import { afterEach, describe, expect, it } from 'vitest'
import { conditionalAmendSchema } from '../../src-main/api/schemas/trading'
import { closeStores, harness, oco, rejection, rowOf, SELL_OCO, single, viewOf } from './conditional-harness'

// Moving an armed stop or take-profit (conditional.amend): the new trigger is checked as at creation and
// against the current price, written, and the index follows it; the old trigger no longer fires.

afterEach(closeStores)

describe('conditional.amend', () => {
  it('moves a sell stop from 95 to 93: 95 no longer fires, 93 does; the row and the view say 93', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    const [view] = await h.engine.amend({ id, triggerPrice: '93' })
    expect(view).toMatchObject({ id, triggerPrice: '93', status: 'armed' })
    expect(rowOf(h, id)).toMatchObject({ trigger_price: '93', status: 'armed' })
    expect(h.events.at(-1)).toMatchObject({ id, triggerPrice: '93' })
    h.ticks.price('95')
    h.ticks.price('93.01')
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('93')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: id } })
  })

  it('stores amended prices and distances as at creation: 93.50 is kept as 93.5, 2.50 % as 2.5', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-limit', side: 'sell', amount: '1', triggerPrice: '95', limitPrice: '94.9' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '5' } })
    const [view] = await h.engine.amend({ id: stop, triggerPrice: '093.50', limitPrice: '93.40' })
    expect(view).toMatchObject({ triggerPrice: '93.5', limitPrice: '93.4' })
    expect(rowOf(h, stop)).toMatchObject({ trigger_price: '93.5', limit_price: '93.4' })
    await h.engine.amend({ id: trail, trailingValue: '2.50' })
    expect(rowOf(h, trail)).toMatchObject({ trailing_value: '2.5' })
  })

  it('a stop-limit: the limit alone, or both; a restart re-arms at the amended trigger', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-limit', side: 'buy', amount: '1', triggerPrice: '105', limitPrice: '105.5' })
    await h.engine.amend({ id, limitPrice: '106' })
    expect(viewOf(h, id)).toMatchObject({ triggerPrice: '105', limitPrice: '106' })
    await h.engine.amend({ id, triggerPrice: '104', limitPrice: '104.2' })
    const h2 = await h.restart()
    expect(viewOf(h2, id)).toMatchObject({ status: 'armed', triggerPrice: '104', limitPrice: '104.2' })
    h2.ticks.price('104')
    expect(h2.gateway.last).toMatchObject({ side: 'buy', type: 'limit', price: '104.2', amount: '1', origin: { ref: id } })
  })

  it('refuses a trigger the market has crossed, off the tick, a limit on a market kind, a trailing stop, a fired or unknown order — nothing changes', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '5' } })
    expect(await rejection(h.engine.amend({ id: stop, triggerPrice: '100.01' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trigger price 100.01 is already crossed: the price is 100, and this sell stop fires at or below its trigger. Choose a trigger below 100',
    })
    expect(await rejection(h.engine.amend({ id: stop, triggerPrice: '95.001' }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('is not on the tick 0.01') })
    expect(await rejection(h.engine.amend({ id: stop, limitPrice: '94' }))).toMatchObject({ code: 'BAD_INPUT', message: 'A stop-market order has no limit price' })
    expect(await rejection(h.engine.amend({ id: trail, triggerPrice: '90' }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('give it a new distance') })
    expect(await rejection(h.engine.amend({ id: stop, trailingValue: '2' }))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('Only a trailing stop has a distance') })
    expect(await rejection(h.engine.amend({ id: 'cndnope', triggerPrice: '90' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(rowOf(h, stop)).toMatchObject({ trigger_price: '95' })
    h.ticks.price('95')
    expect(h.gateway.last).toMatchObject({ origin: { ref: stop } })
    await h.settle()
    expect(await rejection(h.engine.amend({ id: stop, triggerPrice: '90' }))).toMatchObject({ code: 'CONFLICT' })
    // The contract refuses an amendment that changes nothing.
    expect(conditionalAmendSchema.safeParse({ id: stop }).success).toBe(false)
  })

  it('while the book is stale, a trigger the last live price crossed is refused (it would fire as the book comes back); one it has not is moved', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '10' } })
    h.ticks.price('120')
    h.ticks.price('112')
    // The stale tick's own prices are not trusted: the check uses the last live one (112).
    h.ticks.push({ last: '90', bid: '89.99', ask: '90.01', health: 'stale', reason: 'no message for 12 s' })
    expect(await rejection(h.engine.amend({ id, triggerPrice: '112.5' }))).toMatchObject({
      code: 'BAD_INPUT',
      message:
        'The trigger price 112.5 is already crossed: the price was 112 when the book was last live (now stale: no message for 12 s), and this sell stop ' +
        'fires at or below its trigger. It would fire as soon as the book is live again. Choose a trigger below 112',
    })
    // 5 % under the reference 120 is 114, above the last live 112.
    expect((await rejection(h.engine.amend({ id: trail, trailingValue: '5' }))).message).toMatch(/^The trailing trigger 114 is already crossed: the price was 112 when the book was last live/)
    expect(rowOf(h, id)).toMatchObject({ trigger_price: '95' })
    expect(rowOf(h, trail)).toMatchObject({ trailing_value: '10' })
    const [view] = await h.engine.amend({ id, triggerPrice: '110' })
    expect(view).toMatchObject({ triggerPrice: '110', status: 'waiting' })
    // Live again at 111: nothing crossed, nothing sent; 110 fires the stop (the trail's 108 is below).
    h.ticks.price('111')
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('110')
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', origin: { ref: id } })
  })

  it('a trailing stop tightened from 10 % to 5 % keeps its reference: 120 → trigger 114; too tight for the price is refused', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '10' } })
    h.ticks.price('120')
    h.ticks.price('115')
    // 3 % of 120 is a trigger at 116.4, above the price 115 now: it would sell at once.
    expect(await rejection(h.engine.amend({ id, trailingValue: '3' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trailing trigger 116.4 is already crossed: the price is 115, and this sell trailing stop fires at or below its trigger. Choose a wider distance',
    })
    expect(await rejection(h.engine.amend({ id, trailingValue: '100' }))).toMatchObject({ code: 'BAD_INPUT', message: 'A trailing distance must be under 100% (got 100%)' })
    const [view] = await h.engine.amend({ id, trailingValue: '5' })
    expect(view).toMatchObject({ triggerPrice: '114', trailing: { unit: 'percent', value: '5', reference: '120', activated: true } })
    expect(rowOf(h, id)).toMatchObject({ trailing_value: '5', trailing_reference: '120' })
    h.ticks.price('114.01')
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('114')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: id } })
  })

  it('an OCO leg moved: its partner stays armed, and the moved leg firing cancels it', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    await h.engine.amend({ id: tp, triggerPrice: '104' })
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', triggerPrice: '95' })
    h.ticks.price('104')
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', origin: { ref: tp } })
    await h.settle()
    expect(viewOf(h, sl)).toMatchObject({ status: 'canceled', reason: 'its take-profit partner triggered' })
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { closeStores, harness, oco, rowOf, SELL_OCO, VENUE, viewOf } from './conditional-harness'

// OCO pairs on scripted paths: one leg triggering cancels the other before its order is sent; a refused
// or unfilled order re-arms the partner for what is left; a tick crossing both legs fires one.

afterEach(closeStores)

describe('OCO', () => {
  it('sell OCO, price rises to the take-profit: the stop is canceled in the same write, before the order is sent', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    expect(viewOf(h, tp)).toMatchObject({ status: 'armed', groupType: 'oco' })
    expect(viewOf(h, sl).groupId).toBe(viewOf(h, tp).groupId)
    // What SQLite holds at the moment the gateway is called.
    let atSubmit: Record<string, unknown>[] = []
    h.gateway.onSubmit = () => (atSubmit = [rowOf(h, tp), rowOf(h, sl)])
    for (const p of ['105', '109.99', '110']) h.ticks.price(p)
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { kind: 'conditional', ref: tp } })
    expect(atSubmit[0]).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId })
    expect(atSubmit[1]).toMatchObject({ status: 'canceled', cancel_cause: 'sibling' })
    // The stop stays canceled while the take-profit's order works and fills.
    for (const p of ['94', '90']) h.ticks.price(p)
    expect(h.gateway.submits).toHaveLength(1)
    h.gateway.fill(h.gateway.last.clientOrderId as string, '1', '110')
    expect(viewOf(h, tp).status).toBe('done')
    expect(viewOf(h, sl).status).toBe('canceled')
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('buy OCO (take-profit below, stop above), price rises through the stop: the stop fires', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, [
      { kind: 'take-profit-limit', side: 'buy', amount: '0.5', triggerPrice: '90', limitPrice: '90.1' },
      { kind: 'stop-limit', side: 'buy', amount: '0.5', triggerPrice: '105', limitPrice: '105.5' },
    ])
    for (const p of ['103', '91', '104.99']) h.ticks.price(p)
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('106')
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'buy', type: 'limit', price: '105.5', amount: '0.5', origin: { ref: sl } })
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: 'its stop partner triggered' })
  })

  it('a tick that crosses both legs (take-profit on the ask, stop on the bid) fires exactly one', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    const [tp, sl] = await oco(h, [
      { kind: 'take-profit-market', side: 'sell', amount: '1', trigger: 'ask', triggerPrice: '110' },
      { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'bid', triggerPrice: '95' },
    ])
    h.ticks.push({ bid: '94', ask: '111' })
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    const fired = h.gateway.last.origin.ref
    const other = fired === tp ? sl : tp
    expect(viewOf(h, fired as string).status).toBe('triggered')
    expect(viewOf(h, other).status).toBe('canceled')
  })

  it('the gateway refuses the triggered order: the other leg re-arms and protects the position', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    h.gateway.refuseNext = new AppError('CONFLICT', 'Order value 110 USDT is above the max order notional 100 USDT')
    h.ticks.price('110')
    expect(viewOf(h, sl).status).toBe('canceled')
    await h.settle()
    expect(viewOf(h, tp)).toMatchObject({ status: 'failed', reason: 'its order was refused: Order value 110 USDT is above the max order notional 100 USDT' })
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '1', reason: null })
    expect(rowOf(h, sl)).toMatchObject({ status: 'armed', cancel_cause: null })
    h.ticks.price('96')
    expect(h.gateway.submits).toHaveLength(1)
    h.ticks.price('95')
    expect(h.gateway.submits).toHaveLength(2)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: sl } })
  })

  it('the triggered order fills 0.4 and is canceled: the other leg re-arms for 0.6, and fires for 0.6', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    h.ticks.price('110')
    const order = h.gateway.last.clientOrderId as string
    h.gateway.fill(order, '0.4', '110')
    expect(viewOf(h, sl).status).toBe('canceled') // still working: the partner waits
    h.gateway.end(order, 'canceled')
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: 'its order was canceled with 0.4 of 1 filled' })
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '0.6' })
    h.ticks.price('94.5')
    expect(h.gateway.last).toMatchObject({ side: 'sell', amount: '0.6', origin: { ref: sl } })
  })

  it('its account removed while the triggered order works: that leg is left on the exchange (not canceled), the partner stays ended', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    h.ticks.price('110')
    const order = h.gateway.last.clientOrderId as string
    // As accounts/removal.ts does it: the conditional orders end first, then the order manager leaves the orders.
    const reason = 'the account "Sim" was removed'
    h.engine.venueRemoved(VENUE, reason)
    const left = `left on the exchange: ${reason} — the app can no longer see or cancel it`
    h.gateway.end(order, 'left-on-exchange', left)
    expect(viewOf(h, tp)).toMatchObject({ status: 'left-on-exchange', reason: left })
    expect(rowOf(h, sl)).toMatchObject({ status: 'canceled', cancel_cause: 'account-removed' })
    h.ticks.price('94')
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('re-armed past its trigger (the market fell while the take-profit order was working): the partner fires at once', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [, sl] = await oco(h, SELL_OCO)
    h.ticks.price('110')
    h.ticks.price('90')
    expect(h.gateway.submits).toHaveLength(1)
    h.gateway.end(h.gateway.last.clientOrderId as string, 'expired')
    expect(h.gateway.submits).toHaveLength(2)
    expect(h.gateway.last).toMatchObject({ amount: '1', origin: { ref: sl } })
  })

  it('a triggered order that fills completely never re-arms the partner', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [, sl] = await oco(h, SELL_OCO)
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '1', '110')
    h.ticks.price('90')
    expect(h.gateway.submits).toHaveLength(1)
    expect(viewOf(h, sl).status).toBe('canceled')
  })

  it('canceling the OCO cancels both legs (by group id) and nothing fires afterwards', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, SELL_OCO)
    const views = await h.engine.cancel(viewOf(h, tp).groupId as string)
    expect(views.map((v) => v.status)).toEqual(['canceled', 'canceled'])
    h.ticks.price('120')
    h.ticks.price('80')
    expect(h.gateway.submits).toHaveLength(0)
    expect(rowOf(h, sl)).toMatchObject({ status: 'canceled', cancel_cause: 'user' })
    await expect(h.engine.cancel(tp)).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(h.engine.cancel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No conditional order "nope"' })
    expect(h.ticks.watchers()).toBe(0) // the market is no longer watched
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import type { OrderRecord } from '../../src-main/trading/model'
import { bracket, closeStores, harness, oco, rowOf, viewOf, type Harness } from './conditional-harness'

// An OCO / bracket whose take-profit is a limit order: once it triggers, its limit order may rest unfilled.
// Until that order has filled, the stop stays armed for what it has not sold; when the stop triggers, the
// resting order is canceled first and the stop sends only what that order left unfilled.

afterEach(closeStores)

/** Sell OCO of 1 BTC around 100: take-profit-limit 110 / 110, stop-market 95. */
const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

/** The venue answers cancels only when the test says so (gateway.end(id, 'canceled')), as over a real round trip. */
function slowCancels(h: Harness): void {
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return new Promise<OrderRecord>(() => {})
  }
}

const sent = (h: Harness) => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price !== undefined ? ` @${s.price}` : ''}`)

describe('OCO with a take-profit limit order resting', () => {
  it('the market turns back through the stop: the resting limit is canceled, then the stop sells the whole 1', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [tp, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    expect(sent(h)).toEqual(['sell limit 1 @110'])
    const tpOrder = h.gateway.last.clientOrderId as string
    expect(viewOf(h, tp).status).toBe('triggered')
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '1' })
    for (const p of ['105', '96']) h.ticks.price(p)
    expect(sent(h)).toHaveLength(1)
    h.ticks.price('95')
    // The stop triggered: it asks for the cancel and sends nothing until the venue confirms it.
    expect(h.gateway.cancels).toEqual([tpOrder])
    expect(sent(h)).toHaveLength(1)
    expect(viewOf(h, sl).status).toBe('triggered')
    for (const p of ['90', '80']) h.ticks.price(p)
    h.gateway.end(tpOrder, 'canceled')
    await h.settle()
    expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
    expect(h.gateway.last.origin.ref).toBe(sl)
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: 'its order was canceled when its stop partner triggered, with 0 of 1 filled' })
    h.gateway.fill(h.gateway.last.clientOrderId as string, '1', '80')
    expect(viewOf(h, sl).status).toBe('done')
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('the take-profit filled 0.4, then the stop triggers: the stop is armed for 0.6 and sends 0.6', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [tp, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.gateway.fill(tpOrder, '0.4', '110')
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '0.6' })
    expect(rowOf(h, sl)).toMatchObject({ amount: '0.6' })
    h.ticks.price('95')
    h.gateway.end(tpOrder, 'canceled')
    await h.settle()
    expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.6'])
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: 'its order was canceled when its stop partner triggered, with 0.4 of 1 filled' })
  })

  it('the take-profit fills more while its cancel is on the way: the stop sends only what is left after the cancel (never oversells)', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.gateway.fill(tpOrder, '0.2', '110')
    h.ticks.price('95')
    h.gateway.fill(tpOrder, '0.5', '110') // 0.7 of 1 by the time the cancel lands
    expect(sent(h)).toHaveLength(1)
    h.gateway.end(tpOrder, 'canceled')
    await h.settle()
    expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.3'])
    expect(h.gateway.last.origin.ref).toBe(sl)
  })

  it('the take-profit fills completely before its cancel lands: the stop sends nothing and ends canceled', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [tp, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.ticks.price('95')
    h.gateway.fill(tpOrder, '1', '110')
    await h.settle()
    expect(sent(h)).toEqual(['sell limit 1 @110'])
    expect(viewOf(h, tp).status).toBe('done')
    expect(viewOf(h, sl)).toMatchObject({ status: 'canceled', clientOrderId: null })
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('the take-profit fills completely while resting: the stop is canceled and a later fall sends nothing', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '1', '110')
    expect(viewOf(h, tp).status).toBe('done')
    expect(viewOf(h, sl)).toMatchObject({ status: 'canceled', reason: 'its take-profit partner filled' })
    for (const p of ['95', '80']) h.ticks.price(p)
    expect(sent(h)).toHaveLength(1)
  })

  it('the resting take-profit is canceled elsewhere after filling 0.25: the stop stays armed for 0.75 and fires for it', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.gateway.fill(tpOrder, '0.25', '110')
    h.gateway.end(tpOrder, 'canceled')
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '0.75' })
    h.ticks.price('94')
    expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.75'])
  })

  it('a restart while the stop waits for the cancel: it is not sent in full; the cancel is asked again and the stop sends the rest', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.gateway.fill(tpOrder, '0.4', '110')
    h.ticks.price('95')
    expect(h.gateway.cancels).toEqual([tpOrder])
    const h2 = await h.restart()
    await h2.settle()
    expect(sent(h2)).toEqual(['sell limit 1 @110']) // nothing more
    expect(h2.gateway.cancels).toEqual([tpOrder, tpOrder])
    expect(viewOf(h2, sl).status).toBe('triggered')
    h2.gateway.end(tpOrder, 'canceled')
    await h2.settle()
    expect(sent(h2)).toEqual(['sell limit 1 @110', 'sell market 0.6'])
  })

  it('the kill switch while the stop waits for the cancel: the stop is disarmed and sends nothing when the cancel lands', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const [, sl] = await oco(h, TP_LIMIT_OCO)
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    h.ticks.price('95')
    expect(h.engine.disarmAll()).toBe(1)
    expect(viewOf(h, sl)).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch', clientOrderId: null })
    h.gateway.end(tpOrder, 'canceled')
    await h.settle()
    expect(sent(h)).toEqual(['sell limit 1 @110'])
  })

  it('a tick that crosses both (take-profit limit on the ask, stop on the bid) still sends one order', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    const [tp, sl] = await oco(h, [
      { kind: 'take-profit-limit', side: 'sell', amount: '1', trigger: 'ask', triggerPrice: '110', limitPrice: '110' },
      { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'bid', triggerPrice: '95' },
    ])
    h.ticks.push({ bid: '94', ask: '111' })
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    const fired = h.gateway.last.origin.ref
    expect(viewOf(h, fired === tp ? sl : tp).status).toBe('canceled')
  })
})

describe('bracket with a take-profit limit', () => {
  it('entry filled 1; the take-profit rests with 0.3 filled; the stop-loss triggers and sells the 0.7 left', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const { tp, sl } = await bracket(h, { takeProfit: { triggerPrice: '110', limitPrice: '110' } })
    h.gateway.fill(h.gateway.submits[0]?.clientOrderId as string, '1', '100')
    h.ticks.price('110')
    const tpOrder = h.gateway.last.clientOrderId as string
    expect(sent(h)).toEqual(['buy limit 1 @100', 'sell limit 1 @110'])
    h.gateway.fill(tpOrder, '0.3', '110')
    expect(viewOf(h, sl)).toMatchObject({ status: 'armed', amount: '0.7' })
    h.ticks.price('95')
    expect(sent(h)).toHaveLength(2)
    h.gateway.end(tpOrder, 'canceled')
    await h.settle()
    expect(sent(h)).toEqual(['buy limit 1 @100', 'sell limit 1 @110', 'sell market 0.7'])
    expect(viewOf(h, tp).status).toBe('canceled')
  })
})

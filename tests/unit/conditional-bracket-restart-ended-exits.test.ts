import { afterEach, describe, expect, it } from 'vitest'
import type { OrderRecord } from '../../src-main/trading/model'
import { bracket, closeStores, harness, viewOf, type Harness } from './conditional-harness'

// A bracket whose exits have both ended (one sold the entry's first fill, the other was canceled as its
// partner) while its entry still works: the entry's later fills are guarded by the canceled exit, re-armed
// for them — also after the app restarted in between.

afterEach(closeStores)

/** The entry's cancel has not landed (it keeps working). */
function slowCancels(h: Harness): void {
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return new Promise<OrderRecord>(() => {})
  }
}

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}`)

describe('restart: a working bracket entry whose exits both ended', () => {
  it('take-profit sold the first 0.3, stop canceled as its partner; after a restart the entry fills 0.7 more: a stop guards the 0.7', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
    await h.settle()
    expect(viewOf(h, b.tp).status).toBe('done')
    expect(viewOf(h, b.sl).status).toBe('canceled')
    expect(h.gateway.get(b.entry)?.status).toBe('partially-filled')

    const h2 = await h.restart()
    h2.ticks.price('100')
    h2.gateway.fill(b.entry, '0.7', '100')
    await h2.settle()
    expect(h2.engine.list({ scope: 'active', limit: 10 }).map((v) => [v.id, v.kind, v.amount, v.status])).toEqual([[b.sl, 'stop-market', '0.7', 'armed']])
    h2.ticks.price('94')
    expect(sent(h2).slice(2)).toEqual(['sell market 0.7'])
    expect(h2.gateway.last.origin.ref).toBe(b.sl)
  })

  it('the stop sold the first 0.3, take-profit canceled as its partner; after a restart the entry fills 0.2 more: a take-profit guards the 0.2', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('94')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '94')
    await h.settle()
    expect(viewOf(h, b.sl).status).toBe('done')
    expect(viewOf(h, b.tp).status).toBe('canceled')

    const h2 = await h.restart()
    h2.ticks.price('100')
    h2.gateway.fill(b.entry, '0.2', '100')
    await h2.settle()
    expect(viewOf(h2, b.tp)).toMatchObject({ status: 'armed', amount: '0.2' })
    h2.ticks.price('110')
    expect(sent(h2).slice(2)).toEqual(['sell market 0.2'])
    expect(h2.gateway.last.origin.ref).toBe(b.tp)
  })

  it('the entry fills the rest while the app is down (it has ended by the start): a stop guards that 0.7', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
    await h.settle()
    h.engine.stop()
    h.gateway.fill(b.entry, '0.7', '100') // unseen: the engine is not running
    expect(h.gateway.get(b.entry)?.status).toBe('filled')

    const h2 = await h.restart()
    h2.ticks.price('100')
    await h2.settle()
    expect(h2.engine.list({ scope: 'active', limit: 10 }).map((v) => [v.id, v.kind, v.amount, v.status])).toEqual([[b.sl, 'stop-market', '0.7', 'armed']])
    h2.ticks.price('94')
    expect(sent(h2).slice(2)).toEqual(['sell market 0.7'])
    expect(h2.gateway.last.origin.ref).toBe(b.sl)
  })

  it('a buy entry that paid its fee in the coin bought and ended while the app was down with nothing more filled: no exit for the fee dust', async () => {
    const h = await harness()
    slowCancels(h)
    // 0.3 bought, 0.00003 of it paid as the fee: 0.29997 held, 0.2999 to sell at the market's step 0.0001.
    h.gateway.baseFeePaid = () => '0.00003'
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    expect(h.gateway.last.amount).toBe('0.2999')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.2999', '110')
    await h.settle()
    h.engine.stop()
    h.gateway.end(b.entry, 'canceled')

    const h2 = await h.restart()
    h2.ticks.price('100')
    await h2.settle()
    h2.ticks.price('94')
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(h2.gateway.submits).toHaveLength(2)
  })

  it('an ended bracket whose entry ended too is not brought back at start', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
    h.gateway.end(b.entry, 'canceled')
    const h2 = await h.restart()
    h2.ticks.price('100')
    h2.ticks.price('94')
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(h2.gateway.submits).toHaveLength(2)
  })
})

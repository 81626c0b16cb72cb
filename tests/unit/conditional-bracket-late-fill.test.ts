import { afterEach, describe, expect, it } from 'vitest'
import type { OrderRecord } from '../../src-main/trading/model'
import { bracket, closeStores, harness, rejection, viewOf, type Harness } from './conditional-harness'

// A bracket's exit triggered while its entry still worked: the app asks to cancel the entry's rest, but the
// entry may fill more before that cancel lands. Those fills are protected whatever order the messages come in.

afterEach(closeStores)

/** Cancels reach the venue only when the test ends the order (a real round trip). */
function slowCancels(h: Harness): void {
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return new Promise<OrderRecord>(() => {})
  }
}

describe('bracket: entry fills after an exit triggered', () => {
  for (const order of ['take-profit fills first', 'entry fills first'] as const) {
    it(`entry fills 0.3, take-profit sells 0.3, the entry fills 0.7 more before its cancel lands (${order}): a stop guards the 0.7`, async () => {
      const h = await harness()
      slowCancels(h)
      h.ticks.price('100')
      const b = await bracket(h)
      h.gateway.fill(b.entry, '0.3', '100')
      h.ticks.price('110')
      const tpOrder = h.gateway.last.clientOrderId as string
      expect(h.gateway.last).toMatchObject({ side: 'sell', amount: '0.3', origin: { ref: b.tp } })
      expect(h.gateway.cancels).toEqual([b.entry])
      if (order === 'take-profit fills first') {
        h.gateway.fill(tpOrder, '0.3', '110')
        await h.settle()
        h.gateway.fill(b.entry, '0.7', '100')
      } else {
        h.gateway.fill(b.entry, '0.7', '100')
        await h.settle()
        h.gateway.fill(tpOrder, '0.3', '110')
      }
      await h.settle()
      const active = h.engine.list({ scope: 'active', limit: 10 })
      expect(active.map((v) => [v.id, v.kind, v.amount, v.status])).toEqual([[b.sl, 'stop-market', '0.7', 'armed']])
      h.ticks.price('100')
      h.ticks.price('94')
      expect(h.gateway.submits.slice(2).map((s) => `${s.side} ${s.type} ${s.amount}`)).toEqual(['sell market 0.7'])
      expect(h.gateway.last.origin.ref).toBe(b.sl)
    })
  }

  it('the entry ends after its late fill: the group leaves memory once its stop has sold', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
    h.gateway.fill(b.entry, '0.5', '100')
    h.gateway.end(b.entry, 'canceled') // 0.8 of 1 filled
    expect(viewOf(h, b.sl)).toMatchObject({ status: 'armed', amount: '0.5' })
    h.ticks.price('94')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.5', '94')
    expect(viewOf(h, b.sl).status).toBe('done')
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    // Nothing re-arms later: the entry has ended.
    await expect(h.engine.cancel(b.sl)).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('the entry ends with no more fills after the take-profit sold its 0.3: nothing is left armed', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await bracket(h)
    h.gateway.fill(b.entry, '0.3', '100')
    h.ticks.price('110')
    h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
    h.gateway.end(b.entry, 'canceled')
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    h.ticks.price('94')
    expect(h.gateway.submits).toHaveLength(2)
    expect((await rejection(h.engine.cancel(b.tp))).message).toBe(`Conditional order ${b.tp} has already ended (done)`)
    await expect(h.engine.cancel(b.sl)).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})

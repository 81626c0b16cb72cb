import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, oco, single, viewOf } from './conditional-harness'

// A triggered leg stays in the active list while its order works: its current price keeps moving with the
// market (conditional.live and list() agree), and its distance is to the limit price its order rests at —
// none for a market order, which has nothing left to reach.

afterEach(closeStores)

describe('live figures of a triggered leg', () => {
  it('a take-profit-limit resting at 110: the price moves 104 → 97, its row follows, distance to its limit', async () => {
    const h = await harness()
    h.ticks.price('100')
    const [tp] = await oco(h, [
      { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
      { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
    ])
    h.ticks.price('110')
    expect(viewOf(h, tp).status).toBe('triggered')
    h.live.length = 0
    h.ticks.price('104')
    h.timers.run(250)
    expect(h.live.flat().filter((f) => f.id === tp)).toEqual([{ id: tp, currentPrice: '104', distancePct: '5.77', triggerPrice: '110', reference: null }])
    h.ticks.price('97')
    h.timers.run(250)
    // |110 − 97| / 97 = 13.40 %
    expect(h.live.flat().filter((f) => f.id === tp).at(-1)).toMatchObject({ currentPrice: '97', distancePct: '13.40' })
    expect(viewOf(h, tp)).toMatchObject({ status: 'triggered', currentPrice: '97', distancePct: '13.40' })
  })

  it('a triggered stop-market whose order works: the current price moves, no distance', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    h.ticks.price('95')
    h.live.length = 0
    h.ticks.price('93')
    h.timers.run(250)
    expect(h.live.flat().filter((f) => f.id === id)).toEqual([{ id, currentPrice: '93', distancePct: null, triggerPrice: '95', reference: null }])
    expect(viewOf(h, id)).toMatchObject({ status: 'triggered', currentPrice: '93', distancePct: null })
  })
})

import { describe, expect, it } from 'vitest'
import { armedBuysOf } from '../../src-main/trading/conditional/exposure'
import { toLeg, type Leg, type StoredLeg } from '../../src-main/trading/conditional/legs'

// Which conditional buys the max position counts as working: what may still send a buy, an OCO pair once.

function leg(over: Partial<StoredLeg>): Leg {
  return toLeg({
    id: over.id ?? 'l',
    groupId: null,
    groupType: 'single',
    venueId: 'v',
    symbol: 'BTC/USDT',
    kind: 'stop-market',
    side: 'buy',
    amount: '1',
    trigger: 'last',
    placement: 'app',
    triggerPrice: '100',
    limitPrice: null,
    trailing: null,
    status: 'armed',
    reason: null,
    cancelCause: null,
    heldUntil: null,
    clientOrderId: null,
    filled: null,
    entryClientOrderId: null,
    entryFilled: null,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  })
}
function pair(a: Leg, b: Leg): [Leg, Leg] {
  a.sibling = b
  b.sibling = a
  return [a, b]
}
const none = () => false

describe('armed conditional buys', () => {
  it('armed and waiting buys count; sells, ended legs and fired legs whose order is known do not', () => {
    const legs = [
      leg({ id: 'a', amount: '1' }),
      leg({ id: 'w', amount: '0.5', status: 'waiting' }),
      leg({ id: 's', side: 'sell', amount: '7' }),
      leg({ id: 'c', status: 'canceled', amount: '7' }),
      leg({ id: 'd', status: 'done', amount: '7' }),
      leg({ id: 'k', status: 'triggered', clientOrderId: 'known', amount: '7' }),
      leg({ id: 't', status: 'triggered', clientOrderId: 'sending', amount: '2' }),
    ]
    expect(armedBuysOf(legs, (id) => id === 'known')).toEqual([
      { amount: '1', clientOrderId: null },
      { amount: '0.5', clientOrderId: null },
      { amount: '2', clientOrderId: 'sending' },
    ])
  })

  it('an OCO counts once, by its larger buy leg; a pair whose partner fired counts only what may still send', () => {
    const [a, b] = pair(leg({ id: 'a', groupType: 'oco', amount: '1' }), leg({ id: 'b', groupType: 'oco', amount: '1.5' }))
    expect(armedBuysOf([a, b], none)).toEqual([{ amount: '1.5', clientOrderId: null }])
    b.status = 'triggered'
    b.clientOrderId = 'o1'
    a.status = 'canceled'
    a.cancelCause = 'sibling'
    expect(armedBuysOf([a, b], (id) => id === 'o1')).toEqual([])
  })

  it("a sell bracket's buy exits count once, for what its entry filled (nothing before the first fill)", () => {
    const exits = pair(
      leg({ id: 'tp', groupType: 'bracket', kind: 'take-profit-market', amount: '0', entryClientOrderId: 'e1', entryFilled: '0' }),
      leg({ id: 'sl', groupType: 'bracket', amount: '0', entryClientOrderId: 'e1', entryFilled: '0' }),
    )
    expect(armedBuysOf(exits, none)).toEqual([])
    for (const l of exits) l.amount = '0.4'
    expect(armedBuysOf(exits, none)).toEqual([{ amount: '0.4', clientOrderId: null }])
  })
})

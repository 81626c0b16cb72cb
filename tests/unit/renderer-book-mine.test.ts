import { describe, expect, it } from 'vitest'
import { levelOf, myLevels, NO_LEVELS, ordersAtLevel } from '../../src-renderer/features/trade/myLevels'
import { order } from '../support/order-views'

const BTC = { venueId: 'sim', symbol: 'BTC/USDT' }

describe("the user's orders on the ladder", () => {
  it('sums what is still open per price: buys on the bid side, sells on the ask side', () => {
    const open = [
      order('a', { side: 'buy', price: '95000.12', amount: '0.01', filled: '0' }),
      order('b', { side: 'buy', price: '95000.12', amount: '0.03', filled: '0.01' }),
      order('c', { side: 'sell', price: '95100', amount: '0.5', filled: '0' }),
      order('d', { side: 'buy', price: '94000', amount: '1', filled: '0', symbol: 'ETH/USDT' }),
      order('e', { side: 'buy', price: '94000', amount: '1', filled: '0', venueId: 'paper:1' }),
      order('f', { side: 'sell', price: null, type: 'market', amount: '1', filled: '0' }),
      order('g', { side: 'sell', price: '96000', amount: '1', filled: '0', trigger: { kind: 'stop-loss', price: '96000' } }),
    ]
    const mine = myLevels(open, BTC, null)
    expect([...mine.bids]).toEqual([[95000.12, 0.03]])
    expect([...mine.asks]).toEqual([[95100, 0.5]])
  })

  it('puts an order in the grouped bucket the engine puts its level in: bids at or below, asks at or above', () => {
    expect(levelOf('95007.37', 'buy', '10')).toBe(95000)
    expect(levelOf('95007.37', 'sell', '10')).toBe(95010)
    expect(levelOf('95010', 'sell', '10')).toBe(95010)
    expect(levelOf('2.2047', 'buy', '0.001')).toBe(2.204)
    expect(levelOf('2.2047', 'sell', '0.001')).toBe(2.205)
    const mine = myLevels([order('a', { side: 'buy', price: '95007.37', amount: '0.2', filled: '0' }), order('b', { side: 'buy', price: '95001', amount: '0.1', filled: '0' })], BTC, '10')
    expect(mine.bids.get(95000)).toBeCloseTo(0.3, 12)
  })

  it('leaves nothing marked when nothing rests (one shared empty value, so rows do not re-render)', () => {
    expect(myLevels([], BTC, null)).toBe(NO_LEVELS)
    expect(myLevels([order('a', { side: 'buy', price: '1', amount: '1', filled: '1' })], BTC, null)).toBe(NO_LEVELS)
  })
})

describe('Delete on a ladder level', () => {
  it('cancels the user’s resting orders of that side shown at that level, and no others', () => {
    const open = [
      order('a', { side: 'buy', price: '95007.37', amount: '0.2', filled: '0' }),
      order('b', { side: 'buy', price: '95001', amount: '0.1', filled: '0' }),
      order('c', { side: 'buy', price: '95011', amount: '0.1', filled: '0' }),
      order('d', { side: 'sell', price: '95000', amount: '0.1', filled: '0' }),
      order('e', { side: 'buy', price: '95001', amount: '0.1', filled: '0.1' }),
      order('f', { side: 'buy', price: '95001', amount: '0.1', filled: '0', symbol: 'ETH/USDT' }),
    ]
    expect(ordersAtLevel(open, BTC, 'bid', 95000, '10').map((o) => o.clientOrderId)).toEqual(['a', 'b'])
    expect(ordersAtLevel(open, BTC, 'bid', 95001, null).map((o) => o.clientOrderId)).toEqual(['b'])
    expect(ordersAtLevel(open, BTC, 'ask', 95000, '10').map((o) => o.clientOrderId)).toEqual(['d'])
    expect(ordersAtLevel(open, BTC, 'ask', 95001, null)).toEqual([])
  })
})

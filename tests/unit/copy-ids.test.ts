import { describe, expect, it } from 'vitest'
import { copyClientOrderId } from '../../src-main/copy/ids'
import { isValidClientOrderId } from '../../src-main/trading/orders/client-ids'
import { AvgCost, buildBook, committedValue, openPositionCount, type RecordFacts } from '../../src-main/copy/book'
import Decimal from 'decimal.js'

describe('copy client order ids', () => {
  it('are a function of the relationship and the leader trade id, within every venue charset and length', () => {
    const a = copyClientOrderId('fabc123', '998877')
    expect(a).toBe(copyClientOrderId('fabc123', '998877'))
    expect(a).toMatch(/^cp[0-9a-z]{30}$/)
    expect(isValidClientOrderId(a)).toBe(true)
    expect(copyClientOrderId('fabc123', '998878')).not.toBe(a)
    expect(copyClientOrderId('fabc124', '998877')).not.toBe(a)
    // no ambiguity from concatenation: ("f1","23") ≠ ("f12","3")
    expect(copyClientOrderId('f1', '23')).not.toBe(copyClientOrderId('f12', '3'))
    expect(isValidClientOrderId(copyClientOrderId('x'.repeat(64), 'trade-with:odd/chars'.repeat(10)))).toBe(true)
  })
})

describe('the relationship book (from copy records)', () => {
  const rec = (over: Partial<RecordFacts>): RecordFacts => ({
    leaderSymbol: 'BTC/USDT',
    followerSymbol: 'BTC/USDT',
    side: 'buy',
    status: 'copied',
    intendedAmount: '0.1',
    followerAmount: '0.1',
    followerFilled: '0.1',
    followerCost: '5000',
    leaderPrice: '50000',
    ...over,
  })

  it('average cost: realized on sells, unrealized at the mark', () => {
    const p = new AvgCost()
    p.trade('buy', new Decimal('1'), new Decimal('100'))
    p.trade('buy', new Decimal('1'), new Decimal('200'))
    p.trade('sell', new Decimal('0.5'), new Decimal('300')) // avg 150: +75
    expect(p.realized.toFixed()).toBe('75')
    expect(p.pnl(new Decimal('100')).toFixed()).toBe('0') // 75 + 1.5 × (100 − 150) = 0
  })

  it('held counts fills; committed adds what pending copies were sent; expected sums intents', () => {
    const book = buildBook([
      rec({}),
      rec({ status: 'pending', followerAmount: '0.2', followerFilled: '0.05', followerCost: '2500', intendedAmount: '0.2' }),
      rec({ side: 'sell', followerAmount: '0.1', followerFilled: '0.1', followerCost: '5500', intendedAmount: '0.12' }),
      rec({ status: 'skipped', followerFilled: '0' }),
      rec({ followerSymbol: 'ETH/USDT', leaderSymbol: 'ETH/USDT', status: 'failed', followerFilled: '0', followerCost: '0', intendedAmount: '1', leaderPrice: '3000' }),
    ])
    const btc = book.get('BTC/USDT')!
    expect(btc.held.toFixed()).toBe('0.05') // 0.1 + 0.05 − 0.1
    expect(btc.committed.toFixed()).toBe('0.2') // 0.1 + 0.2 − 0.1
    expect(btc.expected.toFixed()).toBe('0.18') // 0.1 + 0.2 − 0.12
    expect(btc.pnl.realized.toFixed()).toBe('500') // bought 0.15 for 7500 (avg 50 000), sold 0.1 at 55 000
    expect(book.get('ETH/USDT')!.held.toFixed()).toBe('0')
    expect(openPositionCount(book)).toBe(1)
    expect(committedValue(book, () => new Decimal(1)).toFixed()).toBe('11000') // 0.2 × 55 000 (last fill price)
    // In the valuation currency: a market whose quote cannot be valued is left out.
    expect(committedValue(book, (q) => (q === 'USDT' ? new Decimal('1.001') : null)).toFixed()).toBe('11011')
  })
})

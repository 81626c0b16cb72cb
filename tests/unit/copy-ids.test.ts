import { describe, expect, it } from 'vitest'
import { copyClientOrderId } from '../../src-main/copy/ids'
import { isValidClientOrderId } from '../../src-main/trading/orders/client-ids'
import { AvgCost, bookPnl, buildBook, committedValue, CopyBook, openPositionCount, type RecordFacts } from '../../src-main/copy/book'
import Decimal from 'decimal.js'

describe('copy client order ids', () => {
  it('are a function of the relationship and the leader fill (market, trade id), within every venue charset and length', () => {
    const a = copyClientOrderId('fabc123', 'BTC/USDT', '998877')
    expect(a).toBe(copyClientOrderId('fabc123', 'BTC/USDT', '998877'))
    expect(a).toMatch(/^cp[0-9a-z]{30}$/)
    expect(isValidClientOrderId(a)).toBe(true)
    expect(copyClientOrderId('fabc123', 'BTC/USDT', '998878')).not.toBe(a)
    expect(copyClientOrderId('fabc124', 'BTC/USDT', '998877')).not.toBe(a)
    // trade ids are numbered per market: the same id in another market is another fill
    expect(copyClientOrderId('fabc123', 'ETH/USDT', '998877')).not.toBe(a)
    // no ambiguity from concatenation: ("f1","23") ≠ ("f12","3")
    expect(copyClientOrderId('f1', 'BTC/USDT', '23')).not.toBe(copyClientOrderId('f12', 'BTC/USDT', '3'))
    expect(isValidClientOrderId(copyClientOrderId('x'.repeat(64), 'X'.repeat(40), 'trade-with:odd/chars'.repeat(10)))).toBe(true)
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

  it('coins gone from the account leave the book at what they cost: no P&L from them; the sale after sells what was there', () => {
    // bought 0.1 at 50 000 and 0.1 at 60 000 (avg 55 000); 0.15 sold by hand; the exit sells the 0.05 left at 70 000
    const exit = rec({ side: 'sell', status: 'pending', intendedAmount: '0.05', followerAmount: '0.05', followerFilled: '0', followerCost: '0', followerRemoved: '0.15' })
    const filled = { ...exit, status: 'copied' as const, followerFilled: '0.05', followerCost: '3500' }
    const live = new CopyBook()
    live.update(null, rec({}))
    live.update(null, rec({ followerCost: '6000' }))
    live.update(null, exit)
    const m = live.markets.get('BTC/USDT')!
    expect(m.held.toFixed()).toBe('0.05') // 0.2 − 0.15 removed; the sale not filled yet
    expect(m.committed.toFixed()).toBe('0') // 0.2 − 0.15 − 0.05 on its way out
    expect(m.pnl.realized.toFixed()).toBe('0') // removed at cost: 0.15 × 55 000 off the cost, nothing realized
    expect(m.pnl.cost.toFixed()).toBe('2750') // 0.05 × 55 000
    live.update(exit, filled)
    expect(m.held.toFixed()).toBe('0')
    expect(m.pnl.realized.toFixed()).toBe('750') // 0.05 × (70 000 − 55 000): the coins sold, and only them
    // rebuilt from the records at the next start: the same
    const rebuilt = buildBook([rec({}), rec({ followerCost: '6000' }), filled]).get('BTC/USDT')!
    expect([rebuilt.held.toFixed(), rebuilt.pnl.realized.toFixed()]).toEqual(['0', '750'])
  })

  it('P&L in USDT: realized at the quote\'s rate of each fill, what is open at today\'s; a record without a rate at today\'s', () => {
    const eth = (over: Partial<RecordFacts>): RecordFacts =>
      rec({ leaderSymbol: 'ETH/BTC', followerSymbol: 'ETH/BTC', intendedAmount: '10', followerAmount: '10', followerFilled: '10', followerCost: '0.5', leaderPrice: '0.05', ...over })
    // 10 ETH bought at 0.05 BTC, 5 sold at 0.07 (+0.1 BTC) when BTC was 100,000 USDT: +10,000 USDT, whatever BTC does next.
    const book = buildBook([eth({ followerQuoteRate: '100000' }), eth({ side: 'sell', followerAmount: '5', followerFilled: '5', followerCost: '0.35', followerQuoteRate: '100000' })])
    const at = (btc: string, mark = '0.05') => bookPnl(book, (q) => (q === 'BTC' ? new Decimal(btc) : null), new Map([['ETH/BTC', new Decimal(mark)]])).toFixed()
    expect(at('100000')).toBe('10000')
    expect(at('90000')).toBe('10000') // the 5 ETH still held are even at 0.05
    expect(at('90000', '0.06')).toBe('14500') // + 5 × 0.01 BTC open, at today's 90,000
    expect(at('90000') === bookPnl(book, () => null).toFixed()).toBe(true) // BTC not valued now: the realized part stays
    // Stored before rates were kept: the realized BTC is converted at today's rate, the only one known.
    const old = buildBook([eth({}), eth({ side: 'sell', followerAmount: '5', followerFilled: '5', followerCost: '0.35' })])
    expect(bookPnl(old, (q) => (q === 'BTC' ? new Decimal('90000') : null), new Map([['ETH/BTC', new Decimal('0.05')]])).toFixed()).toBe('9000')
  })

  describe("the copies' P&L counts fees", () => {
    const eth = (over: Partial<RecordFacts>): RecordFacts =>
      rec({ leaderSymbol: 'ETH/USDT', followerSymbol: 'ETH/USDT', intendedAmount: '1', followerAmount: '1', followerFilled: '1', followerCost: '3000', leaderPrice: '3000', ...over })
    const usdt = () => new Decimal(1)
    const at = (price: string) => new Map([['ETH/USDT', new Decimal(price)]])

    it('a round trip at one price with 0.1 % each way loses the fees: 3 + 2.997 USDT', () => {
      // Buy 1 ETH for 3000 USDT, the venue keeps 0.001 ETH; sell the 0.999 that arrived for 2997, less 2.997 USDT.
      const book = buildBook([eth({ followerBaseFee: '0.001' })])
      expect(book.get('ETH/USDT')!.held.toFixed()).toBe('0.999')
      expect(bookPnl(book, usdt, at('3000')).toFixed()).toBe('-3') // 0.999 × 3000 − 3000
      const after = buildBook([
        eth({ followerBaseFee: '0.001' }),
        eth({ side: 'sell', intendedAmount: '0.999', followerAmount: '0.999', followerFilled: '0.999', followerCost: '2997', followerQuoteFee: '2.997' }),
      ])
      const m = after.get('ETH/USDT')!
      expect(m.held.toFixed()).toBe('0')
      expect(m.pnl.qty.toFixed()).toBe('0') // no fee coin left to mark
      expect(m.pnl.realized.toFixed()).toBe('-5.997') // 2997 − 2.997 − 3000
      expect(bookPnl(after, usdt, at('2000')).toFixed()).toBe('-5.997')
    })

    it('a buy charged in the quote costs the fee more (the paper account): 1 ETH for 3000 + 3', () => {
      const book = buildBook([eth({ followerQuoteFee: '3' })])
      expect(book.get('ETH/USDT')!.held.toFixed()).toBe('1')
      expect(bookPnl(book, usdt, at('3100')).toFixed()).toBe('97') // 3100 − 3003
    })

    it('kept up record by record, fees reported after their fill included, it ends where a rebuild does', () => {
      const pending = eth({ status: 'pending', followerFilled: '0', followerCost: '0' })
      const part = { ...pending, followerFilled: '0.4', followerCost: '1200' }
      const partFee = { ...part, followerBaseFee: '0.0004' }
      const done = { ...partFee, status: 'copied' as const, followerFilled: '1', followerCost: '3000', followerBaseFee: '0.001' }
      const sellPending = eth({ side: 'sell', status: 'pending', intendedAmount: '0.999', followerAmount: '0.999', followerFilled: '0', followerCost: '0' })
      const sold = { ...sellPending, status: 'copied' as const, followerFilled: '0.999', followerCost: '3096.9' }
      const soldFee = { ...sold, followerQuoteFee: '3.0969' }
      const live = new CopyBook()
      live.update(null, pending)
      live.update(pending, part)
      live.update(part, partFee)
      live.update(partFee, done)
      live.update(null, sellPending)
      live.update(sellPending, sold)
      live.update(sold, soldFee)
      const m = live.markets.get('ETH/USDT')!
      // 0.999 × 3100 − 3.0969 − 3000
      expect(m.pnl.realized.toFixed()).toBe('93.8031')
      expect(m.held.toFixed()).toBe('0')
      expect(buildBook([done, soldFee]).get('ETH/USDT')!.pnl.realized.toFixed()).toBe('93.8031')
    })
  })
})

import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { buildBook, committedValue } from '../../src-main/copy/book'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market } from '../support/copy/world'

// The allocation cap counts copies still on their way at what they will cost on the FOLLOWER's market: a
// leader market order filling at three levels arrives as three fills at once, while the venue has not yet
// answered the first copy. Valued at the leader's price (another quote, or another venue's price) the
// pending copies looked nearly free and all three went out in full.

async function threeFillsWhileVenueIsSlow(leaderSymbol: string, leaderPrice: string) {
  const leader = new AnyMarketLeader()
  const gateway = new FillingGateway()
  gateway.fillPrice['ETH/USDT'] = '3400'
  let release = () => {}
  gateway.gate = new Promise<void>((r) => (release = r))
  const world = {
    markets: { 'ETH/USDT': market('ETH/USDT') },
    books: { 'ETH/USDT': { bid: new Decimal('3399'), ask: new Decimal('3400') } },
    quoteUnits: { BTC: new Decimal(95000) },
    equity: new Decimal(10000),
  }
  const { copier, store } = makeCopier({ leader, gateway, world })
  try {
    const map = leaderSymbol === 'ETH/USDT' ? [] : [{ from: leaderSymbol, to: 'ETH/USDT' }]
    const f = await copier.follow(followSettings({ sizing: { mode: 'multiplier', value: '0.5' }, allocationPct: '20', symbolMap: map }))
    leader.clock += 10
    const fills = [1, 2, 3].map((i) => leader.trade(leaderSymbol, 'buy', '1', leaderPrice, { orderId: 'M-1', tradeId: `f${i}`, silent: true }))
    leader.tell(fills)
    // All three are decided before the venue answers the first.
    await new Promise((r) => setTimeout(r, 50))
    release()
    await copier.idle()
    // At the follower's price (the copies are valued at the mid, 3399.5, so a hair over 2000 at the ask).
    const sent = gateway.submits.reduce((sum, o) => sum.plus(new Decimal(o.amount).times('3400')), new Decimal(0))
    return { sent, records: copier.records({ followId: f.id, limit: 10 }) }
  } finally {
    await copier.stop()
    store.close()
  }
}

describe('the allocation cap with copies in flight', () => {
  it('a leader on ETH/BTC copied to ETH/USDT: the pending copies count at the follower price, the cap holds', async () => {
    const { sent, records } = await threeFillsWhileVenueIsSlow('ETH/BTC', '0.0358')
    expect(sent.lte(2001)).toBe(true)
    expect(records.some((r) => r.rule === 'allocation')).toBe(true)
  })

  it('a leader venue pricing ETH at 1200 against the follower 3400: the cap holds', async () => {
    const { sent } = await threeFillsWhileVenueIsSlow('ETH/USDT', '1200')
    expect(sent.lte(2001)).toBe(true)
    expect(sent.gt(1900)).toBe(true) // the allocation is used, not refused
  })
})

describe('the copy book, a pending copy', () => {
  it('is worth the price its decision valued it at on the follower market, not the leader price', () => {
    const pending = {
      leaderSymbol: 'ETH/BTC',
      followerSymbol: 'ETH/USDT',
      side: 'buy' as const,
      status: 'pending' as const,
      intendedAmount: '0.5',
      followerAmount: '0.5',
      followerFilled: '0',
      followerCost: '0',
      leaderPrice: '0.0358',
      referencePrice: '3400',
    }
    const book = buildBook([pending])
    expect(committedValue(book, () => new Decimal(1)).toFixed()).toBe('1700')
    // A live mark, when there is one, is preferred.
    expect(committedValue(book, () => new Decimal(1), new Map([['ETH/USDT', new Decimal(3500)]])).toFixed()).toBe('1750')
  })
})

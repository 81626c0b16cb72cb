import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { DriftRow } from '../../src-main/api/schemas/copy'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market, type World } from '../support/copy/world'

// The drift panel's Leader P&L is the leader's own: its fills valued at ITS market's price on ITS venue —
// not at the follower's mark, which may be another market (ETH/USDT for the leader's ETH/BTC) or another
// venue's price (a simulator at 60000 while the follower's exchange is at 95000).

interface Scenario {
  leaderSymbol: string
  followerSymbol: string
  followerBook: [string, string]
  fillAt: string
  quoteUnits?: Record<string, Decimal>
  /** The leader's fills: [side, amount, price]. */
  trades: [side: 'buy' | 'sell', amount: string, price: string][]
  /** The follower's book after the copies. */
  bookAfter?: [string, string]
  /** The leader trades on the follower's venue (its prices are the follower's). */
  sameVenue?: boolean
  /** The leader venue's book after the copies (another venue than the follower's). */
  leaderBookAfter?: [string, string]
}

async function driftOf(s: Scenario): Promise<{ row: DriftRow; pnl: string }> {
  const leader = new AnyMarketLeader()
  const gateway = new FillingGateway()
  gateway.fillPrice[s.followerSymbol] = s.fillAt
  const quotedInBtc = s.followerSymbol.endsWith('/BTC')
  const worldOf = {
    markets: { [s.followerSymbol]: market(s.followerSymbol, { tickSize: '0.000001', minNotional: quotedInBtc ? '0.0001' : '5' }) },
    books: { [s.followerSymbol]: { bid: new Decimal(s.followerBook[0]), ask: new Decimal(s.followerBook[1]) } },
    quoteUnits: s.quoteUnits ?? {},
    equity: new Decimal(1_000_000),
  }
  const world: World = worldOf
  if (s.sameVenue) leader.venueId = 'acct-follower'
  const { copier, store } = makeCopier({ leader, gateway, world })
  try {
    const map = s.leaderSymbol === s.followerSymbol ? [] : [{ from: s.leaderSymbol, to: s.followerSymbol }]
    const f = await copier.follow(followSettings({ symbolMap: map }))
    for (const [side, amount, price] of s.trades) {
      leader.clock += 10
      leader.trade(s.leaderSymbol, side, amount, price)
      await copier.idle()
    }
    if (s.bookAfter) world.books[s.followerSymbol] = { bid: new Decimal(s.bookAfter[0]), ask: new Decimal(s.bookAfter[1]) }
    if (s.leaderBookAfter) world.leaderBooks = { [s.leaderSymbol]: { bid: new Decimal(s.leaderBookAfter[0]), ask: new Decimal(s.leaderBookAfter[1]) } }
    const [row] = await copier.drift(f.id)
    const view = (await copier.follows()).find((x) => x.id === f.id)!
    return { row: row!, pnl: view.pnl }
  } finally {
    await copier.stop()
    store.close()
  }
}

describe('drift: the leader P&L', () => {
  it('a leader on ETH/BTC copied to ETH/USDT has made nothing at its own price', async () => {
    const { row } = await driftOf({ leaderSymbol: 'ETH/BTC', followerSymbol: 'ETH/USDT', followerBook: ['3399', '3401'], fillAt: '3400', quoteUnits: { BTC: new Decimal(95000) }, trades: [['buy', '1', '0.0358']] })
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('0')
  })

  it('a leader venue pricing BTC at 60000 against the follower 95000: valued at the leader price', async () => {
    const { row } = await driftOf({
      leaderSymbol: 'BTC/USDT',
      followerSymbol: 'BTC/USDT',
      followerBook: ['94990', '95010'],
      fillAt: '95000',
      trades: [
        ['buy', '1', '60000'],
        ['buy', '0.1', '61000'], // the leader's market moved to 61000: 1.1 BTC for 66100, worth 67100
      ],
    })
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('1000')
  })
})

describe('drift: both P&Ls in the valuation currency', () => {
  it('on an ETH/BTC market they are in USDT, as the relationship P&L is', async () => {
    const { row, pnl } = await driftOf({
      leaderSymbol: 'ETH/BTC',
      followerSymbol: 'ETH/BTC',
      followerBook: ['0.03579', '0.03581'],
      fillAt: '0.0358',
      quoteUnits: { BTC: new Decimal(95000) },
      trades: [
        ['buy', '1', '0.0358'],
        ['buy', '0.1', '0.0368'],
      ],
      bookAfter: ['0.03679', '0.03681'],
    })
    // The follower: 1.1 ETH for 0.03938 BTC, worth 0.04048 BTC at 0.0368 → 0.0011 BTC = 104.5 USDT.
    expect(row.pnlAsset).toBe('USDT')
    expect(new Decimal(row.followerPnl).toFixed()).toBe('104.5')
    expect(new Decimal(row.followerPnl).toFixed()).toBe(new Decimal(pnl).toFixed())
    // The leader: 1.1 ETH for 0.03948 BTC, worth 0.04048 at its last fill 0.0368 → 0.001 BTC = 95 USDT.
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('95')
  })

  it("a leader market whose quote cannot be valued has no leader P&L, rather than one in another unit", async () => {
    const { row } = await driftOf({ leaderSymbol: 'ETH/BTC', followerSymbol: 'ETH/USDT', followerBook: ['3399', '3401'], fillAt: '3400', trades: [['buy', '1', '0.0358']] })
    expect(row.leaderPnl).toBeNull()
  })
})

describe('drift: the leader valued at its market price now, not its last fill', () => {
  it('leader and copy on the same venue and market bought 1 ETH at 3000, book now 3500: both made 500', async () => {
    const { row } = await driftOf({ leaderSymbol: 'ETH/USDT', followerSymbol: 'ETH/USDT', sameVenue: true, followerBook: ['2999.99', '3000'], fillAt: '3000', trades: [['buy', '1', '3000']], bookAfter: ['3499.99', '3500.01'] })
    expect(new Decimal(row.followerPnl).toFixed()).toBe('500')
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('500')
    expect(row.leaderPriced).toBe('live')
  })

  it("a leader on another venue is valued at that venue's price, not the follower's", async () => {
    const { row } = await driftOf({ leaderSymbol: 'ETH/USDT', followerSymbol: 'ETH/USDT', followerBook: ['2999.99', '3000'], fillAt: '3000', trades: [['buy', '1', '3000']], bookAfter: ['3499.99', '3500.01'], leaderBookAfter: ['3199.99', '3200.01'] })
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('200')
    expect(row.leaderPriced).toBe('live')
  })

  it('a leader venue with no price now: its last fill, and the row says so', async () => {
    const { row } = await driftOf({ leaderSymbol: 'ETH/USDT', followerSymbol: 'ETH/USDT', followerBook: ['2999.99', '3000'], fillAt: '3000', trades: [['buy', '1', '3000']], bookAfter: ['3499.99', '3500.01'] })
    expect(new Decimal(row.leaderPnl!).toFixed()).toBe('0')
    expect(row.leaderPriced).toBe('last-fill')
  })
})

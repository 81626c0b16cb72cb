import Decimal from 'decimal.js'
import { expect, it } from 'vitest'
import type { FollowerVenues } from '../../src-main/copy/ports'
import { AnyMarketLeader, FillingGateway, followSettings, followerVenues, makeCopier, market } from '../support/copy/world'

// Deciding a copy reads the follower's venue (its book, quote values); while that account's requests are held
// for the exchange's rate limit (a 429's Retry-After, minutes on Binance) such a read waits for the hold to end.
// A copy decided that late is as stale as one seen that late: not sent, skipped "too-old" with the reason.

it('a copy whose follower venue answered only after the allowed age (a rate-limit hold) is skipped too-old, not sent late', async () => {
  const leader = new AnyMarketLeader()
  const gateway = new FillingGateway()
  gateway.fillPrice['BTC/USDT'] = '50000'
  const world = { markets: { 'BTC/USDT': market('BTC/USDT') }, books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50000') } }, quoteUnits: {}, equity: new Decimal(100000) }
  const venues = followerVenues(world)
  let held: Promise<void> | null = null
  let asked = false
  const followers: FollowerVenues = {
    ...venues,
    top: async (v, s) => {
      asked = true
      if (held) await held
      return venues.top(v, s)
    },
  }
  let perf = 0
  const { copier, store } = makeCopier({ leader, gateway, world, followers, monotonic: () => perf })
  try {
    const f = await copier.follow(followSettings({ maxAgeSec: 60 }))
    let endHold!: () => void
    held = new Promise<void>((resolve) => (endHold = resolve))
    leader.clock += 1000
    leader.trade('BTC/USDT', 'buy', '0.1', '50000')
    await expect.poll(() => asked).toBe(true)
    // The hold ends two minutes later.
    leader.clock += 120_000
    perf += 120_000
    endHold()
    await copier.idle()
    expect(copier.records({ followId: f.id, limit: 10 })).toEqual([expect.objectContaining({ status: 'skipped', rule: 'too-old', reason: expect.stringContaining('more than the 60 s allowed') })])
    expect(gateway.submits).toEqual([])
  } finally {
    await copier.stop()
    store.close()
  }
})

import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market } from '../support/copy/world'

// "Fixed amount per leader order" spends its amount once per leader ORDER, however many fills the order has
// and whether or not the app restarted between them (a resting limit order may fill over hours).

describe('fixed-quote sizing, one leader order filling across a restart', () => {
  it('copies the first fill only: the order id is kept with the stored leader fills', async () => {
    const leader = new AnyMarketLeader()
    const gateway = new FillingGateway()
    gateway.fillPrice['BTC/USDT'] = '50000'
    const world = { markets: { 'BTC/USDT': market('BTC/USDT') }, books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50000') } }, quoteUnits: {}, equity: new Decimal(100000) }
    const first = makeCopier({ leader, gateway, world })
    let { copier, store } = first
    const f = await copier.follow(followSettings({ sizing: { mode: 'fixed-quote', value: '500' }, maxAgeSec: 3600 }))
    leader.clock += 1000
    leader.trade('BTC/USDT', 'buy', '0.2', '50000', { orderId: 'L-1' })
    await copier.idle()
    leader.clock += 1000
    leader.trade('BTC/USDT', 'buy', '0.3', '50000', { orderId: 'L-1' })
    await copier.idle()
    await copier.stop()
    store.close()
    ;({ copier, store } = makeCopier({ dir: first.dir, leader, gateway, world }))
    try {
      await copier.idle()
      leader.clock += 600_000
      leader.trade('BTC/USDT', 'buy', '0.5', '50000', { orderId: 'L-1' })
      // Another order of the leader's gets its own fixed amount.
      leader.trade('BTC/USDT', 'buy', '0.1', '50000', { orderId: 'L-2' })
      await copier.idle()
      const spent = gateway.submits.reduce((sum, o) => sum.plus(new Decimal(o.amount).times('50000')), new Decimal(0))
      expect(spent.toFixed()).toBe('1000') // 500 for L-1, 500 for L-2
      const rules = copier.records({ followId: f.id, limit: 10 }).reverse().map((r) => r.rule)
      expect(rules).toEqual([null, 'same-order', 'same-order', null])
    } finally {
      await copier.stop()
      store.close()
    }
  })
})

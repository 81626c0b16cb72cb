import Decimal from 'decimal.js'
import { sql } from 'drizzle-orm'
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

  describe('an order partly filled before the upgrade that stored order ids (migration 0038)', () => {
    // The first fill of leader order L-1 was copied by the previous version: its stored leader fill has
    // order_id NULL. A fill in another market moved the leader's cursor 10 minutes on. The app is upgraded
    // and restarted; L-1's next fill arrives.
    async function spentAfterUpgrade(opts: { lookupFails?: boolean } = {}) {
      const leader = new AnyMarketLeader()
      const gateway = new FillingGateway()
      gateway.fillPrice['BTC/USDT'] = '50000'
      gateway.fillPrice['ETH/USDT'] = '3000'
      const world = {
        markets: { 'BTC/USDT': market('BTC/USDT'), 'ETH/USDT': market('ETH/USDT') },
        books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50000') }, 'ETH/USDT': { bid: new Decimal('2999'), ask: new Decimal('3000') } },
        quoteUnits: {},
        equity: new Decimal(100000),
      }
      const warnings: string[] = []
      const log = { info: () => {}, error: () => {}, warn: (m: string) => warnings.push(m) }
      const first = makeCopier({ leader, gateway, world })
      let { copier, store } = first
      await copier.follow(followSettings({ sizing: { mode: 'fixed-quote', value: '500' }, maxAgeSec: 3600 }))
      leader.clock += 1000
      leader.trade('BTC/USDT', 'buy', '0.2', '50000', { orderId: 'L-1' })
      await copier.idle()
      leader.clock += 600_000
      leader.trade('ETH/USDT', 'buy', '1', '3000', { orderId: 'L-2' })
      await copier.idle()
      await copier.stop()
      store.db.run(sql`UPDATE copy_leader_fills SET order_id = NULL`) // what a pre-0038 database holds
      store.close()
      if (opts.lookupFails) {
        leader.fetchSince = async () => {
          throw new Error('venue unreachable')
        }
      }
      ;({ copier, store } = makeCopier({ dir: first.dir, leader, gateway, world, log }))
      try {
        await copier.idle()
        leader.clock += 60_000
        leader.trade('BTC/USDT', 'buy', '0.5', '50000', { orderId: 'L-1' })
        await copier.idle()
        const btc = gateway.submits.filter((o) => o.symbol === 'BTC/USDT')
        return { spent: btc.reduce((sum, o) => sum.plus(new Decimal(o.amount).times('50000')), new Decimal(0)).toFixed(), warnings }
      } finally {
        await copier.stop()
        store.close()
      }
    }

    it("the order's fixed 500 USDT is spent once: the stored fills get their order ids back at start", async () => {
      expect((await spentAfterUpgrade()).spent).toBe('500')
    })

    it('when the leader venue cannot be asked at start, it says the order ids are missing', async () => {
      const { warnings } = await spentAfterUpgrade({ lookupFails: true })
      expect(warnings.some((w) => w.includes('order ids'))).toBe(true)
    })
  })
})

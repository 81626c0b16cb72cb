import fs from 'node:fs'
import path from 'node:path'
import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market } from '../support/copy/world'
import { migrationsDir, tempDir } from '../support/temp-core'

// Binance and OKX number trades per market: a leader's ETH/USDT trade may carry the id of an earlier
// BTC/USDT one. Both are fills of their own and both are copied.

const world = () => ({
  markets: { 'BTC/USDT': market('BTC/USDT'), 'ETH/USDT': market('ETH/USDT') },
  books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50000') }, 'ETH/USDT': { bid: new Decimal('2999'), ask: new Decimal('3000') } },
  quoteUnits: {},
  equity: new Decimal(100000),
})

function gatewayFilling() {
  const gateway = new FillingGateway()
  gateway.fillPrice['BTC/USDT'] = '50000'
  gateway.fillPrice['ETH/USDT'] = '3000'
  return gateway
}

describe('leader trade ids are per market', () => {
  it('a BTC/USDT fill and then an ETH/USDT fill with the same trade id are both copied', async () => {
    const leader = new AnyMarketLeader()
    const gateway = gatewayFilling()
    const { copier, store } = makeCopier({ leader, gateway, world: world() })
    try {
      const f = await copier.follow(followSettings({}))
      leader.clock += 1000
      leader.trade('BTC/USDT', 'buy', '0.1', '50000', { tradeId: '4242' })
      await copier.idle()
      leader.clock += 1000
      leader.trade('ETH/USDT', 'buy', '1', '3000', { tradeId: '4242' })
      await copier.idle()
      const records = copier.records({ followId: f.id, limit: 10 }).reverse()
      expect(records.map((r) => [r.leaderSymbol, r.leaderTradeId, r.status])).toEqual([
        ['BTC/USDT', '4242', 'copied'],
        ['ETH/USDT', '4242', 'copied'],
      ])
      expect(gateway.submits.map((o) => [o.symbol, o.side, o.amount])).toEqual([
        ['BTC/USDT', 'buy', '0.1'],
        ['ETH/USDT', 'buy', '1'],
      ])
      expect(new Set(records.map((r) => r.clientOrderId)).size).toBe(2)
    } finally {
      await copier.stop()
      store.close()
    }
  })

  it('after a restart, the ETH/USDT fill made while the app was down is copied, and neither is copied twice', async () => {
    const leader = new AnyMarketLeader()
    const gateway = gatewayFilling()
    const first = makeCopier({ leader, gateway, world: world() })
    let { copier, store } = first
    const f = await copier.follow(followSettings({}))
    leader.clock += 1000
    leader.trade('BTC/USDT', 'buy', '0.1', '50000', { tradeId: '4242' })
    await copier.idle()
    await copier.stop()
    store.close()
    leader.clock += 1000
    leader.trade('ETH/USDT', 'buy', '1', '3000', { tradeId: '4242', silent: true })
    ;({ copier, store } = makeCopier({ dir: first.dir, leader, gateway, world: world() }))
    try {
      await copier.idle()
      const records = copier.records({ followId: f.id, limit: 10 }).reverse()
      expect(records.map((r) => [r.leaderSymbol, r.leaderTradeId, r.status, r.via])).toEqual([
        ['BTC/USDT', '4242', 'copied', 'stream'],
        ['ETH/USDT', '4242', 'copied', 'start'],
      ])
      expect(gateway.submits.map((o) => o.symbol)).toEqual(['BTC/USDT', 'ETH/USDT'])
    } finally {
      await copier.stop()
      store.close()
    }
  })
})

describe('migration 0042 (leader fills and copy records keyed by market too)', () => {
  it('keeps the leader fills and copy records stored before it, and then takes a same-id fill in another market', () => {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
    const at = journal.entries.findIndex((e) => e.tag === '0042_copy_leader_trades_per_market')
    expect(at).toBeGreaterThan(0)
    const older = tempDir('co-migrations-')
    fs.mkdirSync(path.join(older, 'meta'))
    const kept = journal.entries.slice(0, at)
    fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }))
    for (const e of kept) fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`))
    const dataDir = tempDir('co-copy-keys-')
    const fillSql =
      'insert into copy_leader_fills (leader_id, trade_id, symbol, side, price, amount, timestamp, position_before, via, seen_at, order_id) ' +
      "values ('L', '4242', ?, 'buy', '50000', '0.1', 1, '0', 'poll', 2, 'O-1')"
    const recordSql =
      'insert into copy_records (id, follow_id, leader_id, leader_trade_id, leader_symbol, side, leader_amount, leader_price, leader_at, follower_venue_id, follower_filled, follower_cost, status, via, created_at, updated_at) ' +
      "values (?, 'f1', 'L', '4242', ?, 'buy', '0.1', '50000', 1, 'acct', '0.1', '5000', 'copied', 'poll', 2, 2)"
    const old = openStore(dataDir, older)
    old.sqlite.prepare(fillSql).run('BTC/USDT')
    old.sqlite.prepare(recordSql).run('f1:4242', 'BTC/USDT')
    // What the old keys refused: the same trade id in another market.
    expect(() => old.sqlite.prepare(fillSql).run('ETH/USDT')).toThrow(/UNIQUE|PRIMARY/)
    old.close()
    const store = openStore(dataDir, migrationsDir)
    try {
      expect(store.sqlite.prepare('select leader_id, trade_id, symbol, order_id, position_before from copy_leader_fills').all()).toEqual([
        { leader_id: 'L', trade_id: '4242', symbol: 'BTC/USDT', order_id: 'O-1', position_before: '0' },
      ])
      expect(store.sqlite.prepare('select id, leader_symbol, leader_trade_id, status from copy_records').all()).toEqual([
        { id: 'f1:4242', leader_symbol: 'BTC/USDT', leader_trade_id: '4242', status: 'copied' },
      ])
      store.sqlite.prepare(fillSql).run('ETH/USDT')
      store.sqlite.prepare(recordSql).run('f1:ETH/USDT:4242', 'ETH/USDT')
      expect(() => store.sqlite.prepare(fillSql).run('ETH/USDT')).toThrow(/UNIQUE|PRIMARY/)
      expect(() => store.sqlite.prepare(recordSql).run('f1:other', 'ETH/USDT')).toThrow(/UNIQUE/)
    } finally {
      store.close()
    }
  })
})

import Decimal from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Copier } from '../../src-main/copy/copier'
import type { Store } from '../../src-main/store/open'
import { AnyMarketLeader, FillingGateway, followSettings, makeCopier, market } from '../support/copy/world'

// The leader's position in a market starts from its balance of the coin, read at the first fill seen there.
// When that read fails (the account is in a rate hold, the exchange errs), the position is not known: a sale
// copied as a share of it cannot be sized. It is skipped with the reason, never sized from a made-up 0, and
// the balance is read again at the next fill; once a read succeeds, tracking goes on from it.

const HOLD = 'nothing is sent to Binance until 03:12:00 UTC'

/** Held 2 BTC before the test's trades; its balance read fails while `failing` says why. */
class HeldLeader extends AnyMarketLeader {
  failing: string | null = null
  reads = 0
  override async balances() {
    this.reads++
    if (this.failing !== null) throw new Error(this.failing)
    const held = await super.balances()
    return new Map([['BTC', (held.get('BTC') ?? new Decimal(0)).plus(2)]])
  }
}

let leader: HeldLeader
let gateway: FillingGateway
let copier: Copier
let store: Store

beforeEach(() => {
  leader = new HeldLeader()
  gateway = new FillingGateway()
  gateway.fillPrice = { 'BTC/USDT': '50000' }
  const world = { markets: { 'BTC/USDT': market('BTC/USDT') }, books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50010') } }, quoteUnits: {}, equity: new Decimal(100000) }
  ;({ copier, store } = makeCopier({ leader, gateway, world }))
})

afterEach(async () => {
  await copier.stop()
  store.close()
})

async function follow() {
  const f = await copier.follow(followSettings({ sizing: { mode: 'multiplier', value: '0.1' } }))
  await copier.idle() // the catch-up has read the leader's balances: the hold starts after it
  return f
}

const records = (followId: string) => copier.records({ followId, limit: 100 })

describe("copier: the leader's balance could not be read when its position in a market was to start", () => {
  it('a buy is copied (its size does not need the position); a sale is skipped with the reason, no order sent', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3 BTC; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.3', '50000') // a tenth of 3: not 0.3 of a position counted from 0
    await copier.idle()
    const [sale, buy] = records(f.id)
    expect(buy).toMatchObject({ side: 'buy', status: 'copied', followerAmount: '0.1' })
    expect(sale).toMatchObject({ side: 'sell', status: 'skipped', rule: 'leader-position', followerAmount: null, reason: expect.stringContaining(`the leader's BTC balance could not be read: ${HOLD}`) })
    expect(gateway.submits.map((s) => s.side)).toEqual(['buy'])
    expect(leader.reads).toBeGreaterThanOrEqual(2) // read again at the sale, not only at the first fill
    // Drift does not show the leader out of the market (0, the copies expected to hold nothing): not known.
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: null, followerPosition: '0.1', expectedPosition: '0.1', driftPct: '0' }])
  })

  it('the next fill reads again: once it succeeds, the skipped sale is made up and the sale is its share of the real position', async () => {
    const f = await follow()
    leader.failing = 'binance GET /api/v3/account 503 Service Unavailable'
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3 BTC; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.3', '50000') // 3 → 2.7: skipped, the copies keep 0.1
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'sell', '1.35', '50000') // half of 2.7
    await copier.idle()
    // The skipped sale was a tenth of 3 (0.01 owed), but the leader's 2 BTC from before the follow were not
    // copied: the copies' 0.1 are already below 0.1 × the 2.7 it holds now, so the catch-up sells nothing
    // (said, settled); the sale is half of the copies' 0.1.
    const [half, catchUp, skipped] = records(f.id)
    expect(skipped).toMatchObject({ status: 'skipped', rule: 'leader-position' })
    expect(catchUp).toMatchObject({ side: 'sell', status: 'skipped', rule: 'no-position', followerAmount: '0' })
    expect(catchUp!.reason).toContain('owed 0.01 BTC, capped to 0 BTC because the leader now holds 2.7 BTC')
    expect(half).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.05' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '1.35', followerPosition: '0.05' }])
    leader.trade('BTC/USDT', 'sell', '1.35', '50000') // the rest: an exit
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.05' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0', followerPosition: '0' }])
  })

  it('the read that succeeds leaves out the fills seen but not handled yet: two sales told together', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // 2 → 2.5 BTC; copies 0.05
    await copier.idle()
    leader.failing = null
    // Both seen before the first is handled: the balance read for the first (0.625) already holds the second.
    const a = leader.trade('BTC/USDT', 'sell', '1.25', '50000', { silent: true }) // half of 2.5
    const b = leader.trade('BTC/USDT', 'sell', '0.625', '50000', { silent: true }) // half of 1.25
    leader.tell([a, b])
    await copier.idle()
    const [second, first] = records(f.id)
    expect(first).toMatchObject({ leaderTradeId: a.tradeId, status: 'copied', followerAmount: '0.025' })
    expect(second).toMatchObject({ leaderTradeId: b.tradeId, status: 'copied', followerAmount: '0.0125' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0.625', followerPosition: '0.0125' }])
  })

  // The fills seen while the position was not known were stored with a position before them of 0; the leader's
  // P&L in Drift starts from the first one's. The read that succeeds tells what the leader held before them too.
  it("the read that succeeds gives the leader's P&L its holding from before the unread fills", async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3 BTC at 50000
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'sell', '1.5', '60000') // half of 3: 15000 gained on the 1.5 sold
    await copier.idle()
    // The 1.5 left, valued at its last fill's 60000 (no price now on the leader's venue): 15000 more. From a
    // start at 0 it was 10000 (1 bought, 1 of the 1.5 sold at a gain).
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '1.5', leaderPriced: 'last-fill', leaderPnl: '30000' }])
  })

  it('a fill stored while the position is unknown says so (no position before it), until the read that works tells it', async () => {
    await follow()
    leader.failing = HOLD
    const buy = leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3
    await copier.idle()
    const sale = leader.trade('BTC/USDT', 'sell', '0.3', '50000') // 3 → 2.7
    await copier.idle()
    // Not 0: the leader held 2 BTC, the app just could not read it.
    expect(copier.store.leaderFillPosition(leader.id, 'BTC/USDT', buy.tradeId)).toBeNull()
    expect(copier.store.leaderFillPosition(leader.id, 'BTC/USDT', sale.tradeId)).toBeNull()
    leader.failing = null
    const next = leader.trade('BTC/USDT', 'buy', '0.3', '50000') // read: 2.7 before it
    await copier.idle()
    expect(copier.store.leaderFillPosition(leader.id, 'BTC/USDT', buy.tradeId)).toBe('2')
    expect(copier.store.leaderFillPosition(leader.id, 'BTC/USDT', sale.tradeId)).toBe('3')
    expect(copier.store.leaderFillPosition(leader.id, 'BTC/USDT', next.tradeId)).toBe('2.7')
  })

  it('a position that could not be read is not kept across a restart: the first fill after it reads again', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3
    await copier.idle()
    await copier.stop()
    leader.failing = null
    copier.start()
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half of 3
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.05' })
  })
})

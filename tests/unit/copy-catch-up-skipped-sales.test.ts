import Decimal from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Copier } from '../../src-main/copy/copier'
import { AppError } from '../../src-main/api/errors'
import type { OrderIntent } from '../../src-main/trading/model'
import type { Store } from '../../src-main/store/open'
import { AnyMarketLeader, FillingGateway, followerVenues, followSettings, makeCopier, market, type World } from '../support/copy/world'

// While the leader's position in a market is not known (its balance could not be read), its sales are skipped:
// their share of the position cannot be sized. Once a read succeeds the positions before those sales are known,
// and the copies are brought back to their share: one catch-up sale for what the skipped sales would have sold,
// through the same decision, market rules and order path as any copy sale. Not placeable (too small, refused):
// said, and tried again at the leader's next fill.

const HOLD = 'nothing is sent to Binance until 03:12:00 UTC'

/** Held 2 BTC before the test's trades; its balance read fails while `failing` says why. */
class HeldLeader extends AnyMarketLeader {
  failing: string | null = null
  override async balances() {
    if (this.failing !== null) throw new Error(this.failing)
    const held = await super.balances()
    return new Map([['BTC', (held.get('BTC') ?? new Decimal(0)).plus(2)]])
  }
}

/**
 * The order manager's risk check refuses sales while `refuseSales` says why (nothing is stored or sent); while
 * `salesEndFilled` is set, the exchange ends a sale having filled that much (0: rejected, else canceled).
 */
class RiskGateway extends FillingGateway {
  refuseSales: string | null = null
  salesEndFilled: string | null = null
  override async submit(intent: OrderIntent) {
    if (intent.side === 'sell' && this.refuseSales !== null) throw new AppError('CONFLICT', this.refuseSales)
    const order = await super.submit(intent)
    if (intent.side !== 'sell' || this.salesEndFilled === null) return order
    const filled = new Decimal(this.salesEndFilled)
    const ended = { ...order, filled: filled.toFixed(), cost: filled.times(this.fillPrice[intent.symbol] ?? '1').toFixed(), status: filled.isZero() ? ('rejected' as const) : ('canceled' as const) }
    this.orders.set(order.clientOrderId, ended)
    return ended
  }
}

let leader: HeldLeader
let gateway: RiskGateway
let copier: Copier
let store: Store
let world: World

beforeEach(() => {
  leader = new HeldLeader()
  gateway = new RiskGateway()
  gateway.fillPrice = { 'BTC/USDT': '50000' }
  world = { markets: { 'BTC/USDT': market('BTC/USDT') }, books: { 'BTC/USDT': { bid: new Decimal('49990'), ask: new Decimal('50010') } }, quoteUnits: {}, equity: new Decimal(100000) }
  ;({ copier, store } = makeCopier({ leader, gateway, world }))
})

afterEach(async () => {
  await copier.stop()
  store.close()
})

async function follow() {
  const f = await copier.follow(followSettings({ sizing: { mode: 'multiplier', value: '0.1' } }))
  await copier.idle()
  return f
}

const records = (followId: string) => copier.records({ followId, limit: 100 })
const sells = () => gateway.submits.filter((s) => s.side === 'sell').map((s) => s.amount)

describe('copier: sales skipped while the leader position was unknown are made up once it is known', () => {
  it('one catch-up sale of what the skipped sale would have sold, then copying goes on from the corrected copy', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3 BTC; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half of 3: skipped, the copies keep 0.1
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'skipped', rule: 'leader-position' })
    expect(sells()).toEqual([])
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(true)

    leader.failing = null
    leader.trade('BTC/USDT', 'sell', '0.75', '50000') // read: 1.5 before it; half of 1.5
    await copier.idle()
    // The skipped sale was half of the 3 held then: the copies sell half of their 0.1 first, then this sale's
    // half of the 0.05 left — not half of 0.1.
    expect(sells()).toEqual(['0.05', '0.025'])
    const [sale, catchUp] = records(f.id)
    expect(catchUp).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.05', leaderAmount: '1.5' })
    expect(catchUp!.reason).toContain('made up 1 sale skipped while the leader')
    expect(catchUp!.reason).toContain('0.05 BTC')
    expect(sale).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.025' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0.75', followerPosition: '0.025', expectedPosition: '0.025', driftPct: '0' }])

    // Made up once: the next fills do not sell it again (nor walk the market's records to find that out).
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(false)
    leader.trade('BTC/USDT', 'buy', '0.25', '50000')
    await copier.idle()
    expect(sells()).toEqual(['0.05', '0.025'])
    expect(records(f.id).filter((r) => r.reason?.includes('made up'))).toHaveLength(1)
  })

  it('two skipped sales around a copied buy: the catch-up sizes each from the position before it', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '2', '50000') // 2 → 4; copies 0.2
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1', '50000') // a quarter of 4 → 3: the copies should keep 0.15
    await copier.idle()
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 3 → 4; copies 0.1 more (0.25 should be there)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '2', '50000') // half of 4 → 2: the copies should keep 0.125
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '1', '50000') // read: 2 before it; copies 0.1
    await copier.idle()
    // The copies hold 0.3 bought; they should hold 0.125: 0.175 is made up, before the buy is copied.
    expect(gateway.submits.map((s) => `${s.side} ${s.amount}`)).toEqual(['buy 0.2', 'buy 0.1', 'sell 0.175', 'buy 0.1'])
    const catchUp = records(f.id).find((r) => r.reason?.includes('made up'))
    expect(catchUp).toMatchObject({ status: 'copied', followerAmount: '0.175', leaderAmount: '3' })
    expect(catchUp!.reason).toContain('made up 2 sales skipped')
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '3', followerPosition: '0.225', driftPct: '0' }])
  })

  it("a catch-up's record gives the price the leader sold the skipped sales at, not the price of the fill that triggered it", async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1', '50000')
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.5', '53000')
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '0.5', '52000') // read: the catch-up of both sales
    await copier.idle()
    // The Copy page shows it as "sell 1.5 BTC/USDT @ <price>": the leader's 1.5 went at 51000 on average
    // ((1 × 50000 + 0.5 × 53000) / 1.5), not at the 52000 of the buy that triggered it.
    expect(records(f.id).find((r) => r.leaderTradeId.startsWith('catch-up:'))).toMatchObject({ status: 'copied', leaderAmount: '1.5', leaderPrice: '51000' })
  })

  it('a catch-up below the minimum order is said, nothing is sent, and it is tried again at the next fill', async () => {
    world.markets['BTC/USDT'] = market('BTC/USDT', { minNotional: '4000' })
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1 (5001 USDT)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.3', '50000') // a tenth of 3: the copies owe 0.01 (≈ 500 USDT)
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '1', '50000') // read: 2.7 before it; copies 0.1
    await copier.idle()
    expect(sells()).toEqual([])
    const refused = records(f.id).find((r) => r.side === 'sell' && r.rule === 'market-rules')
    expect(refused).toMatchObject({ status: 'skipped', followerAmount: '0.01' })
    expect(refused!.reason).toContain('1 sale skipped while the leader')
    expect(refused!.reason).toContain("below the market's minimum order of 4000 USDT")
    expect(refused!.reason).toContain("tried again at the leader's next fill")

    // The venue's minimum drops: the next fill makes the 0.01 up.
    world.markets['BTC/USDT'] = market('BTC/USDT', { minNotional: '5' })
    leader.trade('BTC/USDT', 'buy', '0.1', '50000') // copies 0.01
    await copier.idle()
    expect(sells()).toEqual(['0.01'])
    expect(records(f.id).find((r) => r.status === 'copied' && r.reason?.includes('made up'))).toMatchObject({ followerAmount: '0.01' })
    leader.trade('BTC/USDT', 'buy', '0.1', '50000')
    await copier.idle()
    expect(sells()).toEqual(['0.01'])
  })

  it('a catch-up that rounds to nothing at the step is said once as dust, not tried again at every fill', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.0015', '50000') // a 2000th of 3: the copies owe 0.00005, half the step 0.0001
    await copier.idle()
    leader.failing = null
    for (const n of [1, 2, 3]) {
      leader.trade('BTC/USDT', 'buy', '0.1', '50000', { tradeId: `b${n}` }) // copies 0.01 each
      await copier.idle()
    }
    expect(sells()).toEqual([])
    // No step of the market is owed: nothing could ever be sold of it, as of a catch-up's rounding remainder.
    const catchUps = records(f.id).filter((r) => r.leaderTradeId.startsWith('catch-up:'))
    expect(catchUps).toHaveLength(1)
    expect(catchUps[0]).toMatchObject({ status: 'skipped', rule: 'market-rules', followerAmount: '0' })
    expect(catchUps[0]!.reason).toContain('0.00005 BTC')
    expect(catchUps[0]!.reason).toContain('less than one step of the market: left as it is, not tried again')
    expect(catchUps[0]!.reason).not.toContain('tried again at the leader')
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(false)
  })

  it('a catch-up retried after coins were sold by hand sells what the first try meant to, not the copies\' share from before', async () => {
    // The account's free BTC: what the copies' orders bought less sold, less what the user sold by hand.
    let handSold = new Decimal(0)
    const free = async () => [...gateway.orders.values()].reduce((sum, o) => (o.side === 'buy' ? sum.plus(o.filled) : sum.minus(o.filled)), new Decimal(0)).minus(handSold)
    await copier.stop()
    store.close()
    ;({ copier, store } = makeCopier({ leader, gateway, world, followers: { ...followerVenues(world), free } }))
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe half of what they hold
    await copier.idle()
    handSold = new Decimal('0.02') // the account has 0.08 of the copies' 0.1
    leader.failing = null
    gateway.refuseSales = 'sells on acct-follower are blocked by the kill switch'
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; the catch-up (half of the 0.08 left: 0.04) is refused; copies 0.05
    await copier.idle()
    expect(records(f.id).find((r) => r.rule === 'risk')).toMatchObject({ status: 'skipped', followerAmount: '0.04' })
    gateway.refuseSales = null
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // copies 0.05
    await copier.idle()
    // The 0.02 sold by hand left the copies' book with the first try: what is owed is half of the 0.08, as then.
    expect(sells()).toEqual(['0.04'])
  })

  it('a catch-up the risk limits refuse is said, and made up at the next fill they let through', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe 0.05
    await copier.idle()
    leader.failing = null
    gateway.refuseSales = 'sells on acct-follower are blocked by the kill switch'
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; copies 0.05
    await copier.idle()
    const refused = records(f.id).find((r) => r.rule === 'risk')
    expect(refused).toMatchObject({ side: 'sell', status: 'skipped', followerAmount: '0.05' })
    expect(refused!.reason).toContain('catch-up refused by the risk limits: sells on acct-follower are blocked by the kill switch')
    expect(refused!.reason).toContain("tried again at the leader's next fill")
    expect(await copier.drift(f.id)).toMatchObject([{ followerPosition: '0.15' }])

    gateway.refuseSales = null
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // copies 0.05
    await copier.idle()
    expect(sells()).toEqual(['0.05']) // the refused one was stopped by the risk check, before the venue
    expect(records(f.id).filter((r) => r.status === 'copied' && r.reason?.includes('made up 1 sale'))).toHaveLength(1)
    // Leader: 2.5 BTC; the copies 0.1 + 0.05 + 0.05 − 0.05 = their share of it.
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.5', followerPosition: '0.15', driftPct: '0' }])
  })
  for (const [ended, filled] of [['rejected by the exchange', '0'], ['partly filled', '0.02']] as const) {
    it(`a catch-up ${ended} is made up at the next fill, and drift counts what was made up once`, async () => {
      const f = await follow()
      leader.failing = HOLD
      leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
      await copier.idle()
      leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe 0.05
      await copier.idle()
      leader.failing = null
      gateway.salesEndFilled = filled
      leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; the catch-up of 0.05 ends with `filled` sold; copies 0.05
      await copier.idle()
      gateway.salesEndFilled = null
      leader.trade('BTC/USDT', 'buy', '0.5', '50000') // the rest is made up; copies 0.05
      await copier.idle()
      expect(sells()).toEqual(['0.05', new Decimal('0.05').minus(filled).toFixed()])
      // Leader: 2.5 BTC after selling half of 3 and buying 1; the copies hold their share, and drift says so
      // (the first attempt's 0.05 is not expected to have left on top of the one that made it up).
      expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.5', followerPosition: '0.15', expectedPosition: '0.15', driftPct: '0' }])
    })
  }
})

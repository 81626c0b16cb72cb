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

/**
 * Held `outside` BTC (2) besides the test's trades: coins the copies do not mirror, and deposits (+) or
 * withdrawals (−) the test makes, which are no fills. Its balance read fails while `failing` says why.
 */
class HeldLeader extends AnyMarketLeader {
  failing: string | null = null
  outside = new Decimal(2)
  override async balances() {
    if (this.failing !== null) throw new Error(this.failing)
    const held = await super.balances()
    return new Map([['BTC', (held.get('BTC') ?? new Decimal(0)).plus(this.outside)]])
  }
  override async markets() {
    return [market('BTC/USDT')]
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

/** The copies start with their share of what the leader holds (copyExisting) unless `mirror` is false. */
async function follow(mirror = true) {
  const f = await copier.follow(followSettings({ sizing: { mode: 'multiplier', value: '0.1' }, copyExisting: mirror && leader.outside.gt(0) }))
  await copier.idle()
  return f
}

const records = (followId: string) => copier.records({ followId, limit: 100 })
const sells = () => gateway.submits.filter((s) => s.side === 'sell').map((s) => s.amount)

describe('copier: sales skipped while the leader position was unknown are made up once it is known', () => {
  it('one catch-up sale of what the skipped sale would have sold, then copying goes on from the corrected copy', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3 BTC; copies 0.1 (0.3 with the 0.2 copied at the start)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half of 3: skipped, the copies keep 0.3
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'skipped', rule: 'leader-position' })
    expect(sells()).toEqual([])
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(true)

    leader.failing = null
    leader.trade('BTC/USDT', 'sell', '0.75', '50000') // read: 1.5 before it; half of 1.5
    await copier.idle()
    // The skipped sale was half of the 3 held then: the copies sell half of their 0.3 first, then this sale's
    // half of the 0.15 left — not half of 0.3.
    expect(sells()).toEqual(['0.15', '0.075'])
    const [sale, catchUp] = records(f.id)
    expect(catchUp).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.15', leaderAmount: '1.5' })
    expect(catchUp!.reason).toContain('made up 1 sale skipped while the leader')
    expect(catchUp!.reason).toContain('0.15 BTC')
    expect(catchUp!.reason).not.toContain('capped')
    expect(sale).toMatchObject({ side: 'sell', status: 'copied', followerAmount: '0.075' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0.75', followerPosition: '0.075', expectedPosition: '0.075', driftPct: '0' }])

    // Made up once: the next fills do not sell it again (nor walk the market's records to find that out).
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(false)
    leader.trade('BTC/USDT', 'buy', '0.25', '50000')
    await copier.idle()
    expect(sells()).toEqual(['0.15', '0.075'])
    expect(records(f.id).filter((r) => r.reason?.includes('made up'))).toHaveLength(1)
  })

  it('two skipped sales around a copied buy: the catch-up sizes each from the position before it', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '2', '50000') // 2 → 4; copies 0.2 (0.4 with the 0.2 copied at the start)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1', '50000') // a quarter of 4 → 3: the copies should keep 0.3
    await copier.idle()
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 3 → 4; copies 0.1 more (0.4 should be there)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '2', '50000') // half of 4 → 2: the copies should keep 0.2
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '1', '50000') // read: 2 before it; copies 0.1
    await copier.idle()
    // The copies hold 0.5 bought; they should hold 0.2: 0.3 is made up, before the buy is copied.
    expect(gateway.submits.map((s) => `${s.side} ${s.amount}`)).toEqual(['buy 0.2', 'buy 0.2', 'buy 0.1', 'sell 0.3', 'buy 0.1'])
    const catchUp = records(f.id).find((r) => r.reason?.includes('made up'))
    expect(catchUp).toMatchObject({ status: 'copied', followerAmount: '0.3', leaderAmount: '3' })
    expect(catchUp!.reason).toContain('made up 2 sales skipped')
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '3', followerPosition: '0.3', driftPct: '0' }])
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
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1 (5001 USDT), 0.3 with the start's
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.3', '50000') // a tenth of 3: the copies owe 0.03 (≈ 1500 USDT)
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '1', '50000') // read: 2.7 before it; copies 0.1
    await copier.idle()
    expect(sells()).toEqual([])
    const refused = records(f.id).find((r) => r.side === 'sell' && r.rule === 'market-rules')
    expect(refused).toMatchObject({ status: 'skipped', followerAmount: '0.03' })
    expect(refused!.reason).toContain('1 sale skipped while the leader')
    expect(refused!.reason).toContain("below the market's minimum order of 4000 USDT")
    expect(refused!.reason).toContain("tried again at the leader's next fill")

    // The venue's minimum drops: the next fill makes the 0.03 up.
    world.markets['BTC/USDT'] = market('BTC/USDT', { minNotional: '5' })
    leader.trade('BTC/USDT', 'buy', '0.1', '50000') // copies 0.01
    await copier.idle()
    expect(sells()).toEqual(['0.03'])
    expect(records(f.id).find((r) => r.status === 'copied' && r.reason?.includes('made up'))).toMatchObject({ followerAmount: '0.03' })
    leader.trade('BTC/USDT', 'buy', '0.1', '50000')
    await copier.idle()
    expect(sells()).toEqual(['0.03'])
  })

  it('a catch-up that rounds to nothing at the step is said once as dust, not tried again at every fill', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.0005', '50000') // a 6000th of 3: the copies owe 0.00005 of 0.3, half the step 0.0001
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
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1 (0.3 with the start's)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe half of what they hold
    await copier.idle()
    handSold = new Decimal('0.06') // the account has 0.24 of the copies' 0.3
    leader.failing = null
    gateway.refuseSales = 'sells on acct-follower are blocked by the kill switch'
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; the catch-up (half of the 0.24 left: 0.12) is refused; copies 0.05
    await copier.idle()
    expect(records(f.id).find((r) => r.rule === 'risk')).toMatchObject({ status: 'skipped', followerAmount: '0.12' })
    gateway.refuseSales = null
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // copies 0.05
    await copier.idle()
    // The 0.06 sold by hand left the copies' book with the first try: what is owed is half of the 0.24, as then
    // (not 0.15). Below their share (they lost 0.06 outside), the copies' 0.29 stop at 0.1 × the leader's 2 BTC.
    expect(sells()).toEqual(['0.09'])
    expect(records(f.id).find((r) => r.status === 'copied' && r.leaderTradeId.startsWith('catch-up:'))!.reason).toContain('owed 0.12 BTC, capped to 0.09 BTC because the leader now holds 2 BTC')
  })

  it('a catch-up the risk limits refuse is said, and made up at the next fill they let through', async () => {
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1 (0.3 with the start's)
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe 0.15
    await copier.idle()
    leader.failing = null
    gateway.refuseSales = 'sells on acct-follower are blocked by the kill switch'
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; copies 0.05
    await copier.idle()
    const refused = records(f.id).find((r) => r.rule === 'risk')
    expect(refused).toMatchObject({ side: 'sell', status: 'skipped', followerAmount: '0.15' })
    expect(refused!.reason).toContain('catch-up refused by the risk limits: sells on acct-follower are blocked by the kill switch')
    expect(refused!.reason).toContain("tried again at the leader's next fill")
    expect(await copier.drift(f.id)).toMatchObject([{ followerPosition: '0.35' }])

    gateway.refuseSales = null
    leader.trade('BTC/USDT', 'buy', '0.5', '50000') // copies 0.05
    await copier.idle()
    expect(sells()).toEqual(['0.15']) // the refused one was stopped by the risk check, before the venue
    expect(records(f.id).filter((r) => r.status === 'copied' && r.reason?.includes('made up 1 sale'))).toHaveLength(1)
    // Leader: 2.5 BTC; the copies 0.2 + 0.1 + 0.05 + 0.05 − 0.15 = their share of it.
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.5', followerPosition: '0.25', driftPct: '0' }])
  })
  for (const [ended, filled] of [['rejected by the exchange', '0'], ['partly filled', '0.02']] as const) {
    it(`a catch-up ${ended} is made up at the next fill, and drift counts what was made up once`, async () => {
      const f = await follow()
      leader.failing = HOLD
      leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1 (0.3 with the start's)
      await copier.idle()
      leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: the copies owe 0.15
      await copier.idle()
      leader.failing = null
      gateway.salesEndFilled = filled
      leader.trade('BTC/USDT', 'buy', '0.5', '50000') // read; the catch-up of 0.15 ends with `filled` sold; copies 0.05
      await copier.idle()
      gateway.salesEndFilled = null
      leader.trade('BTC/USDT', 'buy', '0.5', '50000') // the rest is made up; copies 0.05
      await copier.idle()
      expect(sells()).toEqual(['0.15', new Decimal('0.15').minus(filled).toFixed()])
      // Leader: 2.5 BTC after selling half of 3 and buying 1; the copies hold their share, and drift says so
      // (the first attempt's 0.15 is not expected to have left on top of the one that made it up).
      expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.5', followerPosition: '0.25', expectedPosition: '0.25', driftPct: '0' }])
    })
  }
})

// The positions before the skipped sales are counted back from a later read: coins moved between the sale and the
// read that are no fills (a deposit, a withdrawal, the coin traded in another market) move them too, so a sale's
// share of them can be off. A catch-up never sells the copies below their share of the leader's position now
// (the sizing's ratio × the position just read): catch-up = min(what is owed, max(0, held − that target)).
describe('copier: a catch-up is bounded by the leader position now', () => {
  it('a deposit between the skipped sale and the read: the catch-up stops at the copies\' share of the position now, said, and settles', async () => {
    leader.outside = new Decimal(0) // the copies mirror all the leader holds
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '3', '50000') // 0 → 3; copies 0.3
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // half: skipped
    await copier.idle()
    leader.outside = new Decimal('0.5') // deposited: 2 BTC now, no fill says so
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '0.5', '50000', { tradeId: 'b1' }) // read: 2 before it; copies 0.05
    await copier.idle()
    // Counted back, the sale was 1.5 of 3.5 (3/7 of 0.3 ≈ 0.1286 owed); the leader holds 2 now, so the copies'
    // share is 0.2 and they sell 0.1 down to it, not below.
    expect(sells()).toEqual(['0.1'])
    const catchUp = records(f.id).find((r) => r.leaderTradeId.startsWith('catch-up:'))!
    expect(catchUp).toMatchObject({ status: 'copied', followerAmount: '0.1' })
    expect(catchUp.reason).toContain('owed 0.12857143 BTC, capped to 0.1 BTC because the leader now holds 2 BTC')
    expect(catchUp.reason).toContain('the cap settles the rest')
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.5', followerPosition: '0.25', expectedPosition: '0.25', driftPct: '0' }])
    // Settled: the rest is not sold at the next fills.
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(false)
    leader.trade('BTC/USDT', 'buy', '0.5', '50000', { tradeId: 'b2' })
    await copier.idle()
    expect(sells()).toEqual(['0.1'])
  })

  it('copies already at or below their share of the position now sell nothing: said once, settled, not retried', async () => {
    const f = await follow(false) // the leader's 2 BTC held before are not mirrored: the copies are below 0.1 × its position
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '1', '50000') // 2 → 3; copies 0.1
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '1.5', '50000') // skipped
    await copier.idle()
    leader.outside = new Decimal(5) // deposited 3
    leader.failing = null
    for (const n of [1, 2]) {
      leader.trade('BTC/USDT', 'buy', '0.1', '50000', { tradeId: `b${n}` }) // read at the first: 4.5 before it
      await copier.idle()
    }
    expect(sells()).toEqual([])
    const catchUps = records(f.id).filter((r) => r.leaderTradeId.startsWith('catch-up:'))
    expect(catchUps).toHaveLength(1)
    expect(catchUps[0]).toMatchObject({ status: 'skipped', followerAmount: '0' })
    expect(catchUps[0]!.reason).toContain('capped to 0 BTC because the leader now holds 4.5 BTC')
    expect(catchUps[0]!.reason).not.toContain("tried again at the leader's next fill")
    expect(copier.store.skippedSinceCatchUp(f.id, 'BTC/USDT')).toBe(false)
  })

  it('a withdrawal between the skipped sale and the read: what the skipped sale owes, capped by the position now, never the whole copy', async () => {
    leader.outside = new Decimal(0)
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '3', '50000') // 0 → 3; copies 0.3
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '0.3', '50000') // a tenth: skipped (0.03 owed)
    await copier.idle()
    leader.outside = new Decimal('-2.5') // withdrew 2.5: 0.2 BTC now, no fill says so
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '0.1', '50000') // read: 0.2 before it; copies 0.01
    await copier.idle()
    // Counted back the sale was 0.3 of 0.5 (0.18 owed, not the 0.03 it was); the leader holds 0.2 now, its
    // share 0.02: the copies sell 0.18, keeping 0.12 — never the whole 0.3 the 100 % share would have sold.
    expect(sells()).toEqual(['0.18'])
    expect(records(f.id).find((r) => r.leaderTradeId.startsWith('catch-up:'))).toMatchObject({ status: 'copied', followerAmount: '0.18' })
    expect(records(f.id).find((r) => r.leaderTradeId.startsWith('catch-up:'))!.reason).not.toContain('capped')
  })

  it('the leader out of the market now: whatever the counting back says, the copies sell all of it, no more', async () => {
    leader.outside = new Decimal(0)
    const f = await follow()
    leader.failing = HOLD
    leader.trade('BTC/USDT', 'buy', '3', '50000') // copies 0.3
    await copier.idle()
    leader.trade('BTC/USDT', 'sell', '3', '50000') // the exit: skipped
    await copier.idle()
    leader.failing = null
    leader.trade('BTC/USDT', 'buy', '1', '50000') // read: 0 before it; copies 0.1
    await copier.idle()
    expect(gateway.submits.map((s) => `${s.side} ${s.amount}`)).toEqual(['buy 0.3', 'sell 0.3', 'buy 0.1'])
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '1', followerPosition: '0.1', driftPct: '0' }])
  })
})

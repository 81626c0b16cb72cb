import Decimal from 'decimal.js'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { CopyRecordView, DriftRow, FollowView } from '../../src-main/api/schemas/copy'
import { EngineFollowerVenues } from '../../src-main/copy/wiring'

// Two relationships copy two leaders onto the same account, in the same coin. Each copy sale reads the
// account's free balance; when the user has sold some of the coins by hand, what is free must be shared:
// two sales deciding at once on the same read would both ask for it, and the exchange refuse one.

const MIA = 'sim:trader:mean-mia' // ETH/USDT
const BEN = 'sim:trader:breakout-ben' // ETH/USDT
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(30_000)
})
afterEach(async () => {
  vi.restoreAllMocks()
  await core.stop()
})

let n = 0
function trade(account: string, side: 'buy' | 'sell', amount: string) {
  const { fills } = core.sim.engine.placeOrder({ accountId: account, clientOrderId: `sc${n++}`, symbol: 'ETH/USDT', side, type: 'market', amount, timeInForce: 'IOC', postOnly: false })
  expect(fills.length).toBeGreaterThan(0)
}
const ethOf = (account: string, kind: 'free' | 'total' = 'total') => new Decimal(core.sim.engine.balances(account).find((b) => b.asset === 'ETH')?.[kind] ?? '0')
const held = (records: CopyRecordView[]) => records.reduce((sum, r) => sum.plus(new Decimal(r.followerFilled).times(r.side === 'buy' ? 1 : -1)), new Decimal(0))

async function follow(leaderId: string): Promise<FollowView> {
  const reply = await core.router.invoke('copy.follow', { leaderId, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' }, { door: 'test' })
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as FollowView
}

it('two sales of the same coin deciding at once share what is free: neither is refused, no more is sold than was free', async () => {
  const mia = await follow(MIA)
  const ben = await follow(BEN)
  const records = (f: FollowView) => core.copy.records({ followId: f.id, limit: 1000 })
  trade('trader:mean-mia', 'buy', '0.3')
  trade('trader:breakout-ben', 'buy', '0.3')
  await core.copy.idle()
  expect(held(records(mia)).gt('0.2')).toBe(true)
  expect(held(records(ben)).gt('0.2')).toBe(true)
  // the user sells by hand about what one relationship holds: the rest is free, not enough for both
  trade('paper', 'sell', held(records(ben)).toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  const free = ethOf('paper', 'free')
  expect(free.lt(held(records(mia)).plus(held(records(ben))))).toBe(true)

  // both balance reads answered only once both are asked: the two sales decide at the same moment
  let asked = 0
  let release!: () => void
  const both = new Promise<void>((resolve) => (release = resolve))
  const real = EngineFollowerVenues.prototype.free
  vi.spyOn(EngineFollowerVenues.prototype, 'free').mockImplementation(async function (this: EngineFollowerVenues, venueId, asset) {
    if (++asked === 2) release()
    await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 2000))])
    return real.call(this, venueId, asset)
  })
  // both leaders exit (what they hold, to the market's 0.0001 step: a simulated trader's fees can leave more decimals)
  trade('trader:mean-mia', 'sell', ethOf('trader:mean-mia').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  trade('trader:breakout-ben', 'sell', ethOf('trader:breakout-ben').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  await core.copy.idle()

  const sells = [...records(mia), ...records(ben)].filter((r) => r.side === 'sell')
  expect(asked).toBeGreaterThanOrEqual(2)
  expect(sells.filter((r) => r.status === 'failed' || (r.status === 'skipped' && r.rule === 'risk')).map((r) => r.error ?? r.reason)).toEqual([])
  const sold = sells.reduce((sum, r) => sum.plus(r.followerFilled), new Decimal(0))
  expect(sold.lte(free)).toBe(true)
  // what was free was sold (to the step), and both books let go of the coins the user sold
  expect(free.minus(sold).lt('0.001')).toBe(true)
  for (const f of [mia, ben]) {
    const drift = await core.router.invoke('copy.drift', { followId: f.id }, { door: 'test' })
    if (!drift.ok) throw new Error(drift.error.message)
    expect((drift.value as DriftRow[])[0]!.followerPosition).toBe('0')
  }
})

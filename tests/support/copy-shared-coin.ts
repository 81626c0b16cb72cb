import Decimal from 'decimal.js'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { simClockCore } from './temp-core'
import type { Core } from '../../src-main/core'
import type { CopyRecordView, FollowView } from '../../src-main/api/schemas/copy'
import { EngineFollowerVenues } from '../../src-main/copy/wiring'

// Two relationships copying two leaders (both in ETH/USDT) onto the same paper account, which holds less
// free ETH than both copies together: the setup of the tests where two sales of that coin decide at once.
// A real engine per test, on the simulated exchange's clock from a fixed start (simClockCore): the leaders'
// and the user's market orders walk the synthetic book, which is then the same every run. Registers its own hooks.

const MIA = 'sim:trader:mean-mia' // ETH/USDT
const BEN = 'sim:trader:breakout-ben' // ETH/USDT

export function copySharedCoin(orderIdPrefix: string) {
  let core: Core
  beforeEach(() => {
    core = simClockCore()
    core.sim.runtime.advance(30_000)
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await core.stop()
  })

  let n = 0
  function trade(account: string, side: 'buy' | 'sell', amount: string) {
    const { fills } = core.sim.engine.placeOrder({ accountId: account, clientOrderId: `${orderIdPrefix}${n++}`, symbol: 'ETH/USDT', side, type: 'market', amount, timeInForce: 'IOC', postOnly: false })
    expect(fills.length).toBeGreaterThan(0)
  }
  const ethOf = (account: string, kind: 'free' | 'total' = 'total') => new Decimal(core.sim.engine.balances(account).find((b) => b.asset === 'ETH')?.[kind] ?? '0')
  const held = (records: CopyRecordView[]) => records.reduce((sum, r) => sum.plus(new Decimal(r.followerFilled).times(r.side === 'buy' ? 1 : -1)), new Decimal(0))

  async function follow(leaderId: string): Promise<FollowView> {
    const reply = await core.router.invoke('copy.follow', { leaderId, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' }, { door: 'test' })
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.value as FollowView
  }

  /** Follows Mia and Ben, both leaders buy, and the user sells by hand about what one copy holds. */
  async function twoCopiesLessFree() {
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
    return { mia, ben, records, free }
  }

  /**
   * Holds every free-balance read until two are asked (or 2 s pass), so two sales decide at the same
   * moment; returns how many reads were asked so far.
   */
  function gateBalanceReads(): () => number {
    let asked = 0
    let release!: () => void
    const both = new Promise<void>((resolve) => (release = resolve))
    const real = EngineFollowerVenues.prototype.free
    vi.spyOn(EngineFollowerVenues.prototype, 'free').mockImplementation(async function (this: EngineFollowerVenues, venueId, asset) {
      if (++asked === 2) release()
      await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 2000))])
      return real.call(this, venueId, asset)
    })
    return () => asked
  }

  return { core: () => core, trade, ethOf, twoCopiesLessFree, gateBalanceReads }
}

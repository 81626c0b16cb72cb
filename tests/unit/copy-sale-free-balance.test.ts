import Decimal from 'decimal.js'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { FollowView } from '../../src-main/api/schemas/copy'
import { EngineFollowerVenues } from '../../src-main/copy/wiring'

// A copy sale reads the follower's free balance of the coin (sells what is free, not what the copies
// bought). That read is a REST round trip on an exchange (~220 ms on OKX): a sale moments after the last read,
// with only the app's own fills since, decides at once on that balance instead of waiting for another.

const MIA = 'sim:trader:mean-mia' // ETH/USDT
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
function leader(side: 'buy' | 'sell', amount: string) {
  const { fills } = core.sim.engine.placeOrder({ accountId: 'trader:mean-mia', clientOrderId: `fb${n++}`, symbol: 'ETH/USDT', side, type: 'market', amount, timeInForce: 'IOC', postOnly: false })
  expect(fills.length).toBeGreaterThan(0)
}
const eth = () => new Decimal(core.sim.engine.balances('trader:mean-mia').find((b) => b.asset === 'ETH')?.total ?? '0')

it('a sale right after another decides without waiting for the balance read, and sells what is free', async () => {
  const reply = await core.router.invoke('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' }, { door: 'test' })
  if (!reply.ok) throw new Error(reply.error.message)
  const follow = reply.value as FollowView
  const sells = () => core.copy.records({ followId: follow.id, limit: 1000 }).filter((r) => r.side === 'sell')
  leader('buy', '0.3')
  await core.copy.idle()
  leader('sell', eth().times('0.4').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  await core.copy.idle()
  const first = sells().length
  expect(first).toBeGreaterThan(0)

  // from now on the exchange is slow to answer a balance read: held until the test lets it go
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const real = EngineFollowerVenues.prototype.free
  const free = vi.spyOn(EngineFollowerVenues.prototype, 'free').mockImplementation(async function (this: EngineFollowerVenues, venueId, asset) {
    await gate
    return real.call(this, venueId, asset)
  })
  leader('sell', eth().times('0.5').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  try {
    await vi.waitFor(() => expect(sells().length).toBeGreaterThan(first), { timeout: 1000, interval: 10 })
  } finally {
    release()
  }
  await core.copy.idle()
  const second = sells().slice(0, sells().length - first)
  expect(second.filter((r) => r.status === 'failed' || r.status === 'skipped')).toEqual([])
  // nothing was sold outside the copies: no coins leave the book
  expect(second.map((r) => r.reason ?? '').join(' | ')).not.toMatch(/is free/)
  expect(free).toHaveBeenCalled() // read again, off the decision, for the next sale
})

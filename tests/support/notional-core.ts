import { afterEach, beforeEach } from 'vitest'
import { tempCore } from './temp-core'
import { contractCalls } from './contract-calls'
import { saveRiskLimits } from './risk-limits'
import type { Core } from '../../src-main/core'
import type { CommandInput } from '../../src-main/api/contract'

// A real engine per test with the simulated exchange held still (BTC/USDT near 94800) and a max order
// notional of 100 USDT, for the tests of conditional orders held to that limit; registers its own hooks.

type SingleLeg = Extract<CommandInput<'conditional.create'>, { type: 'single' }>['leg']

export function notionalCore() {
  const ctx = { door: 'test' } as const
  let core: Core
  const calls = contractCalls(() => core, ctx)
  beforeEach(async () => {
    core = tempCore()
    core.sim.runtime.advance(60_000)
    await saveRiskLimits(calls.ok, { maxOrderNotional: '100', maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null })
  })
  afterEach(async () => {
    await core.stop()
  })
  /** A single-leg conditional order on the simulated BTC/USDT. */
  const single = (leg: SingleLeg): CommandInput<'conditional.create'> => ({ type: 'single', venueId: 'sim', symbol: 'BTC/USDT', leg })
  return { ...calls, single }
}

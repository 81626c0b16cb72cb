import { describe, expect, it } from 'vitest'
import { maxDrawdownPct, stepReturns, timeWeightedReturnPct } from '../../src-main/analytics/metrics'

// An account's equity can fall below zero when its history is short (more BTC sold than the ledger holds,
// then BTC rises). No money can lose more than itself: a step is −100 % at worst, so the period's return
// never shows −300 %, and a later gain never turns it lower (a negative growth chained flips its sign).

const DAY = 86_400_000
const p = (day: number, value: number, netDeposits = 100) => ({ time: day * DAY, value: String(value), netDeposits: String(netDeposits), deposited: String(netDeposits) })

describe('equity below zero', () => {
  it('100 put in, equity −200 a day later: −100 %, a 100 % drawdown', () => {
    const curve = [p(0, 100), p(1, -200)]
    expect(timeWeightedReturnPct(curve)).toBe('-100')
    expect(maxDrawdownPct(stepReturns(curve, 'day'))).toBe(100)
  })

  it('then 1,000 put in that makes +50 %: still −100 % (all was lost), never −175 %', () => {
    // Day 2: 1,000 put in beside the −200 (800 at work), 1,200 on day 3.
    const curve = [p(0, 100), p(1, -200), { ...p(2, -200), beforeFlow: true }, p(3, 1200, 1100)]
    expect(timeWeightedReturnPct(curve)).toBe('-100')
    expect(maxDrawdownPct(stepReturns(curve, 'day'))).toBe(100)
  })
})

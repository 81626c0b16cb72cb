import Decimal from 'decimal.js'
import { expect, it } from 'vitest'
import type { DriftRow } from '../../src-main/api/schemas/copy'
import { copySharedCoin } from '../support/copy-shared-coin'

// Two relationships copy two leaders onto the same account, in the same coin. Each copy sale reads the
// account's free balance; when the user has sold some of the coins by hand, what is free must be shared:
// two sales deciding at once on the same read would both ask for it, and the exchange refuse one.

const { core, trade, ethOf, twoCopiesLessFree, gateBalanceReads } = copySharedCoin('sc')

it('two sales of the same coin deciding at once share what is free: neither is refused, no more is sold than was free', async () => {
  const { mia, ben, records, free } = await twoCopiesLessFree()

  // both balance reads answered only once both are asked: the two sales decide at the same moment
  const asked = gateBalanceReads()
  // both leaders exit (what they hold, to the market's 0.0001 step: a simulated trader's fees can leave more decimals)
  trade('trader:mean-mia', 'sell', ethOf('trader:mean-mia').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  trade('trader:breakout-ben', 'sell', ethOf('trader:breakout-ben').toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed())
  await core().copy.idle()

  const sells = [...records(mia), ...records(ben)].filter((r) => r.side === 'sell')
  expect(asked()).toBeGreaterThanOrEqual(2)
  expect(sells.filter((r) => r.status === 'failed' || (r.status === 'skipped' && r.rule === 'risk')).map((r) => r.error ?? r.reason)).toEqual([])
  const sold = sells.reduce((sum, r) => sum.plus(r.followerFilled), new Decimal(0))
  expect(sold.lte(free)).toBe(true)
  // what was free was sold (to the step), and both books let go of the coins the user sold
  expect(free.minus(sold).lt('0.001')).toBe(true)
  for (const f of [mia, ben]) {
    const drift = await core().router.invoke('copy.drift', { followId: f.id }, { door: 'test' })
    if (!drift.ok) throw new Error(drift.error.message)
    expect((drift.value as DriftRow[])[0]!.followerPosition).toBe('0')
  }
})

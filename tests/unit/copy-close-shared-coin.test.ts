import Decimal from 'decimal.js'
import { expect, it } from 'vitest'
import { copySharedCoin } from '../support/copy-shared-coin'

// Two relationships copy two leaders onto the same account, in the same coin, and the user sold some of it
// by hand. "Unfollow and close positions" on one of them while the other's leader exits: the close and the
// copy sale each read the account's free balance at the same moment. Unless they share what is free, both
// ask for it and the exchange refuses one.

const { core, trade, ethOf, twoCopiesLessFree, gateBalanceReads } = copySharedCoin('cc')

it('a close and a copy sale of the same coin at once share what is free: neither is refused, no more is sold than was free', async () => {
  const { mia, ben, records, free } = await twoCopiesLessFree()

  // both balance reads answered only once both are asked: the close and the sale decide at the same moment
  const asked = gateBalanceReads()
  trade('trader:mean-mia', 'sell', ethOf('trader:mean-mia').toFixed()) // Mia exits: her copies sell
  const closed = await core().copy.unfollowAndClose(ben.id) // and Ben's relationship is closed
  await core().copy.idle()

  expect(asked()).toBeGreaterThanOrEqual(2)
  expect(closed.closes.filter((c) => c.outcome === 'refused').map((c) => c.message)).toEqual([])
  const sales = records(mia).filter((r) => r.side === 'sell')
  expect(sales.filter((r) => r.status === 'failed' || (r.status === 'skipped' && r.rule === 'risk')).map((r) => r.error ?? r.reason)).toEqual([])
  const closedAmount = closed.closes.reduce((sum, c) => sum.plus(c.amount ?? 0), new Decimal(0))
  const sold = sales.reduce((sum, r) => sum.plus(r.followerFilled), new Decimal(0)).plus(closedAmount)
  expect(sold.lte(free)).toBe(true)
  // what was free was sold (to the step)
  expect(free.minus(sold).lt('0.001')).toBe(true)
  expect(ethOf('paper', 'free').lt('0.001')).toBe(true)
})

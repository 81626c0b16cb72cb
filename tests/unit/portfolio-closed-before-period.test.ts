import { describe, expect, it } from 'vitest'
import type { PortfolioPeriod } from '../../src-main/api/schemas/portfolio'
import type { LivePortfolio } from '../../src-main/portfolio/live/service'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { D0, leaderboardLedger, money, NOW, trade } from './leaderboard-support'

// An account closed with coin dust left keeps the return it made: the dust's price moves are no one's
// return. That holds for a period that starts after it was closed too — its 24h or 7d figure is not the
// dust doubling (+100 %, a Sharpe of 19), it has no return until money is put in again.

describe('an account closed before the period starts', () => {
  const openLedger = leaderboardLedger()
  let live: LivePortfolio

  async function open(entries: LedgerEntryInput[], marks: { price: string; at: number }[] = [], btcNow = '200') {
    // BTC 100 on day 4, 200 now: the dust doubles within the last 24 hours.
    const opened = openLedger(entries, [{ price: '100', at: D0 + 4 * DAY }, ...marks], btcNow)
    live = opened.live
    return async (account: string, period: PortfolioPeriod) => (await opened.service.leaderboard({ period })).rows.find((r) => r.account === account)
  }

  // 10,000 in, 10 BTC at 100, 9.99 sold at 90: 9,899.1 cash and 0.01 BTC; all the cash taken out on day 1.
  const closed = (account: string) => [
    money(account, 'deposit', D0 + HOUR, '10000'),
    trade(account, D0 + 2 * HOUR, 'buy', '10', '100'),
    trade(account, D0 + 3 * HOUR, 'sell', '9.99', '90'),
    money(account, 'withdrawal', D0 + DAY + 12 * HOUR, '9899.1'),
  ]

  it('the dust doubling in the last 24 hours is no return: blank, no Sharpe, no drawdown; all time stays −1 %', async () => {
    const row = await open(closed('c'))
    expect(live.view({ account: 'c', period: '24h' }).totals.pnlPct).toBeNull()
    expect(await row('c', '24h')).toMatchObject({ value: '2', pnlPct: null, sharpe: null, maxDrawdownPct: null, returns: 0 })
    expect(live.view({ account: 'c', period: 'all' }).totals.pnlPct).toBe('-1')
  })

  it('dust that rose past 0.1 % of what was taken out by the period start is still a closed account’s: no return', async () => {
    // BTC 1,500 two days ago, 3,000 now: the 0.01 BTC left is 15 then (more than 0.1 % of the 9,899.1
    // taken out), 30 now; it was 0.9 when the account was closed, and the account's all-time % stays −1 %.
    const row = await open(closed('d'), [{ price: '1500', at: NOW - 2 * DAY }], '3000')
    const live24 = live.view({ account: 'd', period: '24h' })
    expect(live.view({ account: 'd', period: 'all' }).totals.pnlPct).toBe('-1')
    expect(live24.totals.pnlPct).toBeNull()
    expect(await row('d', '24h')).toMatchObject({ pnlPct: null, sharpe: null, maxDrawdownPct: null, returns: 0 })
  })

  it('summed with an account still open, the period has its return (one account closed is not all closed)', async () => {
    // o: 1,000 in, 5 BTC at 100; BTC 100 → 200 in the last 24 hours: 1,000 → 1,500, beside c's dust 1 → 2.
    await open([...closed('c'), money('o', 'deposit', D0, '1000'), trade('o', D0 + 2 * HOUR, 'buy', '5', '100')])
    expect(live.view({ period: '24h' }).totals.pnlPct).toBe('50.05')
  })

  it('money put in again within the period counts from then, the dust’s moves before it do not', async () => {
    // BTC 150 from 18 hours ago (the dust 1 → 1.5: no one's return). 1,000 put in 12 hours ago beside the
    // dust, 5 BTC bought at 150; BTC 200 now: 1,252 on the 1,001.5 at work from the deposit, +25.01 %.
    const row = await open([...closed('r'), money('r', 'deposit', NOW - 12 * HOUR, '1000'), trade('r', NOW - 11 * HOUR, 'buy', '5', '150')], [{ price: '150', at: NOW - 18 * HOUR }])
    expect(live.view({ account: 'r', period: '24h' }).totals.pnlPct).toBe('25.01')
    expect(await row('r', '24h')).toMatchObject({ value: '1252', pnlPct: '25.01' })
  })
})

import { describe, expect, it } from 'vitest'
import type { PortfolioPeriod } from '../../src-main/api/schemas/portfolio'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { D0, leaderboardLedger, money, trade } from './leaderboard-support'

// The step in which an account got its first money starts from nothing, yet the return counts what that
// money made in it; Sharpe and drawdown must count that step too, or an account that lost half on its
// first day shows −50 % beside a 0 % drawdown.

describe('leaderboard drawdown over the step an account was funded in', () => {
  const open = leaderboardLedger()

  async function board(entries: LedgerEntryInput[], marks: { price: string; at: number }[], price: string, period: PortfolioPeriod) {
    const { service } = open(entries, marks, price)
    const view = await service.leaderboard({ period })
    return (account: string) => view.rows.find((r) => r.account === account)
  }

  it('half lost on the day the money came in: −50 % and a 50 % drawdown', async () => {
    // 1,000 in at 01:00, 10 BTC at 100; BTC 50 from noon on, and still 50 now.
    const row = await board([money('n', 'deposit', D0 + HOUR, '1000'), trade('n', D0 + 2 * HOUR, 'buy', '10', '100')], [{ price: '50', at: D0 + 12 * HOUR }], '50', 'all')
    expect(row('n')).toMatchObject({ value: '500', pnlPct: '-50', maxDrawdownPct: 50 })
  })

  it('money dated on the day boundary itself (a date-only CSV): its first day counts too', async () => {
    // 1,000 in at 00:00 UTC, 10 BTC at 100; BTC 150 by the end of that day, 75 a day later, 75 now.
    const row = await board(
      [money('m', 'deposit', D0, '1000'), trade('m', D0 + HOUR, 'buy', '10', '100')],
      [
        { price: '150', at: D0 + 20 * HOUR },
        { price: '75', at: D0 + DAY + 20 * HOUR },
      ],
      '75',
      'all',
    )
    // +50 % on day 1, then −50 %: the peak 1,500 to 750 is a 50 % drawdown; the return −25 %.
    expect(row('m')).toMatchObject({ value: '750', pnlPct: '-25', maxDrawdownPct: 50 })
    // Sharpe over the day steps: the first (+50 %) among them.
    expect(row('m')?.returns).toBe(6)
  })
})

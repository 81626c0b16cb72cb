import { describe, expect, it } from 'vitest'
import type { PortfolioPeriod } from '../../src-main/api/schemas/portfolio'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LivePortfolio } from '../../src-main/portfolio/live/service'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { D0, entry, leaderboardLedger, money, NOW, trade } from './leaderboard-support'

// The Leaderboard's return: time-weighted over the account's equity curve, so money put in or taken out
// during the period neither dilutes nor inflates what the money there earned. Figures worked by hand.

describe('leaderboard return (time-weighted)', () => {
  const open = leaderboardLedger()
  let live: LivePortfolio

  async function board(entries: LedgerEntryInput[], marks: { price: string; at: number }[], period: PortfolioPeriod) {
    const opened = open(entries, marks, '150')
    live = opened.live
    const service = opened.service
    const view = await service.leaderboard({ period })
    return (account: string) => view.rows.find((r) => r.account === account)
  }

  it('a small start that made 50 %, then 10,000 put in: +50 %, not +0.5 %', async () => {
    // 100 USDT in, 1 BTC bought at 100, BTC at 150 on day 2; on day 4, 10,000 USDT more (BTC still 150).
    // P&L 50; the money there made +50 % and the new 10,000 nothing: (1.5 × 1) − 1 = +50 %.
    // (50 over the 10,100 put in was +0.5 %.)
    const row = await board(
      [money('s', 'deposit', D0 + HOUR, '100'), trade('s', D0 + 2 * HOUR, 'buy', '1', '100'), money('s', 'deposit', D0 + 4 * DAY + 12 * HOUR, '10000')],
      [{ price: '150', at: D0 + 2 * DAY + 12 * HOUR }],
      'all',
    )
    expect(row('s')).toMatchObject({ value: '10150', pnl: '50', pnlPct: '50' })
  })

  it('in, out and in again: +50 %, emptied, then +50 % on the new money is +125 %', async () => {
    // 100 in, 1 BTC at 100, sold at 150 on day 2 (+50 %), all 150 taken out on day 3: nothing held.
    // Day 4: 100 in again, 1 BTC at 100; BTC 110 on day 5 and 150 now (+50 % on the new money).
    // Chained: 1.5 × 1.5 − 1 = +125 % (not 100 over the 50 net put in = +200 %).
    const row = await board(
      [
        money('r', 'deposit', D0 + HOUR, '100'),
        trade('r', D0 + 2 * HOUR, 'buy', '1', '100'),
        trade('r', D0 + 2 * DAY + 12 * HOUR, 'sell', '1', '150'),
        money('r', 'withdrawal', D0 + 3 * DAY + 12 * HOUR, '150'),
        money('r', 'deposit', D0 + 4 * DAY + HOUR, '100'),
        trade('r', D0 + 4 * DAY + 2 * HOUR, 'buy', '1', '100'),
      ],
      [{ price: '110', at: D0 + 5 * DAY + 6 * HOUR }],
      'all',
    )
    // P&L: 50 + 50 = 100 on money put in twice; the time-weighted return chains the two stretches.
    expect(row('r')).toMatchObject({ value: '150', pnl: '100', pnlPct: '125' })
  })

  it('closed with coin dust left: the dust’s later rise is not the account’s return (−1 % stays −1 %)', async () => {
    // 10,000 in, 10 BTC at 100, 9.99 sold at 90: 9,899.1 cash and 0.01 BTC (0.9) = 9,900 (−1 %). All the
    // cash taken out on day 1: 0.9 of BTC left, under 0.1 % of the 9,899.1 taken out — closed. BTC is 150
    // now: the dust is 1.5, but the account's return stays the −1 % it made (not −1 % × 150 / 90).
    const row = await board(
      [
        money('c', 'deposit', D0 + HOUR, '10000'),
        trade('c', D0 + 2 * HOUR, 'buy', '10', '100'),
        trade('c', D0 + 3 * HOUR, 'sell', '9.99', '90'),
        money('c', 'withdrawal', D0 + DAY + 12 * HOUR, '9899.1'),
      ],
      [{ price: '120', at: D0 + 3 * DAY }],
      'all',
    )
    expect(row('c')).toMatchObject({ value: '1.5', pnlPct: '-1' })
    expect(live.view({ account: 'c', period: 'all' }).totals.pnlPct).toBe('-1')
  })

  it('an account with no money moved in the period: the change over the equity at its start, as before', async () => {
    // 1000 in before the 24h period, 10 BTC at 100 (all of it); BTC 120 a day ago, 150 now: 1500 / 1200 − 1 = +25 %.
    const row = await board(
      [money('p', 'deposit', D0 + HOUR, '1000'), trade('p', D0 + 2 * HOUR, 'buy', '10', '100')],
      [{ price: '120', at: NOW - DAY - HOUR }],
      '24h',
    )
    expect(row('p')).toMatchObject({ value: '1500', pnl: '300', pnlPct: '25' })
  })

  it('money put in, traded and taken out again within one step: its loss is a loss on it, split at each flow', async () => {
    // 1,000 held; on day 4, 100,000 put in, 10 BTC bought at 10,000 and sold at 9,800 (−2,000), and 98,000
    // taken out the same day: 1,000 left. At work from the deposit to the withdrawal: 101,000, so −2,000 is
    // −1.98 % (the day's step over the 1,000 it started and ended with was −66.67 %, a 66.67 % drawdown).
    const row = await board(
      [
        money('p', 'deposit', D0 + HOUR, '1000'),
        money('p', 'deposit', D0 + 4 * DAY + HOUR, '100000'),
        entry('p', { kind: 'trade', timestamp: D0 + 4 * DAY + 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '10000', amount: '10' }),
        entry('p', { kind: 'trade', timestamp: D0 + 4 * DAY + 20 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: '9800', amount: '10' }),
        money('p', 'withdrawal', D0 + 4 * DAY + 21 * HOUR, '98000'),
      ],
      [],
      'all',
    )
    expect(row('p')).toMatchObject({ value: '1000', pnl: '-2000', pnlPct: '-1.98', maxDrawdownPct: 1.98 })
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { AnalyticsService } from '../../src-main/analytics/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fakeClock, tempLedger } from './portfolio-live-support'

// Money taken out of an account that keeps going is capital no longer at work: the P&L % is time-weighted
// (the Leaderboard's, on the Portfolio too), so moving money between one's own accounts, or taking profits
// out, neither halves, dilutes nor inflates the return. Worked by hand:
//  A. 10,000 in a, moved to b a day later; b buys 0.2 BTC at 5000 that go to 10,000: +1,000 on 10,000, +10 %.
//  B. 100,000 in, 90,000 out a day later, the 10,000 left buys 2 BTC at 5000 that go to 10,000: +10,000 on
//     10,000, +100 % (the leaderboard's steps: 0 %, then +100 %).
//  C. 10,000 in, 1 BTC at 5000 that goes to 6000; 100,000 put in and taken out again the day it rose, after
//     the rise: +1,000 on 10,000, +10 % (the leaderboard's step that day is split where money moved: +1,000
//     over the 10,000 held, then 0 % while the 100,000 passed through). Had the rise come while the 100,000
//     was there, it would have been earned on 110,000: the time-weighted return weighs money while it is in.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 30 * DAY + 3 * HOUR
const entry = (account: string, e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
  ({ account, source: 'csv', externalId: null, fee: null, ...e }) as LedgerEntryInput
const money = (account: string, kind: 'deposit' | 'withdrawal', timestamp: number, amount: string) => entry(account, { kind, timestamp, asset: 'USDT', amount })
const buy = (account: string, timestamp: number, price: string, amount: string) =>
  entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price, amount })

describe('the P&L % with money taken out of an account that keeps going', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  function setup(entries: LedgerEntryInput[], btc: string) {
    ledger = tempLedger()
    ledger.writer.importBatch(entries)
    const board = new LivePriceBoard()
    board.set('binance-main', 'BTC/USDT', btc, NOW)
    const s = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => s, clock: fakeClock(NOW), onMarks: (l) => ledger.marks.onRecorded(l) })
    live.start()
  }

  const pct = (account?: string) => live.view({ ...(account === undefined ? {} : { account }), period: 'all' }).totals.pnlPct
  async function leaderboardPct(account: string) {
    const service = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => NOW })
    return (await service.leaderboard({ period: 'all' })).rows.find((r) => r.account === account)?.pnlPct
  }

  it('A. money moved from one account to another: all accounts +10 %, not halved', async () => {
    setup([money('a', 'deposit', D0, '10000'), money('a', 'withdrawal', D0 + DAY, '10000'), money('b', 'deposit', D0 + DAY + HOUR, '10000'), buy('b', D0 + 2 * DAY, '5000', '0.2')], '10000')
    expect(live.view({ period: 'all' }).totals).toMatchObject({ pnl: '1000', pnlPct: '10' })
    expect(pct('a')).toBe('0')
    expect(pct('b')).toBe('10')
    expect(await leaderboardPct('b')).toBe('10')
  })

  it('B. profits taken out early, the rest doubled: +100 % on the Portfolio and the leaderboard', async () => {
    setup([money('c', 'deposit', D0, '100000'), money('c', 'withdrawal', D0 + DAY, '90000'), buy('c', D0 + 2 * DAY, '5000', '2')], '10000')
    expect(live.view({ account: 'c', period: 'all' }).totals).toMatchObject({ pnl: '10000', pnlPct: '100' })
    expect(await leaderboardPct('c')).toBe('100')
  })

  it('C. money put in and taken out the same day does not dilute the return: +10 %', async () => {
    const base = (a: string) => [money(a, 'deposit', D0, '10000'), buy(a, D0 + HOUR, '5000', '1'), buy(a, D0 + 10 * DAY, '6000', '0.0001')]
    setup([...base('plain'), ...base('passthru'), money('passthru', 'deposit', D0 + 10 * DAY + HOUR, '100000'), money('passthru', 'withdrawal', D0 + 10 * DAY + 3 * HOUR, '100000')], '6000')
    for (const a of ['plain', 'passthru']) {
      expect(pct(a), a).toBe('10')
      expect(await leaderboardPct(a), a).toBe('10')
    }
  })

  it('D. profits taken out, more than was put in or nearly all of it: +100 % on the Portfolio and the leaderboard', async () => {
    // 10,000 in, 1 BTC at 10,000 sold at 20,000 on day 10 (doubled), then part of it taken out on day 11.
    // The money did +100 % whatever was taken out after (not blank, +1,000,000 % or +200 %).
    const sell = entry('d', { kind: 'trade', timestamp: D0 + 10 * DAY, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: '20000', amount: '1' })
    for (const out of ['15000', '9999', '10000', '5000']) {
      setup([money('d', 'deposit', D0, '10000'), buy('d', D0 + HOUR, '10000', '1'), sell, money('d', 'withdrawal', D0 + 11 * DAY, out)], '20000')
      for (const period of ['all', '30d'] as const) {
        expect(live.view({ account: 'd', period }).totals, `${out} ${period}`).toMatchObject({ pnl: '10000', pnlPct: '100' })
      }
      expect(await leaderboardPct('d'), out).toBe('100')
      live.stop()
      ledger.close()
    }
    setup([], '20000') // afterEach closes one
  })
})

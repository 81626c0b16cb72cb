import { afterEach, describe, expect, it } from 'vitest'
import { AnalyticsService } from '../../src-main/analytics/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { PortfolioPeriod } from '../../src-main/api/schemas/portfolio'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fakeClock, tempLedger } from './portfolio-live-support'

// The step in which an account got its first money starts from nothing, yet the return counts what that
// money made in it; Sharpe and drawdown must count that step too, or an account that lost half on its
// first day shows −50 % beside a 0 % drawdown.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 6 * DAY + 3 * HOUR
const entry = (account: string, e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
  ({ account, source: 'csv', externalId: null, fee: null, ...e }) as LedgerEntryInput
const money = (account: string, kind: 'deposit' | 'withdrawal', timestamp: number, amount: string) => entry(account, { kind, timestamp, asset: 'USDT', amount })
const trade = (account: string, timestamp: number, side: 'buy' | 'sell', amount: string, price: string) =>
  entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount })

describe('leaderboard drawdown over the step an account was funded in', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  async function board(entries: LedgerEntryInput[], marks: { price: string; at: number }[], price: string, period: PortfolioPeriod) {
    ledger = tempLedger()
    ledger.writer.importBatch(entries)
    ledger.marks.record(marks.map((m) => ({ asset: 'BTC', quote: 'USDT', ...m })))
    const prices = new LivePriceBoard()
    prices.set('binance-main', 'BTC/USDT', price, NOW)
    const s = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: prices, settings: () => s, clock: fakeClock(NOW), onMarks: (l) => ledger.marks.onRecorded(l) })
    live.start()
    const service = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => NOW })
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

import { describe, expect, it } from 'vitest'
import { tempLedger, fakeClock } from './portfolio-live-support'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { AnalyticsService } from '../../src-main/analytics/service'
import { runTradeStatsJob } from '../../src-main/analytics/jobs'
import { leaderboardViewSchema } from '../../src-main/api/schemas/analytics'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// An account whose figures are incomplete — a holding with no price, coins deposited with no cost — is
// not ranked on what is left of them: its row carries the Portfolio page's warnings and comes after the
// accounts whose P&L is whole.

const DAY = 86_400_000
const HOUR = 3_600_000
const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 5 * DAY + 12 * HOUR

describe('leaderboard: accounts with incomplete figures', () => {
  it('an import that deposited an unpriced stablecoin is flagged and ranked after an account that really made 500', async () => {
    const ledger = tempLedger()
    const clock = fakeClock(NOW)
    const live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock })
    try {
      const csv = { source: 'csv', fee: null, externalId: null } as const
      const venue = { source: 'venue', fee: null } as const
      ledger.writer.importBatch([
        // 20,000 FDUSD in (no price: cost 0), 0.1 BTC bought with 10,000 of them. Made nothing.
        { ...csv, account: 'csv', kind: 'deposit', timestamp: D0 + HOUR, asset: 'FDUSD', amount: '20000' },
        { ...csv, account: 'csv', kind: 'trade', timestamp: D0 + 2 * HOUR, symbol: 'BTC/FDUSD', base: 'BTC', quote: 'FDUSD', side: 'buy', price: '100000', amount: '0.1' },
        // Bought 0.1 BTC at 95,000; BTC is at 100,000: +500.
        { ...venue, account: 'binance', externalId: 'd1', kind: 'deposit', timestamp: D0 + HOUR, asset: 'USDT', amount: '20000' },
        { ...venue, account: 'binance', externalId: 't1', kind: 'trade', timestamp: D0 + 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '95000', amount: '0.1' },
      ] as unknown as LedgerEntryInput[])
      ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '100000', at: NOW - HOUR, venue: 'binance' }])
      const reports = { run: async (job: never) => runTradeStatsJob(ledger.store.db, job) }
      const analytics = new AnalyticsService({ reports: reports as never, live, now: clock.now })
      const board = leaderboardViewSchema.parse(await analytics.leaderboard({ period: 'all' }))

      expect(board.rows.map((r) => [r.account, r.rank])).toEqual([
        ['binance', 1],
        ['csv', null],
      ])
      const [binance, imported] = board.rows
      expect(binance).toMatchObject({ pnl: '500', warnings: [] })
      // The row says what the Portfolio page says about the account, kind by kind.
      const page = live.view({ account: 'csv', period: 'all' }).warnings
      expect(imported!.warnings).toEqual(page.map((w) => ({ kind: w.kind, asset: w.asset, message: w.message })))
      expect(imported!.warnings.map((w) => `${w.kind}:${w.asset}`).sort()).toEqual(['missing-cost-basis:FDUSD', 'unpriced-asset:FDUSD'])
    } finally {
      live.stop()
      ledger.close()
    }
  })
})

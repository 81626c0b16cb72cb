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

  describe('a warning counts against the periods it happened in, or while what it is about is held', () => {
    const NOW2 = D0 + 400 * DAY
    const v = (account: string) => ({ source: 'venue', fee: null, account }) as const
    async function board(entries: unknown[], marks: { asset: string; price: string; at: number; venue: string }[], period: '24h' | 'all') {
      const ledger = tempLedger()
      const clock = fakeClock(NOW2)
      const live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock })
      try {
        ledger.writer.importBatch(entries as LedgerEntryInput[])
        ledger.marks.record(marks.map((m) => ({ ...m, quote: 'USDT' })))
        const reports = { run: async (job: never) => runTradeStatsJob(ledger.store.db, job) }
        const analytics = new AnalyticsService({ reports: reports as never, live, now: clock.now })
        return leaderboardViewSchema.parse(await analytics.leaderboard({ period }))
      } finally {
        live.stop()
        ledger.close()
      }
    }
    // 'history' sold 0.01 BTC a year ago that the ledger had no record of (a partial import): that sale's
    // cost is missing, long closed. Today it bought 0.1 BTC at 95,000 (+500 at 100,000); 'clean' at 99,000 (+100).
    const yearOldSale = [
      { ...v('history'), externalId: 'h0', kind: 'deposit', timestamp: D0, asset: 'USDT', amount: '20000' },
      { ...v('history'), externalId: 'h1', kind: 'trade', timestamp: D0 + HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: '40000', amount: '0.01' },
      { ...v('history'), externalId: 'h2', kind: 'trade', timestamp: NOW2 - 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '95000', amount: '0.1' },
      { ...v('clean'), externalId: 'c0', kind: 'deposit', timestamp: D0, asset: 'USDT', amount: '20000' },
      { ...v('clean'), externalId: 'c2', kind: 'trade', timestamp: NOW2 - 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '99000', amount: '0.1' },
    ]
    const btc = [
      { asset: 'BTC', price: '40000', at: D0, venue: 'history' },
      { asset: 'BTC', price: '100000', at: NOW2 - HOUR, venue: 'history' },
      { asset: 'BTC', price: '100000', at: NOW2 - HOUR, venue: 'clean' },
    ]

    it("a year-old sale beyond the holdings leaves the 24h board ranked, the ⚠ still listing it", async () => {
      const b = await board(yearOldSale, btc, '24h')
      expect(b.rows.map((r) => [r.account, r.rank])).toEqual([
        ['history', 1],
        ['clean', 2],
      ])
      expect(b.rows[0]!.warnings.map((w) => w.kind)).toEqual(['missing-cost-basis'])
    })

    it('the same sale leaves the account unranked on the all-time board', async () => {
      const b = await board(yearOldSale, btc, 'all')
      expect(b.rows.find((r) => r.account === 'history')!.rank).toBeNull()
    })

    it('a sale beyond the holdings again within the 24h (same grouped warning) unranks it on the 24h board', async () => {
      // Sold 0.2 of the 0.1 BTC bought today: 0.1 more than held, the year-old warning's group.
      const again = { ...v('history'), externalId: 'h3', kind: 'trade', timestamp: NOW2 - HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: '100000', amount: '0.2' }
      const b = await board([...yearOldSale, again], btc, '24h')
      const history = b.rows.find((r) => r.account === 'history')!
      expect(history.warnings).toEqual([expect.objectContaining({ kind: 'missing-cost-basis', asset: 'BTC' })])
      expect(history.rank).toBeNull()
    })

    it('a year-old deposit with no price, still held, unranks it on the 24h board too', async () => {
      const deposit = { ...v('history'), externalId: 'h4', kind: 'deposit', timestamp: D0 + 2 * HOUR, asset: 'SOL', amount: '10' }
      const b = await board([...yearOldSale.filter((e) => e.externalId !== 'h1'), deposit], [...btc, { asset: 'SOL', price: '150', at: NOW2 - HOUR, venue: 'history' }], '24h')
      const history = b.rows.find((r) => r.account === 'history')!
      expect(history.warnings.map((w) => `${w.kind}:${w.asset}`)).toEqual(['missing-cost-basis:SOL'])
      expect(history.rank).toBeNull()
    })
  })
})

describe('incompleteFor', () => {
  it('counts income received without a price, still held, as incomplete: its coins are at zero cost', async () => {
    const { incompleteFor } = await import('../../src-main/analytics/incomplete')
    const income = { kind: 'unpriced-income', account: 'csv', asset: 'DOT', timestamp: 1_000, message: 'no USD price for DOT when it was received as income', zeroCostLot: true } as const
    const held = [{ asset: 'DOT', amount: '5', price: '7' }]
    // A year on, on a 24h board: still held at zero cost, so the P&L is overstated.
    expect(incompleteFor([income], held, 10_000_000)).toBe(true)
    // Sold since: nothing held at zero cost; the old warning does not unrank today's board.
    expect(incompleteFor([income], [], 10_000_000)).toBe(false)
  })
})

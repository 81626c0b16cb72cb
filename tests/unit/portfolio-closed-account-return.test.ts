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

// An account emptied by a withdrawal (a paper account closed: its holdings written out as withdrawals)
// keeps the return it made: the money taken out counts in the P&L, but the period of the capital ends
// there, so taking out everything weighs nothing rather than shrinking the capital to what was lost. Worked by hand: 10,000 USDT in, 1 BTC bought at 5000 and sold at 4900 (−100), the
// 9,900 left taken out — P&L −100 on the 10,000 put to work, −1 % (not −100 / 100 = −100 %).

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 6 * DAY + 3 * HOUR
const MIN = 60_000
const entry = (e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
  ({ account: 'c', source: 'csv', externalId: null, fee: null, ...e }) as LedgerEntryInput
const money = (kind: 'deposit' | 'withdrawal', timestamp: number, amount: string) => entry({ kind, timestamp, asset: 'USDT', amount })
const trade = (timestamp: number, side: 'buy' | 'sell', price: string) =>
  entry({ kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount: '1' })

/** Opened at `t`, traded a minute apart, emptied `outAfter` ms later (`out`: what was taken out). */
const openTradeClose = (t: number, outAfter: number, out = '9900') => [
  money('deposit', t, '10000'),
  trade(t + MIN, 'buy', '5000'),
  trade(t + 2 * MIN, 'sell', '4900'),
  money('withdrawal', t + outAfter, out),
]

describe('the return of an account emptied by a withdrawal', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  function setup(entries: LedgerEntryInput[]) {
    ledger = tempLedger()
    ledger.writer.importBatch(entries)
    const board = new LivePriceBoard()
    board.set('binance-main', 'BTC/USDT', '4900', NOW)
    const s = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => s, clock: fakeClock(NOW), onMarks: (l) => ledger.marks.onRecorded(l) })
    live.start()
  }

  async function leaderboardRow(period: PortfolioPeriod) {
    const service = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => NOW })
    return (await service.leaderboard({ period })).rows.find((r) => r.account === 'c')
  }

  it('opened, traded and emptied within minutes (one 5-minute slot): −1 % on the Portfolio and the leaderboard', async () => {
    setup(openTradeClose(NOW - 20 * MIN, 3 * MIN))
    for (const period of ['24h', 'all'] as const) {
      expect(live.view({ account: 'c', period }).totals, period).toMatchObject({ value: '0', netDeposits: '100', pnl: '-100', pnlPct: '-1' })
      expect(await leaderboardRow(period), period).toMatchObject({ value: '0', pnl: '-100', pnlPct: '-1' })
    }
  })

  it('emptied a day after it opened, looked at days later: still −1 %', async () => {
    setup(openTradeClose(D0 + HOUR, DAY))
    for (const period of ['7d', 'all'] as const) {
      expect(live.view({ account: 'c', period }).totals, period).toMatchObject({ value: '0', netDeposits: '100', pnl: '-100', pnlPct: '-1' })
      expect(live.view({ period }).totals, `${period}, all accounts`).toMatchObject({ value: '0', pnl: '-100', pnlPct: '-1' })
      expect(await leaderboardRow(period), period).toMatchObject({ value: '0', pnl: '-100', pnlPct: '-1' })
    }
  })

  it('a cent of dust left behind still counts as emptied: −1 %, not −99.99 %', async () => {
    // 9,899.99 of the 9,900 taken out: 0.01 USDT stays (an exchange's rounding); P&L still −100.
    for (const [t, outAfter] of [[NOW - 20 * MIN, 3 * MIN], [D0 + HOUR, DAY]] as const) {
      setup(openTradeClose(t, outAfter, '9899.99'))
      for (const period of ['24h', '7d', 'all'] as const) {
        if (period === '24h' && outAfter === DAY) continue
        expect(live.view({ account: 'c', period }).totals, `${period} ${outAfter}`).toMatchObject({ value: '0.01', pnl: '-100', pnlPct: '-1' })
        expect(await leaderboardRow(period), `${period} ${outAfter}`).toMatchObject({ value: '0.01', pnl: '-100', pnlPct: '-1' })
      }
      live.stop()
      ledger.close()
    }
    setup([]) // afterEach closes one
  })
})

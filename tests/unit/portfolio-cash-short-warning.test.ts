import { afterEach, describe, expect, it } from 'vitest'
import { AnalyticsService } from '../../src-main/analytics/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY } from '../../src-main/portfolio/live/periods'
import { fakeClock, tempLedger } from './portfolio-live-support'

// A trade history imported without all its deposits spends cash the ledger does not hold: USDT goes below
// zero, and so can the equity, which the % then shows as −100 % (572a26d) though nothing of the user's was
// lost. Equity below zero is a gap in the data: the user is told so, as for coins sold beyond the holdings,
// and the Leaderboard does not rank such an account.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 10 * DAY
const buy = (timestamp: number): LedgerEntryInput =>
  ({ account: 't', kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '40000', amount: '1', fee: null, source: 'csv', externalId: null }) as LedgerEntryInput

describe('cash spent beyond what the ledger holds', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  it('equity below zero is warned, and the account is left unranked', async () => {
    ledger = tempLedger()
    ledger.writer.importBatch([{ account: 't', kind: 'deposit', timestamp: D0, asset: 'USDT', amount: '1000', fee: null, source: 'csv', externalId: null }, buy(D0 + DAY)])
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '41000', at: D0 + 2 * DAY }, { asset: 'BTC', quote: 'USDT', price: '38000', at: D0 + 3 * DAY }])
    const board = new LivePriceBoard()
    board.set('binance-main', 'BTC/USDT', '38500', NOW)
    const settings = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => settings, clock: fakeClock(NOW), onMarks: (m) => ledger.marks.onRecorded(m) })
    live.start()
    const v = live.view({ account: 't', period: 'all' })
    expect(v.totals.value).toBe('-500')
    expect(v.totals.pnlPct).toBe('-100')
    expect(v.warnings).toEqual([expect.objectContaining({ kind: 'missing-cost-basis', asset: 'USD', message: expect.stringMatching(/fell below zero \(-1000 USD\).*more was spent or sold than the ledger holds/) })])
    const service = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => NOW })
    expect((await service.leaderboard({ period: 'all' })).rows[0]).toMatchObject({ account: 't', rank: null })
  })
})

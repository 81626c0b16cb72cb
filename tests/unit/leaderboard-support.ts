import { afterEach } from 'vitest'
import { AnalyticsService } from '../../src-main/analytics/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fakeClock, tempLedger } from './portfolio-live-support'

// The Leaderboard tests' ledger (not a test file itself): BTC/USDT entries on accounts from 1 January 2024,
// and a live model with the analytics service over them, "now" held at day 6, 03:00.

export const D0 = Date.UTC(2024, 0, 1)
export const NOW = D0 + 6 * DAY + 3 * HOUR
export const entry = (account: string, e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
  ({ account, source: 'csv', externalId: null, fee: null, ...e }) as LedgerEntryInput
export const money = (account: string, kind: 'deposit' | 'withdrawal', timestamp: number, amount: string) => entry(account, { kind, timestamp, asset: 'USDT', amount })
export const trade = (account: string, timestamp: number, side: 'buy' | 'sell', amount: string, price: string) =>
  entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount })

/**
 * Returns open(entries, BTC marks, BTC's price now): a fresh ledger with those, its live model started and
 * the analytics service over it. Registers an afterEach that stops and removes what the test opened.
 */
export function leaderboardLedger() {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  return function open(entries: LedgerEntryInput[], marks: { price: string; at: number }[], price: string): { live: LivePortfolio; service: AnalyticsService } {
    ledger = tempLedger()
    ledger.writer.importBatch(entries)
    ledger.marks.record(marks.map((m) => ({ asset: 'BTC', quote: 'USDT', ...m })))
    const prices = new LivePriceBoard()
    prices.set('binance-main', 'BTC/USDT', price, NOW)
    const s = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: prices, settings: () => s, clock: fakeClock(NOW), onMarks: (l) => ledger.marks.onRecorded(l) })
    live.start()
    const service = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => NOW })
    return { live, service }
  }
}

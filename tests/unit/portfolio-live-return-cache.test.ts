import { afterEach, describe, expect, it } from 'vitest'
import { stepReturns, timeWeightedReturnPct, type EquityPoint } from '../../src-main/analytics/metrics'
import { StepReturnsCache } from '../../src-main/analytics/step-returns-cache'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ReturnChainCache } from '../../src-main/portfolio/live/return-cache'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import { fakeClock, tempLedger } from './portfolio-live-support'

// The Portfolio % keeps its chain of step returns up to the last grid snapshot and adds only the newer
// points: whatever comes in after (points appended, an older point patched, the grid changed), the %
// must be the one worked from the whole curve afresh.

const D0 = Date.UTC(2024, 0, 1)

describe('the time-weighted return kept up to the last snapshot', () => {
  it('equals the whole chain worked afresh after points are appended, changed or dropped', () => {
    const cache = new ReturnChainCache()
    const p = (i: number, value: number, netDeposits: number, beforeFlow = false): EquityPoint => ({
      time: D0 + i * DAY,
      value: String(value),
      netDeposits: String(netDeposits),
      deposited: String(Math.max(netDeposits, 0)),
      ...(beforeFlow ? { beforeFlow } : {}),
    })
    let curve = [p(0, 0, 0, true), p(1, 1100, 1000), p(2, 1200, 1000, true), p(3, 2300, 2000), p(4, 2250, 2000), p(5, 2400, 2000)]
    const check = (stableBefore: number) => expect(cache.pct('k', curve, stableBefore)).toBe(timeWeightedReturnPct(curve))
    check(D0 + 4 * DAY)
    // New points after the kept ones, the last one moving with the price.
    curve = [...curve.slice(0, 5), p(5, 2350, 2000), p(6, 2500, 2000), p(7, 2600, 2000)]
    check(D0 + 6 * DAY)
    check(D0 + 6 * DAY)
    // A late row patched into a kept point: the chain starts over.
    curve = curve.map((x, i) => (i === 3 ? p(3, 2300, 2100) : x))
    check(D0 + 6 * DAY)
    // Fewer points than kept (a new period start or grid): the chain starts over.
    curve = curve.slice(2)
    check(D0 + 6 * DAY)
    expect(cache.pct('k', [p(0, 100, 100), p(1, 150, 100)], D0 + DAY)).toBe('50')
  })

  it('the Leaderboard’s step returns kept the same way equal them worked afresh', () => {
    const cache = new StepReturnsCache()
    const H = 3_600_000
    const p = (h: number, value: number, netDeposits: number, beforeFlow = false): EquityPoint => ({
      time: D0 + h * H,
      value: String(value),
      netDeposits: String(netDeposits),
      deposited: String(Math.max(netDeposits, 0)),
      ...(beforeFlow ? { beforeFlow } : {}),
    })
    let curve = [p(0, 1000, 1000), p(1, 1010, 1000), p(1.5, 1020, 1000, true), p(2, 2050, 2000), p(3, 2000, 2000), p(4, 2100, 2000), p(4.2, 2110, 2000)]
    const check = (keepBefore: number) => expect(cache.returns('k', curve, 'hour', D0 + keepBefore * H)).toEqual(stepReturns(curve, 'hour'))
    check(3)
    check(3)
    curve = [...curve.slice(0, 6), p(5, 2150, 2000), p(5.5, 2150, 2000, true), p(6, 1000, 900), p(6.1, 1001, 900)]
    check(6)
    // A kept point changed (a late row): worked afresh.
    curve = curve.map((x, i) => (i === 2 ? p(1.5, 1030, 1000, true) : x))
    check(6)
    curve = curve.slice(1)
    check(6)
  })

  describe('in the live Portfolio', () => {
    let ledger: ReturnType<typeof tempLedger> | undefined
    const lives: LivePortfolio[] = []
    afterEach(() => {
      for (const l of lives.splice(0)) l.stop()
      ledger?.close()
      ledger = undefined
    })

    const NOW = D0 + 20 * DAY + 3 * HOUR
    const entry = (account: string, x: Partial<LedgerEntryInput>): LedgerEntryInput =>
      ({ account, source: 'csv', externalId: `${account}${x.kind}${x.timestamp}`, fee: null, ...x }) as LedgerEntryInput
    const money = (account: string, kind: 'deposit' | 'withdrawal' | 'income', timestamp: number, amount: string) => entry(account, { kind, timestamp, asset: 'USDT', amount })
    const trade = (account: string, timestamp: number, side: 'buy' | 'sell', price: string, amount: string) =>
      entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount, externalId: null })
    const open = () => {
      const board = new LivePriceBoard()
      board.set('binance-main', 'BTC/USDT', '7000', NOW)
      const settings = { method: 'fifo', currency: 'USD' } as const
      const l = ledger as ReturnType<typeof tempLedger>
      const live = new LivePortfolio({ db: l.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => settings, clock: fakeClock(NOW), onMarks: (m) => l.marks.onRecorded(m) })
      live.start()
      lives.push(live)
      return live
    }

    it('after each sync the % is the one a fresh replay of the same ledger shows', () => {
      ledger = tempLedger()
      const rows: LedgerEntryInput[] = [money('a', 'deposit', D0, '10000'), money('b', 'deposit', D0, '5000'), money('c', 'deposit', D0, '100')]
      for (let d = 1; d < 12; d++) {
        rows.push(trade('a', D0 + d * DAY + HOUR, d % 2 ? 'buy' : 'sell', String(5000 + d * 150), '0.2'))
        rows.push(money(d % 3 ? 'a' : 'b', d % 2 ? 'deposit' : 'withdrawal', D0 + d * DAY + 5 * HOUR, String(300 + d * 10)))
      }
      ledger.writer.importBatch(rows)
      const live = open()
      const views = () =>
        (['24h', '7d', '30d', 'all'] as const).flatMap((period) => [
          live.view({ period }).totals.pnlPct,
          live.view({ account: 'a', period }).totals.pnlPct,
          live.view({ account: 'b', period }).totals.pnlPct,
        ])
      const fresh = () => {
        const f = open()
        const out = (['24h', '7d', '30d', 'all'] as const).flatMap((period) => [
          f.view({ period }).totals.pnlPct,
          f.view({ account: 'a', period }).totals.pnlPct,
          f.view({ account: 'b', period }).totals.pnlPct,
        ])
        f.stop()
        return out
      }
      expect(views()).toEqual(fresh())
      const syncs: LedgerEntryInput[][] = [
        [money('b', 'deposit', D0 + 15 * DAY + HOUR, '2000'), trade('a', D0 + 16 * DAY, 'buy', '6500', '0.3')],
        // After the last deposit, before the last snapshot: patched into the kept snapshots, no replay.
        [money('c', 'income', D0 + 15 * DAY + 3 * HOUR, '2500')],
        [trade('b', D0 + 19 * DAY, 'buy', '6900', '0.2'), money('a', 'withdrawal', D0 + 20 * DAY + 2 * HOUR, '1000')],
        [money('b', 'deposit', D0 + 3 * DAY, '1000')], // a late deposit: replayed from scratch
      ]
      for (const batch of syncs) {
        ledger.writer.importBatch(batch)
        expect(views()).toEqual(fresh())
      }
    })
  })
})

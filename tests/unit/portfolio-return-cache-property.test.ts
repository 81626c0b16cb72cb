import { afterEach, describe, expect, it } from 'vitest'
import { AnalyticsService } from '../../src-main/analytics/service'
import { stepReturns, timeWeightedReturnPct } from '../../src-main/analytics/metrics'
import type { PortfolioPeriod, PortfolioQuery } from '../../src-main/api/schemas/portfolio'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR, MINUTE } from '../../src-main/portfolio/live/periods'
import { fakeClock, tempLedger } from './portfolio-live-support'
import { mulberry32 } from '../support/seeded'

// The Portfolio % and the Leaderboard's Sharpe and drawdown keep their chains up to the last grid snapshot
// (return-cache.ts, step-returns-cache.ts). Whatever comes in — rows in time order, late deposits and
// income, withdrawals of all the cash, time moving on past period starts and the kept hourly grid — each
// figure must be the one worked from the whole curve afresh, and the one a fresh replay of the same ledger
// shows. fast-check is not installed: a seeded generator, every failure names its seed.

const START = Date.UTC(2024, 2, 1, 7, 3)
const ACCOUNTS = ['a', 'b', 'c'] as const
const PERIODS: readonly PortfolioPeriod[] = ['24h', '7d', '30d', 'all']

describe('kept return chains = the whole curve worked afresh, over random ledgers', () => {
  let ledger: ReturnType<typeof tempLedger> | undefined
  const lives: LivePortfolio[] = []
  afterEach(() => {
    for (const l of lives.splice(0)) l.stop()
    ledger?.close()
    ledger = undefined
  })

  it('6 random sequences of 10 syncs', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rand = mulberry32(seed * 977)
      const l = (ledger = tempLedger())
      const clock = fakeClock(START)
      const board = new LivePriceBoard()
      const settings = { method: 'fifo', currency: 'USD' } as const
      const open = () => {
        const live = new LivePortfolio({ db: l.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => settings, clock, onMarks: (m) => l.marks.onRecorded(m) })
        live.start()
        lives.push(live)
        return live
      }
      const live = open()
      const analytics = new AnalyticsService({ reports: { run: async () => ({}) } as never, live, now: () => clock.now() })
      const cash = new Map<string, number>(ACCOUNTS.map((a) => [a, 0]))
      const btc = new Map<string, number>(ACCOUNTS.map((a) => [a, 0]))
      let price = 100
      let lastFlow = START
      const lastRow = new Map<string, number>(ACCOUNTS.map((a) => [a, START]))
      let n = 0
      const row = (account: string, e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
        ({ account, source: 'csv', externalId: `r${++n}`, fee: null, ...e }) as LedgerEntryInput
      for (let sync = 0; sync < 10; sync++) {
        const from = clock.now()
        // Sometimes minutes, sometimes days: period starts and the kept 5-minute and hourly grids move on.
        clock.advance(Math.floor(rand() < 0.3 ? rand() * 20 * MINUTE : rand() < 0.7 ? rand() * 10 * HOUR : rand() * 3 * DAY))
        const now = clock.now()
        const rows: LedgerEntryInput[] = []
        const steps = 1 + Math.floor(rand() * 5)
        const times = Array.from({ length: steps }, () => from + 1 + Math.floor(rand() * (now - from))).sort((x, y) => x - y)
        for (const t of times) {
          // Some rows exactly on a grid time (a date-only CSV, an hour's start).
          const at = rand() < 0.2 ? Math.max(from + 1, Math.floor(t / HOUR) * HOUR) : t
          const account = ACCOUNTS[Math.floor(rand() * ACCOUNTS.length)] as string
          const c = cash.get(account) as number
          const b = btc.get(account) as number
          const x = rand()
          if (x < 0.15 || c + b === 0) {
            const amount = 100 + Math.floor(rand() * 5000)
            rows.push(row(account, { kind: 'deposit', timestamp: at, asset: 'USDT', amount: String(amount) }))
            cash.set(account, c + amount)
          } else if (x < 0.25 && c > 0) {
            // All the cash (the account emptied when it holds no BTC), or part of it.
            const amount = rand() < 0.4 ? c : Math.floor(c * rand() * 100) / 100
            if (amount <= 0) continue
            rows.push(row(account, { kind: 'withdrawal', timestamp: at, asset: 'USDT', amount: String(amount) }))
            cash.set(account, Math.round((c - amount) * 100) / 100)
          } else if (x < 0.7 && c >= price) {
            const amount = Math.floor(((c * rand()) / price) * 1000) / 1000
            if (amount <= 0) continue
            rows.push(row(account, { kind: 'trade', timestamp: at, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: String(price), amount: String(amount) }))
            cash.set(account, Math.round((c - amount * price) * 1e6) / 1e6)
            btc.set(account, Math.round((b + amount) * 1000) / 1000)
          } else if (x < 0.9 && b > 0) {
            const amount = rand() < 0.5 ? b : Math.floor(b * rand() * 1000) / 1000
            if (amount <= 0) continue
            rows.push(row(account, { kind: 'trade', timestamp: at, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: String(price), amount: String(amount) }))
            cash.set(account, Math.round((c + amount * price) * 1e6) / 1e6)
            btc.set(account, Math.round((b - amount) * 1000) / 1000)
          } else {
            rows.push(row(account, { kind: 'income', timestamp: at, asset: 'USDT', amount: String(1 + Math.floor(rand() * 50)) }))
          }
          price = Math.max(10, Math.round(price * (0.8 + rand() * 0.45)))
        }
        // Late money (older than snapshots already recorded): a deposit replays the ledger; income newer than
        // the last deposit or withdrawal is patched into the kept snapshots (and so into kept points).
        if (rand() < 0.3 && from > START + DAY) {
          const account = ACCOUNTS[Math.floor(rand() * ACCOUNTS.length)] as string
          const amount = 10 + Math.floor(rand() * 500)
          rows.push(row(account, { kind: 'deposit', timestamp: from - Math.floor(rand() * DAY), asset: 'USDT', amount: String(amount) }))
          cash.set(account, (cash.get(account) as number) + amount)
        } else if (rand() < 0.6) {
          // For the account idle longest: older rows of its own would replay the ledger.
          const account = [...ACCOUNTS].sort((x, y) => (lastRow.get(x) as number) - (lastRow.get(y) as number))[0] as string
          const after = Math.max(lastFlow, lastRow.get(account) as number)
          if (from - after > HOUR) {
            const amount = 1 + Math.floor(rand() * 500)
            rows.push(row(account, { kind: 'income', timestamp: after + 1 + Math.floor(rand() * (from - after - 1)), asset: 'USDT', amount: String(amount) }))
            cash.set(account, (cash.get(account) as number) + amount)
          }
        }
        for (const r of rows) {
          if (r.kind === 'deposit' || r.kind === 'withdrawal') lastFlow = Math.max(lastFlow, r.timestamp)
          lastRow.set(r.account, Math.max(lastRow.get(r.account) as number, r.timestamp))
        }
        if (rows.length > 0) l.writer.importBatch(rows)
        l.marks.record([{ asset: 'BTC', quote: 'USDT', price: String(price), at: now - 1 }])
        board.set('binance-main', 'BTC/USDT', String(price), now)

        const fresh = open()
        const freshAnalytics = new AnalyticsService({ reports: { run: async () => ({}) } as never, live: fresh, now: () => clock.now() })
        for (const period of PERIODS) {
          const queries: PortfolioQuery[] = [{ period }, { scope: 'all', period }, ...ACCOUNTS.map((account) => ({ account, period }))]
          for (const q of queries) {
            const where = `seed ${seed}, sync ${sync}, ${JSON.stringify(q)}`
            const pct = live.view(q).totals.pnlPct
            // Kept chain = the same curve chained afresh = a fresh replay's.
            expect(pct, where).toBe(timeWeightedReturnPct(live.returnCurve(q).points))
            expect(pct, where).toBe(fresh.view(q).totals.pnlPct)
          }
          const kept = await analytics.leaderboard({ period })
          const again = await freshAnalytics.leaderboard({ period })
          for (const r of kept.rows) {
            const where = `seed ${seed}, sync ${sync}, ${period}, ${r.account}`
            const curve = live.returnCurve({ account: r.account, period })
            expect(r.returns, where).toBe(stepReturns(curve.points, curve.resolution).length)
            const o = again.rows.find((x) => x.account === r.account)
            expect({ pct: r.pnlPct, sharpe: r.sharpe, dd: r.maxDrawdownPct, n: r.returns }, where).toEqual({ pct: o?.pnlPct, sharpe: o?.sharpe, dd: o?.maxDrawdownPct, n: o?.returns })
          }
        }
        fresh.stop()
        lives.splice(lives.indexOf(fresh), 1)
      }
      for (const x of lives.splice(0)) x.stop()
      l.close()
      ledger = undefined
    }
  }, 240_000)
})

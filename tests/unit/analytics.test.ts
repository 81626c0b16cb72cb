import { afterEach, describe, expect, it } from 'vitest'
import { maxDrawdownPct, periodReturns, sharpe, stepReturns, timeWeightedReturnPct } from '../../src-main/analytics/metrics'
import { runTradeStatsJob, weekHour } from '../../src-main/analytics/jobs'
import { sharpeBlankReason } from '../../src-renderer/features/leaderboard/leaderboardModel'
import { openStore } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, simClockCore, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'
import type { Core } from '../../src-main/core'
import type { HeatmapView, LeaderboardView } from '../../src-main/api/contract'

// The leaderboard's figures: returns net of deposits, Sharpe and drawdown on hand-computed curves; closed
// trades per account from a scripted ledger; and the doors on the simulated exchange, where the traders
// trade and must show up ranked by the portfolio's own P&L.

describe('performance statistics', () => {
  it('returns leave out money moved in and steps from zero equity', () => {
    const p = (value: number, netDeposits: number) => ({ time: 0, value, netDeposits })
    // 100 → 110: +10 %. Then 50 put in and 171 at the end: 11 made on the 110 there plus the 50 put in, which
    // worked in the step too: 11 / 160 = 6.875 % (not 11 / 110 = 10 %).
    expect(periodReturns([p(0, 0), p(100, 100), p(110, 100), p(171, 150)])).toEqual([0.1, 0.06875])
  })

  it('a deposit that dwarfs the equity before it: its loss is a loss on it, and a drawdown stays within 100 %', () => {
    const p = (value: number, netDeposits: number) => ({ time: 0, value, netDeposits })
    // 100 test money, then 10,000 put in and 1,000 lost: −1,000 / 10,100 = −9.90099… % (not −1,000 / 100 = −1,000 %).
    const returns = periodReturns([p(100, 100), p(100, 100), p(9100, 10100)])
    expect(returns[1]).toBeCloseTo(-1000 / 10100, 12)
    expect(maxDrawdownPct(returns)).toBeCloseTo(9.90099, 4)
    // Everything lost, the new money too: −100 %, no further.
    expect(periodReturns([p(100, 100), p(0, 10100)])).toEqual([-1])
  })

  it('an account holding only cash returns exactly 0 every step, money put in or not: no Sharpe, and the blank says why', () => {
    const p = (value: number, netDeposits: number) => ({ time: 0, value, netDeposits })
    // 1231.63 put in, 396.777 made before the period; then 1000 more in. In floats
    // (2628.407 − 1628.407 − (2231.63 − 1231.63)) / 1628.407 is 1.4e-16, and a Sharpe of 3.49 appeared.
    const returns = periodReturns([p(1628.407, 1231.63), p(1628.407, 1231.63), p(2628.407, 2231.63), p(2628.407, 2231.63)])
    expect(returns).toEqual([0, 0, 0])
    expect(sharpe(returns, 365)).toBeNull()
    expect(sharpeBlankReason(sharpe(returns, 365), returns.length, 'day')).toBe('The 3 daily returns do not vary: no ratio to draw.')
  })

  it('Sharpe: mean over sample deviation, annualized; none without variation', () => {
    // mean 0.005, sample sd √(0.0005 / 3) = 0.0129099…; × √365 → 7.39932…
    expect(sharpe([0.01, -0.01, 0.02, 0], 365)).toBeCloseTo(7.39932, 4)
    expect(sharpe([0.01, 0.01, 0.01], 365)).toBeNull()
    expect(sharpe([0.01], 365)).toBeNull()
  })

  it('returns at the curve’s resolution only: the finer recent points and the unfinished step are left out', () => {
    const DAY = 86_400_000
    const HOUR = 3_600_000
    const p = (time: number, value: number) => ({ time, value, netDeposits: 0 })
    // Daily 100 → 110 → 99, then hourly detail of the last day and a live point at 12:34: the daily returns
    // are +10 % and −10 % (not the hourly 99 → 101 → 100 ones).
    const curve = [p(0, 100), p(DAY, 110), p(2 * DAY, 99), p(2 * DAY + HOUR, 101), p(2 * DAY + 2 * HOUR, 100), p(2 * DAY + 12 * HOUR + 34 * 60_000, 104)]
    const daily = stepReturns(curve, 'day')
    expect(daily).toHaveLength(2)
    expect(daily[0]).toBeCloseTo(0.1, 12)
    expect(daily[1]).toBeCloseTo(-0.1, 12)
    expect(stepReturns(curve, 'hour')).toHaveLength(4)
  })

  it('the period return chains the steps, the funded-from-nothing ones too; with nothing at work, none', () => {
    const p = (value: number, netDeposits: number) => ({ time: 0, value, netDeposits })
    // 100 put in and 150 at the step's end (+50 %); all 150 taken out (0 %); an empty step (skipped); 100 put
    // in again and 110 at the end (+10 %): 1.5 × 1 × 1.1 − 1 = +65 %.
    expect(timeWeightedReturnPct([p(0, 0), p(150, 100), p(0, -50), p(0, -50), p(110, 50)])).toBe('65')
    expect(timeWeightedReturnPct([p(0, 0), p(0, 0)])).toBeNull()
    expect(timeWeightedReturnPct([p(100, 100)])).toBeNull()
  })

  it('a closed account’s dust does not carry its return on: its steps count again once money is put in', () => {
    const DAY = 86_400_000
    const p = (time: number, value: number, netDeposits: number, deposited: number, beforeFlow = false) => ({ time, value, netDeposits, deposited, ...(beforeFlow ? { beforeFlow } : {}) })
    // 10,000 in, 9,900 at day 1 (−1 %), then 9,899.51 taken out: 0.49 of coin dust left (under 0.1 % of it).
    // The dust then doubles and halves: the account's return stays −1 %, with no further steps for Sharpe.
    const closed = [p(0, 10000, 10000, 10000), p(DAY, 9900, 10000, 10000, true), p(2 * DAY, 0.49, 100.49, 10000), p(3 * DAY, 0.98, 100.49, 10000), p(4 * DAY, 0.245, 100.49, 10000)]
    expect(timeWeightedReturnPct(closed)).toBe('-1')
    expect(stepReturns(closed, 'day')).toEqual([-0.01])
    // 100 put in again on day 4 (beside the 0.245 of dust), 110.245 on day 5: 10 / 100.245 counts, chained
    // with the −1 %: 0.99 × 1.09976 − 1 = +8.88 %.
    const reopened = [...closed.slice(0, 4), p(4 * DAY, 0.245, 100.49, 10000, true), p(5 * DAY, 110.245, 200.49, 10100)]
    expect(timeWeightedReturnPct(reopened)).toBe('8.88')
    expect(stepReturns(reopened, 'day')).toHaveLength(2)
  })

  it('maximum drawdown from the running peak, in %', () => {
    // 1.1 → 0.55 (−50 % from 1.1) → 0.66
    expect(maxDrawdownPct([0.1, -0.5, 0.2])).toBeCloseTo(50, 10)
    expect(maxDrawdownPct([0.1, 0.2])).toBe(0)
  })
})

describe('closed trades per account', () => {
  it('wins, losses, profit and the hour of the week, FIFO within each account', () => {
    const store = openStore(tempDir('co-analytics-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const a = ledger('alice')
      const b = ledger('bob')
      const at = (iso: string) => Date.parse(iso)
      portfolio.importBatch(
        [
          { ...a.buy('BTC/USDT', '1', '100'), timestamp: at('2024-01-01T10:00:00Z') },
          { ...a.sell('BTC/USDT', '0.5', '120'), timestamp: at('2024-01-02T14:00:00Z') },
          { ...a.sell('BTC/USDT', '0.5', '90'), timestamp: at('2024-01-02T14:30:00Z') },
          { ...b.buy('ETH/USDT', '2', '10'), timestamp: at('2024-01-03T08:00:00Z') },
          { ...b.sell('ETH/USDT', '2', '12'), timestamp: at('2024-01-03T09:15:00Z') },
        ],
        null,
      )
      const stats = runTradeStatsJob(store.db, { kind: 'tradeStats', since: null, now: at('2024-02-01T00:00:00Z'), currency: 'USDT' })
      const { heatmap, ...alice } = stats['alice']!
      // 0.5 × (120 − 100) = +10; 0.5 × (90 − 100) = −5.
      expect(alice).toEqual({ trades: 2, unpriced: 0, wins: 1, losses: 1, realized: '5', grossProfit: '10', grossLoss: '5', best: '10', worst: '-5' })
      // 2 January 2024 was a Tuesday: the 14:00 hour holds both.
      expect(weekHour(at('2024-01-02T14:30:00Z'))).toBe(24 + 14)
      expect(heatmap[38]).toEqual({ pnl: '5', trades: 2 })
      expect(heatmap.filter((c) => c.trades > 0)).toHaveLength(1)
      expect(stats['bob']).toMatchObject({ trades: 1, wins: 1, realized: '4' })
      // From the 2nd on, alice's trades count but nothing before is lost from the lots.
      const since = runTradeStatsJob(store.db, { kind: 'tradeStats', since: at('2024-01-02T14:15:00Z'), now: at('2024-02-01T00:00:00Z'), currency: 'USDT' })
      expect(since['alice']).toMatchObject({ trades: 1, wins: 0, losses: 1, realized: '-5' })
    } finally {
      store.close()
    }
  })
})

describe('closed trades: one sale in several fills', () => {
  it('counts once, its P&L summed: 1 BTC sold in 4 fills and 1 ETH at a loss are a 50 % win rate', () => {
    const store = openStore(tempDir('co-analytics-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const l = ledger('desk')
      const at = (iso: string) => Date.parse(iso)
      const sold = at('2024-01-02T12:00:00Z')
      portfolio.importBatch(
        [
          { ...l.buy('BTC/USDT', '1', '100'), timestamp: at('2024-01-01T10:00:00Z') },
          ...['0.25', '0.25', '0.25', '0.25'].map((amount, i) => ({ ...l.sell('BTC/USDT', amount, '110', null, { externalId: `fill-${i}` }), timestamp: sold })),
          { ...l.buy('ETH/USDT', '1', '100'), timestamp: at('2024-01-03T10:00:00Z') },
          { ...l.sell('ETH/USDT', '1', '50'), timestamp: at('2024-01-03T11:00:00Z') },
        ],
        null,
      )
      const { heatmap, ...desk } = runTradeStatsJob(store.db, { kind: 'tradeStats', since: null, now: at('2024-02-01T00:00:00Z'), currency: 'USDT' })['desk']!
      expect(desk).toEqual({ trades: 2, unpriced: 0, wins: 1, losses: 1, realized: '-40', grossProfit: '10', grossLoss: '50', best: '10', worst: '-50' })
      expect(heatmap.reduce((n, c) => n + c.trades, 0)).toBe(2)
    } finally {
      store.close()
    }
  })
})

describe('closed trades: reporting in EUR', () => {
  it('paying with USDT is not a closed trade: one round trip is one trade, its FX result stays in the realized P&L', () => {
    const store = openStore(tempDir('co-analytics-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const l = ledger('eu')
      const at = (iso: string) => Date.parse(iso)
      portfolio.importMarks([
        { asset: 'EUR', quote: 'USDT', price: '1.10', at: at('2024-01-01T00:00:00Z') },
        { asset: 'EUR', quote: 'USDT', price: '1.12', at: at('2024-01-05T00:00:00Z') },
      ])
      portfolio.importBatch(
        [
          { ...l.deposit('USDT', '10000'), timestamp: at('2024-01-02T10:00:00Z') },
          { ...l.buy('BTC/USDT', '0.1', '40000'), timestamp: at('2024-01-06T10:00:00Z') },
          { ...l.sell('BTC/USDT', '0.1', '44000'), timestamp: at('2024-01-10T10:00:00Z') },
        ],
        null,
      )
      const s = runTradeStatsJob(store.db, { kind: 'tradeStats', since: null, now: at('2024-02-01T00:00:00Z'), currency: 'EUR' })['eu']!
      // The BTC sale: 4400 / 1.12 − 4000 / 1.12 = +357.14 EUR, the one trade (a win). The 4000 USDT paid for it
      // had cost 4000 / 1.10 and left at 4000 / 1.12: −64.94 EUR, no trade but realized:
      // 357.142857… − 64.935065… = 292.207792….
      expect(s).toMatchObject({ trades: 1, wins: 1, losses: 0, grossLoss: '0' })
      expect(Number(s.best)).toBeCloseTo(400 / 1.12, 6)
      expect(Number(s.worst)).toBeCloseTo(400 / 1.12, 6)
      expect(Number(s.realized)).toBeCloseTo(400 / 1.12 - 4000 / 1.1 + 4000 / 1.12, 6)
    } finally {
      store.close()
    }
  })
})

describe('closed trades: accounts the app keeps alone', () => {
  it("a simulated trader's opening coins are not the user's withdrawn ones: its sale shows its own result", () => {
    const store = openStore(tempDir('co-analytics-'), migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const mine = ledger('binance')
      const trader = ledger('sim:trader:momentum-mia')
      const at = (iso: string) => Date.parse(iso)
      portfolio.importBatch(
        [
          { ...mine.buy('BTC/USDT', '1', '10000'), timestamp: at('2024-01-01T10:00:00Z') },
          // The user's coin leaves for a wallet the ledger does not see…
          { ...mine.withdraw('BTC', '1'), timestamp: at('2024-01-02T10:00:00Z') },
          // …and a simulated trader's opening balance holds a coin of its own (worth 50,000), sold at 50,000.
          { ...trader.deposit('BTC', '1', { externalId: 'opening:BTC', source: 'app' }), timestamp: at('2024-01-03T10:00:00Z') },
          { ...trader.sell('BTC/USDT', '1', '50000'), timestamp: at('2024-01-04T10:00:00Z') },
        ],
        null,
      )
      portfolio.importMarks([{ asset: 'BTC', quote: 'USDT', price: '50000', at: at('2024-01-03T09:00:00Z') }])
      const stats = runTradeStatsJob(store.db, { kind: 'tradeStats', since: null, now: at('2024-02-01T00:00:00Z'), currency: 'USDT' })
      // Not +40,000 on the user's 10,000 lot: nothing made, nothing lost.
      expect(stats['sim:trader:momentum-mia']).toMatchObject({ trades: 1, wins: 0, losses: 0, realized: '0' })
    } finally {
      store.close()
    }
  })
})

let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

describe('analytics in the engine', () => {
  it('the P&L, equity curve and Leaderboard run on the engine’s clock, as its fills do (not the wall clock)', async () => {
    // On the simulated exchange's clock the market is hours or days away from the wall clock: a curve running
    // to the wall clock grew a day step per day the test ran after the start (the Leaderboard test's returns).
    const core = simClockCore()
    cores.push(core)
    core.sim.runtime.advance(60_000)
    core.portfolio.flush()
    const ctx = { door: 'test' } as const
    const now = core.sim.engine.now()
    const summary = (await core.router.invoke('portfolio.summary', { period: 'all' }, ctx)) as { value: { at: number } }
    expect(summary.value.at).toBe(now)
    const board = (await core.router.invoke('analytics.leaderboard', { period: 'all' }, ctx)) as { value: LeaderboardView }
    expect(board.value.at).toBe(now)
    const equity = (await core.router.invoke('portfolio.equity', { period: 'all' }, ctx)) as { value: { points: { time: number }[] } }
    expect(equity.value.points.at(-1)?.time).toBe(now)
  })

  it('ranks every account by the portfolio’s own P&L, with the simulated traders’ trades, and a heatmap', async () => {
    // The board reads the ledger up to the engine's now: on the wall clock, only the traders' fills of the first
    // seconds counted (as many as the test took), none on a fast machine. A fixed start makes the market the same each run.
    const core = simClockCore({ startAt: Date.UTC(2026, 10, 24, 9, 30) })
    cores.push(core)
    for (let i = 0; i < 10; i++) core.sim.runtime.advance(60_000)
    core.portfolio.flush()
    const ctx = { door: 'test' } as const
    const reply = await core.router.invoke('analytics.leaderboard', { period: 'all' }, ctx)
    expect(reply.ok, JSON.stringify(reply).slice(0, 300)).toBe(true)
    const board = (reply as { value: LeaderboardView }).value
    const traders = board.rows.filter((r) => r.kind === 'trader')
    expect(traders.length).toBeGreaterThan(3)
    expect(traders.some((r) => r.trades > 0)).toBe(true)
    // Ranked by P&L; any account with incomplete figures (no rank) after the ranked ones.
    const ranked = board.rows.filter((r) => r.rank !== null)
    expect(board.rows.slice(0, ranked.length)).toEqual(ranked)
    for (let i = 1; i < ranked.length; i++) expect(Number(ranked[i - 1]!.pnl)).toBeGreaterThanOrEqual(Number(ranked[i]!.pnl))
    // Each row's P&L is the portfolio's figure for that account.
    const one = board.rows[0]!
    const view = await core.router.invoke('portfolio.summary', { account: one.account, period: 'all' }, ctx)
    expect((view as { value: { totals: { pnl: string } } }).value.totals.pnl).toBe(one.pnl)
    // Sharpe and drawdown say how many returns they stand on: one per day of the account's equity curve
    // that starts from something held (the days before its first deposit are empty); a Sharpe needs two.
    const { points } = ((await core.router.invoke('portfolio.equity', { account: one.account, period: 'all' }, ctx)) as { value: { points: { time: number; value: number }[] } }).value
    const days = points.filter((p) => p.time % 86_400_000 === 0)
    expect(one.returns).toBe(days.filter((p, i) => i > 0 && days[i - 1]!.value > 0).length)
    for (const r of board.rows) expect(r.sharpe === null || r.returns >= 2, r.account).toBe(true)

    const busy = traders.find((r) => r.trades > 0)!
    const heat = (await core.router.invoke('analytics.heatmap', { account: busy.account, period: 'all' }, ctx)) as { ok: boolean; value: HeatmapView }
    expect(heat.ok).toBe(true)
    expect(heat.value.cells).toHaveLength(168)
    expect(heat.value.cells.reduce((n, c) => n + c.trades, 0)).toBe(busy.trades)
    const missing = await core.router.invoke('analytics.heatmap', { account: 'nobody', period: 'all' }, ctx)
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no account "nobody" in the ledger' } })
  })
})

describe('analytics service', () => {
  it('one replay of the ledger serves the board and the heatmap asked together', async () => {
    const { AnalyticsService } = await import('../../src-main/analytics/service')
    let jobs = 0
    const reports = { run: async () => (jobs++, { a: { trades: 1, unpriced: 0, wins: 1, losses: 0, realized: '2', grossProfit: '2', grossLoss: '0', best: '2', worst: '2', heatmap: [] } }) }
    const totals = { value: '10', pnl: '2', pnlPct: '25' }
    const live = {
      view: (q: { account?: string }) => ({ at: 0, periodStart: null, currency: 'USD', accounts: [{ account: 'a', label: 'A' }], totals, warnings: [], ...q }),
      returnCurve: () => ({ resolution: 'day', points: [] }),
    }
    let t = 1_000_000
    const service = new AnalyticsService({ reports: reports as never, live: live as never, now: () => t })
    const [board, heat] = await Promise.all([service.leaderboard({ period: 'all' }), service.heatmap({ account: 'a', period: 'all' })])
    expect(jobs).toBe(1)
    expect(board.rows[0]).toMatchObject({ account: 'a', trades: 1, winRatePct: 100, profitFactor: null, pnl: '2' })
    expect(heat.cells).toHaveLength(168)
    t += 6_000
    await service.leaderboard({ period: 'all' })
    expect(jobs).toBe(2)
  })
})

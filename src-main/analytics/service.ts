import { AppError } from '../api/errors'
import type { HeatmapView, LeaderboardQuery, LeaderboardRow, LeaderboardView } from '../api/schemas/analytics'
import type { PortfolioPeriod } from '../api/schemas/portfolio'
import { fixedArith as ar } from '../portfolio/arith'
import type { LivePortfolio } from '../portfolio/live/service'
import { ledgerCurrency } from '../portfolio/live/currency'
import { periodResolution } from '../portfolio/live/periods'
import { isSimTraderAccount } from '../portfolio/sim-feed'
import type { ReportWorker } from '../reports/worker'
import type { AccountTradeStats } from './jobs'
import { incompleteFor } from './incomplete'
import { maxDrawdownPct, sharpe, STEPS_PER_YEAR } from './metrics'
import { StepReturnsCache } from './step-returns-cache'

// analytics/: the leaderboard and the week heatmap. P&L and value are the live portfolio's own figures for
// each account; the return (time-weighted), Sharpe and drawdown come from its equity curve; the trades (win rate, profit
// factor, best, worst, heatmap) from the ledger's closed trades, computed on the report worker.

const NO_STATS: AccountTradeStats = { trades: 0, unpriced: 0, wins: 0, losses: 0, realized: '0', grossProfit: '0', grossLoss: '0', best: null, worst: null, heatmap: [] }
const round = (n: number | null, places: number) => (n === null || !Number.isFinite(n) ? null : Math.round(n * 10 ** places) / 10 ** places)

/** How long one replay of the ledger's trades answers for (the board and its heatmap ask together). */
const STATS_FRESH_MS = 5_000

export class AnalyticsService {
  private stats: { key: string; at: number; result: Promise<Record<string, AccountTradeStats>> } | null = null
  /** Each account's step returns kept up to the last grid snapshot (step-returns-cache.ts). */
  private readonly steps = new StepReturnsCache()

  constructor(private readonly deps: { reports: ReportWorker; live: Pick<LivePortfolio, 'view' | 'returnCurve'>; now: () => number }) {}

  async leaderboard(query: LeaderboardQuery): Promise<LeaderboardView> {
    const { period } = query
    const all = this.deps.live.view({ scope: 'all', period })
    const stats = await this.tradeStats(all.periodStart, all.currency)
    // Unranked ('?'): accounts whose figures for this period are short of the truth (incomplete.ts).
    const short = new Set<string>()
    const rows: Omit<LeaderboardRow, 'rank'>[] = all.accounts.map((a) => {
      const v = this.deps.live.view({ account: a.account, period })
      const curve = this.deps.live.returnCurve({ account: a.account, period })
      const key = [a.account, curve.resolution, curve.points[0]?.time ?? ''].join('\u0000')
      const returns = this.steps.returns(key, curve.points, curve.resolution, curve.stableBefore)
      const s = stats[a.account] ?? NO_STATS
      const loss = Number(s.grossLoss)
      if (incompleteFor(v.warnings, v.positions, all.periodStart)) short.add(a.account)
      return {
        account: a.account,
        label: a.label,
        kind: isSimTraderAccount(a.account) ? 'trader' : 'own',
        value: v.totals.value,
        pnl: v.totals.pnl,
        warnings: v.warnings.map((w) => ({ kind: w.kind, asset: w.asset, message: w.message })),
        // Time-weighted, the Portfolio page's own % (worked from the same curve): accounts are compared by
        // how their money did, whatever was put in or taken out when.
        pnlPct: v.totals.pnlPct,
        sharpe: round(sharpe(returns, STEPS_PER_YEAR[curve.resolution]), 2),
        maxDrawdownPct: returns.length === 0 ? null : round(maxDrawdownPct(returns), 2),
        returns: returns.length,
        trades: s.trades,
        unpricedTrades: s.unpriced,
        wins: s.wins,
        losses: s.losses,
        winRatePct: s.trades === 0 ? null : round((s.wins / s.trades) * 100, 2),
        profitFactor: loss > 0 ? round(Number(s.grossProfit) / loss, 2) : null,
        realized: s.realized,
        best: s.best,
        worst: s.worst,
      }
    })
    const incomplete = (r: Omit<LeaderboardRow, 'rank'>) => short.has(r.account)
    rows.sort((x, y) => Number(incomplete(x)) - Number(incomplete(y)) || ar.cmp(ar.parse(y.pnl), ar.parse(x.pnl)) || x.label.localeCompare(y.label))
    let rank = 0
    const ranked = rows.map((r) => ({ ...r, rank: incomplete(r) ? null : ++rank }))
    return { at: all.at, period, periodStart: all.periodStart, currency: all.currency, resolution: periodResolution(period), rows: ranked }
  }

  /**
   * Every ledger account's closed trades of all time — the Leaderboard's "all" figures: count, win rate
   * (0–100, 2 places) and their realized P&L. The Copy page's leaders show these.
   */
  async closedTrades(): Promise<Map<string, { trades: number; winRatePct: string | null; realized: string }>> {
    const all = this.deps.live.view({ scope: 'all', period: 'all' })
    const stats = await this.tradeStats(null, all.currency)
    return new Map(
      all.accounts.map((a) => {
        const s = stats[a.account] ?? NO_STATS
        const winRatePct = s.trades === 0 ? null : String(round((s.wins / s.trades) * 100, 2))
        return [a.account, { trades: s.trades, winRatePct, realized: s.realized }]
      }),
    )
  }

  async heatmap(query: { account: string; period: PortfolioPeriod }): Promise<HeatmapView> {
    const all = this.deps.live.view({ scope: 'all', period: query.period })
    const row = all.accounts.find((a) => a.account === query.account)
    if (!row) throw new AppError('NOT_FOUND', `no account "${query.account}" in the ledger`)
    const s = (await this.tradeStats(all.periodStart, all.currency))[query.account] ?? NO_STATS
    return {
      account: row.account,
      label: row.label,
      period: query.period,
      currency: all.currency,
      cells: Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, pnl: s.heatmap[i]?.pnl ?? '0', trades: s.heatmap[i]?.trades ?? 0 })),
    }
  }

  /**
   * The period's closed trades of every account: one replay of the ledger serves the board and the
   * heatmap asked at the same moment (and any other screen within a few seconds), not one each.
   */
  private tradeStats(since: number | null, currency: LeaderboardView['currency']): Promise<Record<string, AccountTradeStats>> {
    const now = this.deps.now()
    const key = `${since ?? 'all'}|${currency}`
    if (this.stats && this.stats.key === key && now - this.stats.at < STATS_FRESH_MS) return this.stats.result
    const result = this.deps.reports.run<Record<string, AccountTradeStats>>({ kind: 'tradeStats', since, now, currency: ledgerCurrency(currency).reporting })
    this.stats = { key, at: now, result }
    // A failed replay is not kept: the next ask tries again.
    result.catch(() => {
      if (this.stats?.result === result) this.stats = null
    })
    return result
  }
}

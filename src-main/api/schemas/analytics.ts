import { z } from 'zod'
import { portfolioPeriodSchema, portfolioWarningSchema, reportingCurrencySchema } from './portfolio'
import { decimalStringSchema } from './venues'

// Analytics: a leaderboard of every account in the ledger — yours and the simulated traders' — over a
// period: P&L (the portfolio's own figure), return (time-weighted) and risk (Sharpe, maximum drawdown) from
// the equity curve, and trading (closed trades, win rate, profit factor, best and worst); and one account's
// realized P&L by hour of the week.

export const leaderboardInputSchema = z
  .object({
    period: portfolioPeriodSchema.default('30d'),
  })
  .strict()

const ratio = z.number().nullable()

/** One of the Portfolio page's warnings about the account's figures (no price, no cost, a stale price…). */
export const leaderboardWarningSchema = portfolioWarningSchema.pick({ kind: true, asset: true, message: true })

export const leaderboardRowSchema = z.object({
  account: z.string(),
  label: z.string(),
  /** The user's own account, or a simulated trader's. */
  kind: z.enum(['own', 'trader']),
  /**
   * Place among the accounts whose value and P&L are whole, 1 first; null when they are not (a holding
   * with no price, coins with no cost basis): such rows come after the ranked ones.
   */
  rank: z.number().int().nullable(),
  value: decimalStringSchema,
  /** The period's P&L (change less net deposits). */
  pnl: decimalStringSchema,
  /** What the Portfolio page warns about this account's value and P&L. */
  warnings: z.array(leaderboardWarningSchema),
  /** The period's time-weighted return in %, from the equity curve (null when no money was at work). */
  pnlPct: decimalStringSchema.nullable(),
  /** Annualized, risk-free rate 0, from the equity curve's steps (day, hour or 5 minutes by period). */
  sharpe: ratio,
  maxDrawdownPct: ratio,
  /** How many of those steps' returns Sharpe and drawdown are drawn from (Sharpe needs two). */
  returns: z.number().int(),
  /** Closed trades: sales and swaps matched FIFO to the account's own lots. */
  trades: z.number().int(),
  /** Sales left out of the trades: the book could not value them (their quote, or what bought the coins, had no price). */
  unpricedTrades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  winRatePct: ratio,
  /** Gross profit ÷ gross loss of the closed trades (null without a losing trade). */
  profitFactor: ratio,
  realized: decimalStringSchema,
  best: decimalStringSchema.nullable(),
  worst: decimalStringSchema.nullable(),
})

export const leaderboardViewSchema = z.object({
  at: z.number().int(),
  period: portfolioPeriodSchema,
  periodStart: z.number().int().nullable(),
  currency: reportingCurrencySchema,
  resolution: z.enum(['5m', 'hour', 'day']),
  /** Ranked by the period's P&L, best first; the rows with incomplete figures (rank null) after them. */
  rows: z.array(leaderboardRowSchema),
})

export const heatmapInputSchema = z.object({ account: z.string().min(1).max(200), period: portfolioPeriodSchema.default('30d') }).strict()

export const heatmapViewSchema = z.object({
  account: z.string(),
  label: z.string(),
  period: portfolioPeriodSchema,
  currency: reportingCurrencySchema,
  /** 168 cells, Monday 00:00–01:00 UTC first, then hour by hour: realized P&L and trades closed then. */
  cells: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), pnl: decimalStringSchema, trades: z.number().int() })),
})

export const analyticsCommands = {
  'analytics.leaderboard': { input: leaderboardInputSchema, output: leaderboardViewSchema },
  'analytics.heatmap': { input: heatmapInputSchema, output: heatmapViewSchema },
} as const

export type LeaderboardQuery = z.output<typeof leaderboardInputSchema>
export type LeaderboardRow = z.infer<typeof leaderboardRowSchema>
export type LeaderboardWarning = z.infer<typeof leaderboardWarningSchema>
export type LeaderboardView = z.infer<typeof leaderboardViewSchema>
export type HeatmapView = z.infer<typeof heatmapViewSchema>

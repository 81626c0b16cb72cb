// Why a leaderboard figure is blank or doubtful, in words: a Sharpe ratio needs two returns of the equity
// curve's step (a day for 30 days, an hour for 7, 5 minutes for 24 hours), and a new account has not had
// them yet; a value or P&L the Portfolio page warns about (no price, no cost basis) is not whole.

import type { LeaderboardWarning } from '../../../src-main/api/contract'

export type Resolution = '5m' | 'hour' | 'day'

const STEP: Record<Resolution, string> = { day: 'daily', hour: 'hourly', '5m': '5-minute' }

/** The title of a blank Sharpe cell, or null when the figure is there. */
export function sharpeBlankReason(sharpe: number | null, returns: number, resolution: Resolution): string | null {
  if (sharpe !== null) return null
  if (returns < 2)
    return `Needs 2 ${STEP[resolution]} returns; ${returns} so far.${resolution === '5m' ? '' : ' A shorter period uses finer steps (24h: every 5 minutes).'}`
  return `The ${returns} ${STEP[resolution]} returns do not vary: no ratio to draw.`
}

/** The title of the Trades cell when some sales could not be valued (left out of the count), or null. */
export function unpricedTradesNote(unpriced: number): string | null {
  if (unpriced === 0) return null
  return `${unpriced} more sale${unpriced === 1 ? '' : 's'} could not be valued (no price for what was paid or received) and ${unpriced === 1 ? 'is' : 'are'} not counted as trades.`
}

/** What the ⚠ next to an account's Value and P&L says: the Portfolio page's warnings, one a line; null without. */
export function figureWarningText(warnings: readonly LeaderboardWarning[]): string | null {
  if (warnings.length === 0) return null
  return `Figures may be incomplete:\n${warnings.map((w) => `${w.asset}: ${w.message}`).join('\n')}`
}

/** The title of an unranked row's "?" (its value or P&L leaves something out). */
export const UNRANKED_NOTE = 'Not ranked: a holding has no price or coins have no cost basis, so its P&L is incomplete. Listed after the ranked accounts.'

/** The Win rate column's title: what the rate is of (most platforms' definition, and the engine's). */
export const WIN_RATE_HEADER_NOTE = 'Wins ÷ closed trades. A break-even trade (P&L exactly 0) counts as a trade, not a win.'

/** The title of an account's win rate: its wins, losses and break-even trades. */
export function winRateNote({ trades, wins, losses }: { trades: number; wins: number; losses: number }): string {
  if (trades === 0) return 'No closed trades in the period.'
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`
  return `${n(wins, 'win', 'wins')} of ${n(trades, 'closed trade', 'closed trades')} (${n(losses, 'loss', 'losses')}, ${trades - wins - losses} break-even): a break-even trade counts as not a win.`
}

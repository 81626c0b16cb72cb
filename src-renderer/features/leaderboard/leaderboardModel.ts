// Why a leaderboard figure is blank, in words: a Sharpe ratio needs two returns of the equity curve's step
// (a day for 30 days, an hour for 7, 5 minutes for 24 hours), and a new account has not had them yet.

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

import { describe, expect, it } from 'vitest'
import { sharpeBlankReason } from '../../src-renderer/features/leaderboard/leaderboardModel'

// Why the leaderboard shows no Sharpe ratio: too few returns at the period's step, or returns that do not vary.

describe('a blank Sharpe cell says why', () => {
  it('too few returns at the step; a shorter period is pointed to unless it is already the finest', () => {
    expect(sharpeBlankReason(null, 1, 'day')).toBe('Needs 2 daily returns; 1 so far. A shorter period uses finer steps (24h: every 5 minutes).')
    expect(sharpeBlankReason(null, 0, 'hour')).toBe('Needs 2 hourly returns; 0 so far. A shorter period uses finer steps (24h: every 5 minutes).')
    expect(sharpeBlankReason(null, 1, '5m')).toBe('Needs 2 5-minute returns; 1 so far.')
  })

  it('returns that do not vary; nothing when the figure is there', () => {
    expect(sharpeBlankReason(null, 12, 'day')).toBe('The 12 daily returns do not vary: no ratio to draw.')
    expect(sharpeBlankReason(1.25, 40, 'day')).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { heatRows, WEEKDAYS } from '../../src-renderer/features/leaderboard/heatmapModel'
import { figureWarningText, sharpeBlankReason, unpricedTradesNote, WIN_RATE_HEADER_NOTE, winRateNote } from '../../src-renderer/features/leaderboard/leaderboardModel'
import type { HeatmapView } from '../../src-main/api/contract'

describe('week heatmap model', () => {
  it('lays the engine’s 168 cells out by weekday, each against the week’s largest |P&L|', () => {
    const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, pnl: '0', trades: 0 }))
    cells[38] = { weekday: 1, hour: 14, pnl: '200', trades: 1 }
    cells[57] = { weekday: 2, hour: 9, pnl: '-50', trades: 2 }
    const view: HeatmapView = { account: 'a', label: 'a', period: 'all', currency: 'USD', cells }
    const rows = heatRows(view)
    expect(rows).toHaveLength(WEEKDAYS.length)
    expect(rows.every((r) => r.length === 24)).toBe(true)
    expect(rows[1]?.[14]).toMatchObject({ pnl: '200', trades: 1, strength: 1 })
    expect(rows[2]?.[9]).toMatchObject({ pnl: '-50', strength: -0.25 })
    expect(rows[0]?.[0]?.strength).toBe(0)
  })

  it('an empty week has no strength anywhere', () => {
    const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, pnl: '0', trades: 0 }))
    expect(heatRows({ account: 'a', label: 'a', period: '7d', currency: 'USD', cells }).flat().every((c) => c.strength === 0)).toBe(true)
  })
})

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

describe('sales that could not be valued', () => {
  it('the Trades cell says how many were left out, and why; nothing when none', () => {
    expect(unpricedTradesNote(0)).toBeNull()
    expect(unpricedTradesNote(1)).toBe('1 more sale could not be valued (no price for what was paid or received) and is not counted as trades.')
    expect(unpricedTradesNote(2)).toBe('2 more sales could not be valued (no price for what was paid or received) and are not counted as trades.')
  })
})

describe('a value or P&L with warnings', () => {
  it('the ⚠ lists each warning with its asset; nothing when the figures are whole', () => {
    expect(figureWarningText([])).toBeNull()
    expect(
      figureWarningText([
        { kind: 'missing-cost-basis', asset: 'FDUSD', message: 'deposit with no price: cost basis 0' },
        { kind: 'unpriced-asset', asset: 'SOL', message: 'no price for SOL; its value and unrealized P&L are unknown' },
      ]),
    ).toBe('Figures may be incomplete:\nFDUSD: deposit with no price: cost basis 0\nSOL: no price for SOL; its value and unrealized P&L are unknown')
  })
})

describe('what the win rate counts', () => {
  it('wins over every closed trade, the break-even ones counted as trades and not as wins', () => {
    expect(winRateNote({ trades: 4, wins: 2, losses: 1 })).toBe('2 wins of 4 closed trades (1 loss, 1 break-even): a break-even trade counts as not a win.')
    expect(winRateNote({ trades: 1, wins: 1, losses: 0 })).toBe('1 win of 1 closed trade (0 losses, 0 break-even): a break-even trade counts as not a win.')
    expect(winRateNote({ trades: 0, wins: 0, losses: 0 })).toBe('No closed trades in the period.')
    expect(WIN_RATE_HEADER_NOTE).toBe('Wins ÷ closed trades. A break-even trade (P&L exactly 0) counts as a trade, not a win.')
  })
})

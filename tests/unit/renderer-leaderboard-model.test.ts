import { describe, expect, it } from 'vitest'
import { heatRows, WEEKDAYS } from '../../src-renderer/features/leaderboard/heatmapModel'
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

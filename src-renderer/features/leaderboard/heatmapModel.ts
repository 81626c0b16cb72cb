import type { HeatmapView } from '../../../src-main/api/contract'

// How the week heatmap is drawn: each cell's colour strength is its P&L against the largest |P&L| of the
// week (a ratio for the eye; the exact figure is in the cell's title).

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

export interface HeatCell {
  weekday: number
  hour: number
  pnl: string
  trades: number
  /** −1 … 1: the cell's share of the largest |P&L|; 0 when nothing was realized. */
  strength: number
}

export function heatRows(view: HeatmapView): HeatCell[][] {
  const max = view.cells.reduce((m, c) => Math.max(m, Math.abs(Number(c.pnl))), 0)
  const rows: HeatCell[][] = WEEKDAYS.map(() => [])
  for (const c of view.cells) rows[c.weekday]?.push({ ...c, strength: max > 0 ? Number(c.pnl) / max : 0 })
  return rows
}

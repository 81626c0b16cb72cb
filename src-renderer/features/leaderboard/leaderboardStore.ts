import { create } from 'zustand'
import type { HeatmapView, LeaderboardView } from '../../../src-main/api/contract'
import type { PortfolioPeriod } from '../../../src-main/api/schemas/portfolio'

// The Leaderboard page's state: the period, the engine's board for it, the selected account and its
// week heatmap. Replies to an older question never overwrite a newer one (the page checks `alive`).

interface LeaderboardState {
  period: PortfolioPeriod
  board: LeaderboardView | null
  error: string | null
  selected: string | null
  heatmap: HeatmapView | null
  setPeriod(period: PortfolioPeriod): void
  setBoard(board: LeaderboardView): void
  setError(error: string | null): void
  select(account: string | null): void
  setHeatmap(heatmap: HeatmapView | null): void
}

export const useLeaderboard = create<LeaderboardState>()((set, get) => ({
  period: '30d',
  board: null,
  error: null,
  selected: null,
  heatmap: null,
  setPeriod: (period) => set({ period, board: null, heatmap: null }),
  setBoard: (board) => {
    const selected = get().selected
    set({ board, error: null, selected: selected !== null && board.rows.some((r) => r.account === selected) ? selected : (board.rows[0]?.account ?? null) })
  },
  setError: (error) => set({ error }),
  select: (account) => set({ selected: account, heatmap: account === get().heatmap?.account ? get().heatmap : null }),
  setHeatmap: (heatmap) => set({ heatmap }),
}))

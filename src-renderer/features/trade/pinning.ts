import { toast } from '../toasts/toastStore'
import { changeWorkspace, currentLayout } from '../workspace/workspaceStore'
import { MAX_WATCHLIST, movePinned, togglePinned } from '../workspace/watchlistMarkets'
import type { MarketRef } from '../workspace/layout'

// Pinning markets to the watchlist from any screen (the watchlist, the Markets page, the palette): the
// change goes into the workspace layout, which saves itself.

/** Pins the market, or unpins it when it is pinned; says so when the watchlist is full. */
export function togglePinnedMarket(market: MarketRef): void {
  const layout = currentLayout()
  if (layout && togglePinned(layout, market).full) {
    toast.error('The watchlist is full', `It holds at most ${MAX_WATCHLIST} markets; unpin one first.`)
    return
  }
  changeWorkspace((l) => togglePinned(l, market).layout)
}

export function movePinnedMarket(market: MarketRef, by: 1 | -1): void {
  changeWorkspace((l) => movePinned(l, market, by))
}

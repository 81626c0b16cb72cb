import { navigate } from '../../app/router'
import { focusedView, openMarket as openInLayout, sameMarket, type MarketRef } from '../workspace/layout'
import { changeWorkspace, currentLayout } from '../workspace/workspaceStore'
import { useSelection } from './selection'

// The way into the Trade page from anywhere (Markets page, watchlist, "Open market…"): the focused view
// and the views that showed its market move to the market asked for, and the page is shown.

export type { MarketRef }
export { sameMarket }

export const TRADE_PAGE = 'trade'

/** Shows a market on the Trade page, in the focused view and the views that showed the same market. */
export function openMarket(market: MarketRef): void {
  const layout = currentLayout()
  const before = layout ? focusedView(layout) : null
  changeWorkspace((l) => openInLayout(l, market))
  // A price picked on the market being replaced is no longer the ticket's.
  if (before && !sameMarket(before, market) && sameMarket(useSelection.getState().selectedMarket, before)) useSelection.getState().clear()
  navigate(TRADE_PAGE)
}

import type { WorkspaceLayout } from '../../../src-main/api/contract'
import { sameMarket, type MarketRef } from './layout'

// The markets pinned to the watchlist, kept in the workspace layout (saved with it, validated by the engine:
// at most MAX_WATCHLIST, none twice). Pure functions from one layout to the next, tested in Node.

export const MAX_WATCHLIST = 100

const NONE: readonly MarketRef[] = Object.freeze([])

/**
 * The pinned markets in the user's order (none in a layout saved before pinning existed). The same array
 * for the same layout: screens select it from the store, and a new [] on every read would re-render forever.
 */
export const pinnedMarkets = (layout: WorkspaceLayout): readonly MarketRef[] => layout.watchlistMarkets ?? NONE

export const isPinned = (layout: WorkspaceLayout, market: MarketRef): boolean => pinnedMarkets(layout).some((m) => sameMarket(m, market))

const withPinned = (layout: WorkspaceLayout, markets: MarketRef[]): WorkspaceLayout => ({
  ...layout,
  watchlistMarkets: markets.map((m) => ({ venueId: m.venueId, symbol: m.symbol })),
})

/** Pins `market` at the end, or unpins it. `full`: the list is at its limit and the market is not on it (nothing changes). */
export function togglePinned(layout: WorkspaceLayout, market: MarketRef): { layout: WorkspaceLayout; pinned: boolean; full: boolean } {
  const pinned = pinnedMarkets(layout)
  if (pinned.some((m) => sameMarket(m, market))) return { layout: withPinned(layout, pinned.filter((m) => !sameMarket(m, market))), pinned: false, full: false }
  if (pinned.length >= MAX_WATCHLIST) return { layout, pinned: false, full: true }
  return { layout: withPinned(layout, [...pinned, market]), pinned: true, full: false }
}

/** The pinned markets first (in the watchlist's order), then the others as they came. */
export function pinnedFirst<T extends MarketRef>(rows: readonly T[], pinned: readonly MarketRef[]): T[] {
  const rank = (m: MarketRef) => pinned.findIndex((p) => sameMarket(p, m))
  const first = rows.filter((m) => rank(m) >= 0).sort((a, b) => rank(a) - rank(b))
  return [...first, ...rows.filter((m) => rank(m) < 0)]
}

/** Moves a pinned market one place up (-1) or down (+1); at either end, or not pinned: unchanged. */
export function movePinned(layout: WorkspaceLayout, market: MarketRef, by: 1 | -1): WorkspaceLayout {
  const pinned = [...pinnedMarkets(layout)]
  const at = pinned.findIndex((m) => sameMarket(m, market))
  const to = at + by
  if (at < 0 || to < 0 || to >= pinned.length) return layout
  ;[pinned[at], pinned[to]] = [pinned[to]!, pinned[at]!]
  return withPinned(layout, pinned)
}

import { useMarketFacts, useMarketList, type MarketMiss } from './feeds'
import { useVenues } from '../markets/venuesStore'
import { marketKey } from '../markets/ticks'
import type { MarketRef } from '../workspace/layout'

// Whether a market a saved view names can still be traded and watched: a layout keeps a view on a venue
// since removed (or a market it dropped), and such a view must not pass for the live market of the same
// symbol on another venue.

interface Sources {
  rows: readonly MarketRef[]
  known: Readonly<Record<string, unknown>>
  missing: Readonly<Record<string, MarketMiss>>
  venuesReady: boolean
  venueIds: readonly string[]
  former: Readonly<Record<string, string>>
}

/**
 * Why `market` is not available (its venue is gone, or the venue said it has no such market), or null when
 * it is or nothing definite is known yet: a venue still loading its markets, or failing to for now, is not
 * taken for one without the market.
 */
export function unavailableReason(market: MarketRef, s: Sources): string | null {
  const key = marketKey(market)
  if (s.rows.some((r) => r.venueId === market.venueId && r.symbol === market.symbol) || key in s.known) return null
  if (s.venuesReady && !s.venueIds.includes(market.venueId)) {
    const former = s.former[market.venueId]
    return former !== undefined ? `${former} was removed` : `there is no venue "${market.venueId}"`
  }
  const miss = s.missing[key]
  return miss?.definite === true ? miss.why : null
}

/** A venue's name for a market's label: its current one, or the one it had when removed; else its id. */
export function marketVenueLabel(venueId: string): string {
  const venues = useVenues.getState()
  return venues.venues.find((v) => v.id === venueId)?.label ?? venues.former[venueId] ?? venueId
}

/** marketVenueLabel for a component (follows renames and removals). */
export const useMarketVenueLabel = (venueId: string): string => useVenues(() => marketVenueLabel(venueId))

const sourcesNow = (): Sources => {
  const venues = useVenues.getState()
  const facts = useMarketFacts.getState()
  return {
    rows: useMarketList.getState().rows,
    known: facts.byKey,
    missing: facts.missing,
    venuesReady: venues.status === 'ready',
    venueIds: venues.venues.map((v) => v.id),
    former: venues.former,
  }
}

/** unavailableReason with the stores as they are now (for an action). */
export const marketUnavailable = (market: MarketRef): string | null => unavailableReason(market, sourcesNow())

/** unavailableReason for a component: re-renders when the answer changes in any of the stores it reads. */
export function useMarketUnavailable(market: MarketRef): string | null {
  useMarketList(() => marketUnavailable(market))
  useMarketFacts(() => marketUnavailable(market))
  return useVenues(() => marketUnavailable(market))
}

export interface MarketOption {
  key: string
  venueId: string
  symbol: string
  label: string
}

/**
 * A view header's market picker: the markets listed, and the view's own first when the list does not have
 * it — labelled with its venue's name (and "(not available)" when it is gone), never like a listed market's entry.
 */
export function marketPickerOptions(
  rows: readonly (MarketRef & { venueLabel: string })[],
  view: MarketRef,
  unavailable: string | null,
  venueLabel: string,
): MarketOption[] {
  const manyVenues = new Set(rows.map((r) => r.venueId)).size > 1
  const list = rows.map((r) => ({ key: marketKey(r), venueId: r.venueId, symbol: r.symbol, label: manyVenues ? `${r.symbol} · ${r.venueLabel}` : r.symbol }))
  const current = marketKey(view)
  if (!list.some((o) => o.key === current)) {
    list.unshift({ key: current, venueId: view.venueId, symbol: view.symbol, label: `${view.symbol} · ${venueLabel}${unavailable === null ? '' : ' (not available)'}` })
  }
  return list
}

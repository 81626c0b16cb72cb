import { create } from 'zustand'
import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'

// What the market browser is asked (query, venue filter) and which row is selected. Kept outside the page
// so it survives switching pages and the palette's actions can set it.

interface BrowserState {
  query: string
  venueId: string
  selected: string | null
  setQuery(query: string): void
  setVenue(venueId: string): void
  select(key: string | null): void
}

export const useMarketBrowser = create<BrowserState>()((set) => ({
  query: '',
  venueId: '',
  selected: null,
  setQuery: (query) => set({ query }),
  setVenue: (venueId) => set({ venueId }),
  select: (selected) => set({ selected }),
}))

export const MARKET_SEARCH_ID = 'markets-search'
export const MARKET_VENUE_ID = 'markets-venue'
export const MARKET_TABLE_ID = 'markets-table'

function showAndFocus(id: string, select = false): void {
  flushSync(() => {
    if (useRoute.getState().page !== 'markets') navigate('markets')
  })
  const el = document.getElementById(id)
  el?.focus()
  if (select && el instanceof HTMLInputElement) el.select()
}

export function marketActions(): Action[] {
  return [
    {
      id: 'markets.search',
      title: 'Search markets',
      section: 'Markets',
      keys: ['/', 'Mod+F'],
      run: () => showAndFocus(MARKET_SEARCH_ID, true),
    },
    {
      id: 'markets.venue',
      title: 'Filter markets by venue',
      section: 'Markets',
      run: () => showAndFocus(MARKET_VENUE_ID),
    },
    {
      id: 'markets.results',
      title: 'Focus market results',
      section: 'Markets',
      run: () => showAndFocus(MARKET_TABLE_ID),
    },
  ]
}

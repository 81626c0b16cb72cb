import { create } from 'zustand'
import type { MarketRef } from '../workspace/layout'
import { useTicketMarket } from '../trading/ticketMarket'

// The price picked from a ladder (click or Enter on a level) and the market it was picked on. The order
// order ticket beside the views is moved to that market and given the price. Screen state only.

interface SelectionState {
  /** The market whose ladder the price came from; null before anything was picked. */
  selectedMarket: MarketRef | null
  /** As shown on the ladder, without thousands separators; '' when nothing is picked. */
  selectedPrice: string
  selectPrice(market: MarketRef, price: string): void
  setSelectedPrice(price: string): void
  clear(): void
}

export const useSelection = create<SelectionState>()((set) => ({
  selectedMarket: null,
  selectedPrice: '',
  selectPrice: (market, price) => {
    set({ selectedMarket: { venueId: market.venueId, symbol: market.symbol }, selectedPrice: price })
    const ticket = useTicketMarket.getState()
    ticket.setMarket(market.venueId, market.symbol)
    ticket.setPrice(price)
  },
  setSelectedPrice: (selectedPrice) => set({ selectedPrice }),
  clear: () => set({ selectedMarket: null, selectedPrice: '' }),
}))

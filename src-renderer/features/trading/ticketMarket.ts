import { create } from 'zustand'
import { cleanNumber } from './ticketForm'

// The order ticket's market and limit price. Other views set them: a market picker or the workspace calls
// setMarket, a click on an order book level calls setPrice (a price picked while the ticket is on a market
// order turns it into a limit order, see ticketStore). Screen state only.

interface TicketMarketState {
  venueId: string | null
  symbol: string | null
  /** The limit price as typed or picked, without thousands separators; '' when none. */
  price: string
  /** Shows this market on the ticket; a price picked on another market is dropped. */
  setMarket(venueId: string, symbol: string): void
  setPrice(price: string): void
}

type PriceListener = (price: string) => void
const priceListeners = new Set<PriceListener>()

/** Called when a price is set from outside the ticket's own field (ticketStore switches market → limit). */
export function onPricePicked(listener: PriceListener): () => void {
  priceListeners.add(listener)
  return () => priceListeners.delete(listener)
}

export const useTicketMarket = create<TicketMarketState>()((set, get) => ({
  venueId: null,
  symbol: null,
  price: '',
  setMarket(venueId, symbol) {
    const s = get()
    if (s.venueId === venueId && s.symbol === symbol) return
    set({ venueId, symbol, price: '' })
  },
  setPrice(price) {
    const clean = cleanNumber(price)
    set({ price: clean })
    for (const listener of priceListeners) listener(clean)
  },
}))

/** The ticket's market, or null before one is chosen. */
export function ticketMarket(): { venueId: string; symbol: string } | null {
  const { venueId, symbol } = useTicketMarket.getState()
  return venueId && symbol ? { venueId, symbol } : null
}

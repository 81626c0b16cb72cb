import { create } from 'zustand'
import { navigate } from '../../app/router'
import type { GroupMultiple } from './book'
import type { MarketTimeframe } from '../../../src-main/api/contract'

// Which market the Trade page shows, and the page's small choices (grouping, timeframe, ticket price).
// Screen state only: the market picked last is remembered in localStorage so a reload shows it again.

export interface MarketRef {
  venueId: string
  symbol: string
}

interface TradeState {
  market: MarketRef | null
  group: GroupMultiple
  timeframe: MarketTimeframe
  /** The price picked from the ladder, as shown there; the order ticket will read it. */
  ticketPrice: string
  setMarket(market: MarketRef): void
  setGroup(group: GroupMultiple): void
  setTimeframe(timeframe: MarketTimeframe): void
  setTicketPrice(price: string): void
}

const STORAGE_KEY = 'trade.market'

function remembered(): MarketRef | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    if (!raw) return null
    const v = JSON.parse(raw) as Partial<MarketRef>
    return typeof v.venueId === 'string' && typeof v.symbol === 'string' ? { venueId: v.venueId, symbol: v.symbol } : null
  } catch {
    return null
  }
}

export const useTrade = create<TradeState>()((set, get) => ({
  market: remembered(),
  group: 1,
  timeframe: '1m',
  ticketPrice: '',
  setMarket(market) {
    const current = get().market
    if (current && current.venueId === market.venueId && current.symbol === market.symbol) return
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(market))
    } catch {
      // Storage full or off: the choice just is not remembered.
    }
    // A new market starts ungrouped (ticks differ between markets) with an empty ticket.
    set({ market, group: 1, ticketPrice: '' })
  },
  setGroup: (group) => set({ group }),
  setTimeframe: (timeframe) => set({ timeframe }),
  setTicketPrice: (ticketPrice) => set({ ticketPrice }),
}))

export const TRADE_PAGE = 'trade'

/** Shows a market on the Trade page. */
export function openMarket(market: MarketRef): void {
  useTrade.getState().setMarket(market)
  navigate(TRADE_PAGE)
}

export const sameMarket = (a: MarketRef | null, b: MarketRef | null) =>
  !!a && !!b && a.venueId === b.venueId && a.symbol === b.symbol

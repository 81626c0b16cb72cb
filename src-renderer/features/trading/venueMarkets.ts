import { useEffect, useMemo } from 'react'
import { create } from 'zustand'
import { api } from '../../api'
import { messageOf } from './ordersStore'
import { formatAtStep, formatAvgPrice, formatDecimal } from '../../ui/decimal'
import type { MarketView } from '../../../src-main/api/contract'

// The markets of one venue (symbols, base and quote, tick and step) for the ticket's market picker and
// its labels, asked for once per venue when first needed.

interface VenueMarketsState {
  byVenue: Record<string, { rows: MarketView[]; error: string | null; loaded: boolean }>
}

const useVenueMarketsStore = create<VenueMarketsState>()(() => ({ byVenue: {} }))
const asked = new Set<string>()

async function fetchMarkets(venueId: string): Promise<void> {
  try {
    const rows = await api.invoke('markets.search', { venueId, limit: 500 })
    useVenueMarketsStore.setState((s) => ({ byVenue: { ...s.byVenue, [venueId]: { rows, error: null, loaded: true } } }))
  } catch (err) {
    asked.delete(venueId)
    useVenueMarketsStore.setState((s) => ({ byVenue: { ...s.byVenue, [venueId]: { rows: [], error: messageOf(err), loaded: true } } }))
  }
}

const EMPTY = { rows: [] as MarketView[], error: null, loaded: false }

/** Asks for the venue's markets unless they are here or being asked for. */
export function loadVenueMarkets(venueId: string): void {
  if (asked.has(venueId)) return
  asked.add(venueId)
  void fetchMarkets(venueId)
}

/** The venue's markets as known now (outside React). */
export function venueMarketsOf(venueId: string): { rows: MarketView[]; error: string | null; loaded: boolean } {
  return useVenueMarketsStore.getState().byVenue[venueId] ?? EMPTY
}

/** Called whenever a venue's markets arrive. */
export function onVenueMarkets(listener: () => void): () => void {
  return useVenueMarketsStore.subscribe(listener)
}

/** The market of `rows` the text names: BTC/USDT or BTCUSDT, any case. */
export function matchSymbol(rows: readonly MarketView[], text: string): MarketView | undefined {
  const wanted = text.trim().toUpperCase()
  return rows.find((m) => m.symbol.toUpperCase() === wanted || `${m.base}${m.quote}` === wanted)
}

/** The venue's markets (empty until they arrived). */
export function useVenueMarkets(venueId: string | null): { rows: MarketView[]; error: string | null; loaded: boolean } {
  useEffect(() => {
    if (venueId) loadVenueMarkets(venueId)
  }, [venueId])
  return useVenueMarketsStore((s) => (venueId ? (s.byVenue[venueId] ?? EMPTY) : EMPTY))
}

/** One market's facts, or null while unknown. */
export function useMarketFacts(venueId: string | null, symbol: string | null): MarketView | null {
  const { rows } = useVenueMarkets(venueId)
  return (symbol && rows.find((m) => m.symbol === symbol)) || null
}

export interface MarketFormat {
  /** A price at its market's tick ('95,000.10'), or exactly as sent while the market is unknown. */
  price(venueId: string, symbol: string, value: string): string
  /** An average fill price: the market's tick decimals plus two (formatAvgPrice). */
  avgPrice(venueId: string, symbol: string, value: string): string
  /** An amount at its market's step. */
  amount(venueId: string, symbol: string, value: string): string
  /** The market's tick size, or null while the market is unknown. */
  tick(venueId: string, symbol: string): string | null
}

/** Formats prices and amounts of any market at its tick and step (the venues' markets are asked for once). */
export function useMarketFormat(venueIds: readonly string[]): MarketFormat {
  const key = [...new Set(venueIds)].sort().join('\n')
  useEffect(() => {
    for (const venueId of key ? key.split('\n') : []) {
      if (asked.has(venueId)) continue
      asked.add(venueId)
      void fetchMarkets(venueId)
    }
  }, [key])
  const byVenue = useVenueMarketsStore((s) => s.byVenue)
  // One object while the markets stay the same (memoised rows keep their props), symbols looked up in a map:
  // a table of many orders on a venue with hundreds of markets formats three figures per row.
  return useMemo(() => {
    const find = (venueId: string, symbol: string) => {
      const rows = byVenue[venueId]?.rows
      return rows === undefined ? undefined : symbolIndex(rows).get(symbol)
    }
    return {
      price: (venueId, symbol, value) => {
        const m = find(venueId, symbol)
        return m ? formatAtStep(value, m.tickSize) : formatDecimal(value)
      },
      avgPrice: (venueId, symbol, value) => formatAvgPrice(value, find(venueId, symbol)?.tickSize ?? null),
      amount: (venueId, symbol, value) => {
        const m = find(venueId, symbol)
        return m ? formatAtStep(value, m.stepSize) : formatDecimal(value)
      },
      tick: (venueId, symbol) => find(venueId, symbol)?.tickSize ?? null,
    }
  }, [byVenue])
}

const indexes = new WeakMap<MarketView[], Map<string, MarketView>>()

function symbolIndex(rows: MarketView[]): Map<string, MarketView> {
  let index = indexes.get(rows)
  if (index === undefined) {
    index = new Map(rows.map((m) => [m.symbol, m]))
    indexes.set(rows, index)
  }
  return index
}

import { useEffect } from 'react'
import { create } from 'zustand'
import { api } from '../../api'
import { usePoll } from '../../ui/usePoll'
import { changedPrices, type Level } from './book'
import type { MarketRef } from '../workspace/layout'
import { useKeyed } from './useKeyed'
import type { BookFrameView, MarketView } from '../../../src-main/api/contract'

// The Trade page's feeds: the market list (watchlist, market pickers, each view's tick and step), polled
// by the page, and each ladder's or depth chart's own order book stream, open while the view is.

const MARKETS_MS = 2000

interface MarketList {
  rows: MarketView[]
  error: string | null
  loaded: boolean
}

export const useMarketList = create<MarketList>()(() => ({ rows: [], error: null, loaded: false }))

/** Polls markets.search every 2 s while mounted (the watchlist and the current market's facts). */
export function useMarketListPoll(): void {
  usePoll(async (alive) => {
    try {
      const rows = await api.invoke('markets.search', { query: '', limit: 500 })
      if (alive()) useMarketList.setState({ rows, error: null, loaded: true })
    } catch (err) {
      if (alive()) useMarketList.setState({ error: err instanceof Error ? err.message : String(err), loaded: true })
    }
  }, MARKETS_MS)
}

export function useMarketInfo(market: MarketRef | null): MarketView | null {
  return useMarketList(
    (s) => (market && s.rows.find((m) => m.venueId === market.venueId && m.symbol === market.symbol)) || null,
  )
}

export interface BookState {
  frame: BookFrameView | null
  error: string | null
  /** Per side, per price: how many times the level changed (its parity restarts the flash animation). */
  flips: { bids: Map<number, number>; asks: Map<number, number> }
}

const EMPTY_BOOK: BookState = { frame: null, error: null, flips: { bids: new Map(), asks: new Map() } }

function flip(flips: Map<number, number>, previous: readonly Level[] | null, next: readonly Level[]): Map<number, number> {
  const changed = changedPrices(previous, next)
  const out = new Map<number, number>()
  for (const [price] of next) {
    const n = flips.get(price) ?? 0
    out.set(price, changed.has(price) ? n + 1 : n)
  }
  return out
}

/**
 * One view's market.book subscription (market, grouping, levels per side); frames are applied at most once
 * per animation frame (the engine already coalesces to ≤ 60/s). Unsubscribes on change and unmount.
 */
export function useBookFeed(market: MarketRef | null, group: string | undefined, depth: number): BookState {
  const venueId = market?.venueId
  const symbol = market?.symbol
  const [book, setBook] = useKeyed<BookState>(`${venueId}|${symbol}|${group ?? ''}|${depth}`, EMPTY_BOOK)
  useEffect(() => {
    if (!venueId || !symbol) return
    let pending: BookFrameView | null = null
    let raf = 0
    let closed = false
    const apply = () => {
      raf = 0
      if (closed || !pending) return
      const next = pending
      pending = null
      setBook((prev) => ({
        frame: next,
        error: null,
        flips: {
          bids: flip(prev.flips.bids, prev.frame?.bids ?? null, next.bids),
          asks: flip(prev.flips.asks, prev.frame?.asks ?? null, next.asks),
        },
      }))
    }
    const off = api.subscribe(
      'market.book',
      { venueId, symbol, depth, ...(group ? { group } : {}) },
      (frame) => {
        pending = frame
        if (!raf) raf = requestAnimationFrame(apply)
      },
      (err) => {
        if (!closed) setBook((prev) => ({ ...prev, error: err.message }))
      },
    )
    return () => {
      closed = true
      if (raf) cancelAnimationFrame(raf)
      off()
    }
  }, [venueId, symbol, group, depth, setBook])
  return book
}

import { useEffect } from 'react'
import { api } from '../../api'
import { viewClock } from './feeds'
import { useKeyed } from './useKeyed'
import type { MarketRef } from '../workspace/layout'
import type { TickerFrame } from '../../../src-main/api/contract'

// One market's live ticker for a screen: the market bar and the watchlist's pinned rows.

const NO_TICKER: TickerFrame | null = null

/** The market's ticker (market.ticker stream), applied at the views' frame pace; null until the first frame. */
export function useTicker(market: MarketRef | null): TickerFrame | null {
  const venueId = market?.venueId
  const symbol = market?.symbol
  const [ticker, setTicker] = useKeyed<TickerFrame | null>(`${venueId}|${symbol}`, NO_TICKER)
  useEffect(() => {
    if (!venueId || !symbol) return
    let closed = false
    const owner = {}
    let cancel = () => {}
    const off = api.subscribe(
      'market.ticker',
      { venueId, symbol },
      (t) => {
        if (!closed) cancel = viewClock.schedule(owner, () => !closed && setTicker(() => t))
      },
      () => undefined,
    )
    return () => {
      closed = true
      cancel()
      off()
    }
  }, [venueId, symbol, setTicker])
  return ticker
}

import { useEffect, useState } from 'react'
import { api } from '../../api'
import { baseOf, positionOn, samePosition, type MarketPosition } from './marketPosition'

/** The position of a view's account in its market's base asset, live from portfolio.live (the view at once, then ≤ 4/s). */
export function useMarketPosition(venueId: string, symbol: string): { reading: MarketPosition | null; error: string | null } {
  const [state, setState] = useState<{ key: string; reading: MarketPosition | null; error: string | null }>({ key: '', reading: null, error: null })
  const key = `${venueId}|${symbol}`
  useEffect(() => {
    const asset = baseOf(symbol)
    const off = api.subscribe(
      'portfolio.live',
      { account: venueId, period: '24h' },
      (view) => {
        const reading = positionOn(view, asset)
        setState((s) => (s.key === key && s.error === null && samePosition(s.reading, reading) ? s : { key, reading, error: null }))
      },
      (err) => setState({ key, reading: null, error: err.message }),
    )
    return off
  }, [venueId, symbol, key])
  // A reading of the previous market is not shown for this one.
  return state.key === key ? { reading: state.reading, error: state.error } : { reading: null, error: null }
}

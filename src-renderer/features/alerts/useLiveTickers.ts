import { useEffect, useState } from 'react'
import { api } from '../../api'
import type { TickerFrame } from '../../../src-main/api/contract'

// The live tickers of a few markets (the ones the active alerts watch), keyed `${venueId}|${symbol}`.
// `keys` is one string (markets joined by '\n') so the subscriptions change only when the set does.

export const tickerKey = (venueId: string, symbol: string) => `${venueId}|${symbol}`

export function useLiveTickers(keys: string): ReadonlyMap<string, TickerFrame> {
  const [frames, setFrames] = useState<ReadonlyMap<string, TickerFrame>>(new Map())
  useEffect(() => {
    if (keys === '') return
    const offs = keys.split('\n').map((key) => {
      const [venueId, symbol] = key.split('|') as [string, string]
      return api.subscribe('market.ticker', { venueId, symbol }, (t) => setFrames((m) => new Map(m).set(key, t)), () => undefined)
    })
    return () => offs.forEach((off) => off())
  }, [keys])
  return frames
}

import { useEffect, useState } from 'react'
import { api } from '../../api'
import { baseOf, positionOn, samePosition, type MarketPosition } from './marketPosition'
import type { PortfolioView } from '../portfolio/portfolioModel'

type Reading = { view: PortfolioView } | { error: string }

interface AccountFeed {
  listeners: Set<(r: Reading) => void>
  last: Reading | null
  stop: () => void
}

// One portfolio.live subscription per ledger account, shared by every view that shows a position on it (the
// chart's position line and the My orders view on the same market): the engine values the account once per
// update, not once per view.
const feeds = new Map<string, AccountFeed>()

function followAccount(account: string, listener: (r: Reading) => void): () => void {
  let feed = feeds.get(account)
  if (feed === undefined) {
    const f: AccountFeed = { listeners: new Set(), last: null, stop: () => undefined }
    const deliver = (r: Reading) => {
      f.last = r
      for (const l of [...f.listeners]) l(r)
    }
    f.stop = api.subscribe('portfolio.live', { account, period: '24h' }, (view) => deliver({ view }), (err) => deliver({ error: err.message }))
    feeds.set(account, f)
    feed = f
  }
  const f = feed
  f.listeners.add(listener)
  if (f.last !== null) listener(f.last)
  return () => {
    f.listeners.delete(listener)
    if (f.listeners.size === 0) {
      f.stop()
      feeds.delete(account)
    }
  }
}

/** The position of a view's account in its market's base asset, live from portfolio.live (the view at once, then ≤ 4/s). */
export function useMarketPosition(venueId: string, symbol: string): { reading: MarketPosition | null; error: string | null } {
  const [state, setState] = useState<{ key: string; reading: MarketPosition | null; error: string | null }>({ key: '', reading: null, error: null })
  const key = `${venueId}|${symbol}`
  useEffect(() => {
    const asset = baseOf(symbol)
    return followAccount(venueId, (r) => {
      if ('error' in r) {
        setState({ key, reading: null, error: r.error })
        return
      }
      const reading = positionOn(r.view, asset)
      setState((s) => (s.key === key && s.error === null && samePosition(s.reading, reading) ? s : { key, reading, error: null }))
    })
  }, [venueId, symbol, key])
  // A reading of the previous market is not shown for this one.
  return state.key === key ? { reading: state.reading, error: state.error } : { reading: null, error: null }
}

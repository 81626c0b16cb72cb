import { useEffect, useState } from 'react'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { ReportedBalances } from '../trading/available'
import type { VenueBalances } from '../../../src-main/api/contract'

/**
 * One venue's balances: asked of that venue alone (balances.venue), then followed on balances.changed
 * (paper accounts as they trade, exchange accounts after their fills) and asked again after a reconnect.
 * A reply older than what is held is ignored (a push can overtake it). null until the first answer.
 */
export function useVenueBalances(venueId: string): ReportedBalances | null {
  const [held, setHeld] = useState<{ venueId: string; at: number; value: ReportedBalances } | null>(null)
  useEffect(() => {
    let live = true
    const take = (b: VenueBalances) => {
      if (!live || b.venueId !== venueId) return
      setHeld((h) => (h !== null && h.venueId === venueId && h.at > b.updatedAt ? h : { venueId, at: b.updatedAt, value: b }))
    }
    const ask = () =>
      api.invoke('balances.venue', { venueId }).then(take, (err: unknown) => {
        if (live) setHeld({ venueId, at: 0, value: { balances: [], error: err instanceof Error ? err.message : String(err) } })
      })
    const off = api.subscribe('balances.changed', {}, take, () => undefined)
    const offReconnect = onReconnect(() => void ask())
    void ask()
    return () => {
      live = false
      off()
      offReconnect()
    }
  }, [venueId])
  return held !== null && held.venueId === venueId ? held.value : null
}

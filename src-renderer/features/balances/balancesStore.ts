import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { BalancesView, VenueBalances } from '../../../src-main/api/contract'

export type { BalancesView, VenueBalances }

// Balances per venue and in total, as the engine values them. One venue's balances arrive live on
// balances.changed (the paper account while it trades). While the Balances page is shown, the whole view,
// totals included, is asked for every few seconds and soon after such a change, so the totals never lag
// far behind the rows. The workspace's paper panel needs only the stream: it does not make the engine ask
// every exchange account for its balances every few seconds.

const REFRESH_MS = 3000
const AFTER_CHANGE_MS = 400

interface BalancesState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  view: BalancesView | null
  load(): Promise<void>
  received(venue: VenueBalances): void
}

let pendingReload: ReturnType<typeof setTimeout> | undefined

export const useBalances = create<BalancesState>()((set, get) => ({
  status: 'loading',
  error: null,
  view: null,
  async load() {
    try {
      set({ view: await api.invoke('balances.list', {}), status: 'ready', error: null })
    } catch (err) {
      set((s) => ({ status: s.view ? s.status : 'error', error: err instanceof Error ? err.message : String(err) }))
    }
  },
  received(venue) {
    set((s) => {
      if (!s.view) return {}
      const known = s.view.venues.some((v) => v.venueId === venue.venueId)
      const venues = known
        ? s.view.venues.map((v) => (v.venueId === venue.venueId ? venue : v))
        : [...s.view.venues, venue]
      return { view: { ...s.view, venues } }
    })
    // The totals are the engine's to add up: ask for them again shortly (once per burst of changes).
    if (pollers > 0 && !pendingReload) {
      pendingReload = setTimeout(() => {
        pendingReload = undefined
        void get().load()
      }, AFTER_CHANGE_MS)
    }
  },
}))

let followers = 0
let pollers = 0
let stopFollowing: (() => void) | undefined
let stopPolling: (() => void) | undefined

/**
 * Follows the balances (the stream, and a reload after a reconnect) while at least one view shows them;
 * with `poll`, also asks for the whole view every few seconds. Reference-counted; returns the caller's stop.
 */
export function startBalancesSync(options: { poll?: boolean } = {}): () => void {
  const poll = options.poll === true
  const { load, received } = useBalances.getState()
  if (followers++ === 0) {
    const off = api.subscribe('balances.changed', {}, received, (err) =>
      useBalances.setState({ error: `balances stream refused: ${err.message}` }),
    )
    const offReconnect = onReconnect(() => void load())
    stopFollowing = () => {
      off()
      offReconnect()
    }
  }
  if (poll && pollers++ === 0) {
    let running = false
    const timer = setInterval(() => {
      if (running || document.visibilityState !== 'visible') return
      running = true
      void load().finally(() => (running = false))
    }, REFRESH_MS)
    stopPolling = () => clearInterval(timer)
  }
  void load()
  return () => {
    if (poll && --pollers === 0) {
      stopPolling?.()
      stopPolling = undefined
    }
    if (--followers === 0) {
      stopFollowing?.()
      stopFollowing = undefined
    }
  }
}

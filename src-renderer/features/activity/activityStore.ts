import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { ActivityEntry } from '../../../src-main/api/contract'

export type { ActivityEntry }

const RECENT = 200
const KEEP = 1000

// The activity feed: the recent history plus every entry the engine records while we watch,
// oldest first, without duplicates (the stream and the history can overlap by a few entries). Older
// entries are fetched a page at a time on request (activity.recent's `before` cursor).
interface ActivityState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  entries: ActivityEntry[]
  /** Whether the engine may hold entries older than the oldest shown. */
  hasOlder: boolean
  loadingOlder: boolean
  merge(entries: readonly ActivityEntry[]): void
  loadOlder(): Promise<void>
}

function byIdSorted(a: readonly ActivityEntry[], b: readonly ActivityEntry[]): ActivityEntry[] {
  const byId = new Map(a.map((e) => [e.id, e]))
  for (const e of b) byId.set(e.id, e)
  return [...byId.values()].sort((x, y) => x.id - y.id)
}

export const useActivity = create<ActivityState>()((set, get) => ({
  status: 'loading',
  error: null,
  entries: [],
  hasOlder: false,
  loadingOlder: false,
  merge(incoming) {
    set((s) => {
      const all = byIdSorted(s.entries, incoming)
      // New entries push the oldest out past KEEP (they can be fetched again with "load older").
      const entries = all.length > Math.max(KEEP, s.entries.length) ? all.slice(-Math.max(KEEP, s.entries.length)) : all
      return { entries, hasOlder: s.hasOlder || entries.length < all.length }
    })
  },
  async loadOlder() {
    const oldest = get().entries[0]
    if (oldest === undefined || get().loadingOlder) return
    set({ loadingOlder: true })
    try {
      const older = await api.invoke('activity.recent', { limit: RECENT, before: oldest.id })
      set((s) => ({ entries: byIdSorted(older, s.entries), hasOlder: older.length === RECENT, error: null }))
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) })
    } finally {
      set({ loadingOlder: false })
    }
  },
}))

async function loadRecent(): Promise<void> {
  try {
    const recent = await api.invoke('activity.recent', { limit: RECENT })
    const first = useActivity.getState().entries.length === 0
    useActivity.getState().merge(recent)
    useActivity.setState((s) => ({ status: 'ready', error: null, hasOlder: first ? recent.length === RECENT : s.hasOlder }))
  } catch (err) {
    useActivity.setState({ status: 'error', error: err instanceof Error ? err.message : String(err) })
  }
}

/** Opens the stream first, then fetches history, so nothing recorded in between is missed. */
export function startActivitySync(): () => void {
  const { merge } = useActivity.getState()
  const unsubscribe = api.subscribe(
    'activity.recorded',
    {},
    (entry) => merge([entry]),
    (err) => useActivity.setState({ status: 'error', error: err.message }),
  )
  void loadRecent()
  const stopReconnect = onReconnect(() => void loadRecent())
  return () => {
    unsubscribe()
    stopReconnect()
  }
}

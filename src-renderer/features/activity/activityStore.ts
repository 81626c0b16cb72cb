import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { ActivityEntry } from '../../../src-main/api/contract'

export type { ActivityEntry }

const RECENT = 200
const KEEP = 1000

// The activity feed: the recent history plus every entry the engine records while we watch,
// oldest first, without duplicates (the stream and the history can overlap by a few entries).
interface ActivityState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  entries: ActivityEntry[]
  merge(entries: readonly ActivityEntry[]): void
}

export const useActivity = create<ActivityState>()((set) => ({
  status: 'loading',
  error: null,
  entries: [],
  merge(incoming) {
    set((s) => {
      const byId = new Map(s.entries.map((e) => [e.id, e]))
      for (const e of incoming) byId.set(e.id, e)
      const entries = [...byId.values()].sort((a, b) => a.id - b.id).slice(-KEEP)
      return { entries }
    })
  },
}))

async function loadRecent(): Promise<void> {
  try {
    const recent = await api.invoke('activity.recent', { limit: RECENT })
    useActivity.getState().merge(recent)
    useActivity.setState({ status: 'ready', error: null })
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

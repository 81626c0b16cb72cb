import { create } from 'zustand'
import { api, ApiError } from '../../api'
import { createSaver } from './saver'
import type { WorkspaceLayout } from '../../../src-main/api/contract'
import type { Recovered } from './recovered'

// The Trade page's layout as the engine keeps it (workspace.get / workspace.save, one row in SQLite).
// Loaded once, when first wanted; every change is applied here at once and saved 500 ms after the last
// one. Changes asked for before the layout has loaded (a market opened from the Markets page) wait for it.
// Another window may save the layout too: each save says which version it was made from (savedAt), and
// when the engine refuses it as changed elsewhere, the stored layout is loaded again and this window's
// unsaved changes are applied to it and saved, so both windows' changes are kept. A window with nothing of
// its own to save loads a layout saved elsewhere as it is told of it (workspace.changed).

export const LAYOUT_NAME = 'default'
export const SAVE_DELAY_MS = 500

type Change = (layout: WorkspaceLayout) => WorkspaceLayout

interface WorkspaceState {
  status: 'idle' | 'loading' | 'ready' | 'error'
  layout: WorkspaceLayout | null
  loadError: string | null
  /** Why the last save was refused or failed; null once a save succeeds. */
  saveError: string | null
  savedAt: number | null
  /** The stored layout did not validate and this is what still read of it; null once dismissed. */
  recovered: Recovered | null
}

export const useWorkspace = create<WorkspaceState>()(() => ({
  status: 'idle',
  layout: null,
  loadError: null,
  saveError: null,
  savedAt: null,
  recovered: null,
}))

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** How many times a save refused as changed elsewhere is re-applied to the stored layout before giving up. */
const CONFLICT_RETRIES = 3

/** Changes shown here and not saved yet (the layout is the stored one, as last read, with these applied). */
let unsaved: Change[] = []

// The saver only says when to save: what is sent is the layout as it is then (after a reload it is the
// stored one with the unsaved changes applied, not the value the change was scheduled with).
const saver = createSaver<null>({
  delayMs: SAVE_DELAY_MS,
  save: saveNow,
  onError: (err) => useWorkspace.setState({ saveError: message(err) }),
})

async function saveNow(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { layout, savedAt } = useWorkspace.getState()
    if (layout === null) return
    const sending = unsaved.length
    try {
      const saved = await api.invoke('workspace.save', { name: LAYOUT_NAME, layout, expectedSavedAt: savedAt })
      unsaved = unsaved.slice(sending)
      useWorkspace.setState({ saveError: null, savedAt: saved.savedAt })
      return
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'CONFLICT') || attempt >= CONFLICT_RETRIES) throw err
      const stored = await api.invoke('workspace.get', { name: LAYOUT_NAME })
      let next = stored.layout
      for (const change of unsaved) next = change(next)
      useWorkspace.setState({ layout: next, savedAt: stored.savedAt })
    }
  }
}

let queued: Change[] = []
let loading: Promise<void> | null = null
let unloadHook = false
let following = false

/** Another window saved: shown here unless this window has changes of its own on the way (they merge on save). */
async function savedElsewhere(e: { name: string; savedAt: number }): Promise<void> {
  const quiet = () => unsaved.length === 0 && !saver.busy() && useWorkspace.getState().status === 'ready'
  if (e.name !== LAYOUT_NAME || e.savedAt === useWorkspace.getState().savedAt || !quiet()) return
  const stored = await api.invoke('workspace.get', { name: LAYOUT_NAME })
  // This window may have saved something newer while the layout was fetched: never go back to an older one.
  if (quiet() && stored.savedAt !== null && stored.savedAt > (useWorkspace.getState().savedAt ?? 0)) useWorkspace.setState({ layout: stored.layout, savedAt: stored.savedAt, recovered: stored.recovered ?? null })
}

/** Loads the saved layout unless it is loaded (or loading: the same promise); a failed load can be retried. */
export function loadWorkspace(): Promise<void> {
  if (useWorkspace.getState().status === 'ready') return Promise.resolve()
  if (loading) return loading
  if (!unloadHook) {
    unloadHook = true
    // A change still waiting for its debounce is sent before the page goes (reload, window closed).
    window.addEventListener('pagehide', () => void saver.flush())
  }
  if (!following) {
    following = true
    api.subscribe('workspace.changed', {}, (e) => void savedElsewhere(e).catch(() => undefined))
  }
  useWorkspace.setState({ status: 'loading', loadError: null })
  loading = api
    .invoke('workspace.get', { name: LAYOUT_NAME })
    .then((saved) => {
      let layout = saved.layout
      const pending = queued
      queued = []
      for (const change of pending) layout = change(layout)
      unsaved = pending
      useWorkspace.setState({ status: 'ready', layout, savedAt: saved.savedAt, recovered: saved.recovered ?? null })
      if (pending.length > 0) saver.schedule(null)
    })
    .catch((err: unknown) => useWorkspace.setState({ status: 'error', loadError: message(err) }))
    .finally(() => {
      loading = null
    })
  return loading
}

/** Applies a change to the layout (now, or once it has loaded) and saves it after the debounce. */
export function changeWorkspace(change: Change): void {
  const { layout } = useWorkspace.getState()
  if (!layout) {
    queued.push(change)
    void loadWorkspace()
    return
  }
  const next = change(layout)
  if (next === layout) return
  unsaved.push(change)
  useWorkspace.setState({ layout: next })
  saver.schedule(null)
}

/** Hides the notice about a recovered layout. */
export const dismissRecovered = (): void => useWorkspace.setState({ recovered: null })

/** The layout now, or null before it has loaded. */
export const currentLayout = (): WorkspaceLayout | null => useWorkspace.getState().layout

/** Sends a waiting change at once. */
export const flushWorkspace = (): Promise<void> => saver.flush()

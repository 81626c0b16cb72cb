import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { tempCore } from '../support/temp-core'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { Core } from '../../src-main/core'
import type { WorkspaceLayout, WorkspaceSaved } from '../../src-main/api/contract'

// Two tabs on one engine, each with the Trade page open. Each change saves the whole layout; a save made
// from a layout another tab has changed since it was read must not wipe that tab's change.

const ctx = { door: 'test' } as const
let core: Core

const get = async (): Promise<WorkspaceSaved> => {
  const reply = await core.router.invoke('workspace.get', {}, ctx)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as WorkspaceSaved
}

describe('workspace.save from a tab that read an older layout', () => {
  afterEach(async () => {
    await core.stop()
  })

  it('is refused with CONFLICT when the stored layout was saved since the savedAt it read; the stored one is kept', async () => {
    core = tempCore()
    const read = await get()
    const first = await core.router.invoke('workspace.save', { layout: { ...read.layout, watchlist: 25 }, expectedSavedAt: read.savedAt }, ctx)
    expect(first.ok).toBe(true)
    const stale = await core.router.invoke('workspace.save', { layout: { ...read.layout, watchlist: 30 }, expectedSavedAt: read.savedAt }, ctx)
    expect(stale).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'The workspace was changed in another window: load it again and re-apply the change' } })
    expect((await get()).layout.watchlist).toBe(25)
    // Two saves in the same millisecond still read as two versions.
    const now = await get()
    const a = await core.router.invoke('workspace.save', { layout: now.layout, expectedSavedAt: now.savedAt }, ctx)
    const b = await core.router.invoke('workspace.save', { layout: now.layout, expectedSavedAt: now.savedAt }, ctx)
    expect([a.ok, b.ok]).toEqual([true, false])
  })
})

interface Store {
  loadWorkspace(): Promise<void>
  changeWorkspace(change: (l: WorkspaceLayout) => WorkspaceLayout): void
  flushWorkspace(): Promise<void>
  useWorkspace: { getState(): { layout: WorkspaceLayout | null; saveError: string | null; savedAt: number | null } }
}

describe('the Trade page’s workspace store, beside another tab', () => {
  let store: Store
  let holdNextGet: Promise<void> | null = null
  beforeAll(async () => {
    core = tempCore()
    stubDom('other')
    const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
    const { ApiError } = await loadRenderer<{ ApiError: new (code: string, message: string) => Error }>('api/types.ts')
    // The tab's client, answered by the real engine's router.
    api.invoke = async (name: string, input: unknown) => {
      const reply = await core.router.invoke(name as 'workspace.get', input as { name: string }, ctx)
      // A test may hold the next layout read's answer (read now, answered late).
      const hold = name === 'workspace.get' ? holdNextGet : null
      if (hold) {
        holdNextGet = null
        await hold
      }
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message)
      return reply.value
    }
    // Its streams, fed by the engine's stream hub.
    api.subscribe = (name: string, params: unknown, onEvent: (p: unknown) => void) => {
      const opened = core.streams.open(name, params, onEvent)
      if (!opened.ok) throw new Error(opened.error.message)
      return opened.value
    }
    store = await loadRenderer<Store>('features/workspace/workspaceStore.ts')
  })
  afterAll(async () => {
    vi.unstubAllGlobals()
    await core.stop()
  })

  it('a change made after another tab saved keeps both: the store reloads the stored layout and re-applies its change', async () => {
    await store.loadWorkspace()
    const focusable = store.useWorkspace.getState().layout!.columns.flatMap((c) => c.views).map((v) => v.id)
    // The other tab widens the watchlist and saves.
    const other = await get()
    const saved = await core.router.invoke('workspace.save', { layout: { ...other.layout, watchlist: 27 }, expectedSavedAt: other.savedAt }, ctx)
    expect(saved.ok).toBe(true)
    // This tab, still showing the layout it loaded, focuses another view.
    const target = focusable.at(-1)!
    store.changeWorkspace((l) => ({ ...l, focused: target }))
    await store.flushWorkspace()
    const stored = await get()
    expect(stored.layout).toMatchObject({ watchlist: 27, focused: target })
    expect(store.useWorkspace.getState()).toMatchObject({ saveError: null, savedAt: stored.savedAt, layout: stored.layout })
  })

  it('with nothing of its own to save, it shows a layout another tab saved (workspace.changed)', async () => {
    const now = await get()
    const saved = await core.router.invoke('workspace.save', { layout: { ...now.layout, watchlist: 33 }, expectedSavedAt: now.savedAt }, ctx)
    expect(saved.ok).toBe(true)
    await vi.waitFor(() => expect(store.useWorkspace.getState().layout?.watchlist).toBe(33), { timeout: 10_000 })
    expect(store.useWorkspace.getState().savedAt).toBe((await get()).savedAt)
  })

  it('a layout read for another tab’s save that answers after this tab saved a newer one does not take the screen back', async () => {
    await store.loadWorkspace()
    const focusable = store.useWorkspace.getState().layout!.columns.flatMap((c) => c.views).map((v) => v.id)
    let release!: () => void
    holdNextGet = new Promise<void>((r) => (release = r))
    const now = await get()
    // The other tab saves; this tab reads that layout for the change event, and the answer is slow.
    expect((await core.router.invoke('workspace.save', { layout: { ...now.layout, watchlist: 40 }, expectedSavedAt: now.savedAt }, ctx)).ok).toBe(true)
    await vi.waitFor(() => expect(holdNextGet).toBeNull(), { timeout: 10_000 })
    // Meanwhile this tab focuses another view and saves it (over the other tab's layout).
    const target = focusable.find((id) => id !== store.useWorkspace.getState().layout!.focused)!
    store.changeWorkspace((l) => ({ ...l, focused: target }))
    await store.flushWorkspace()
    expect((await get()).layout).toMatchObject({ watchlist: 40, focused: target })
    release()
    await new Promise((r) => setTimeout(r, 50))
    expect(store.useWorkspace.getState().layout).toMatchObject({ watchlist: 40, focused: target })
  })
})

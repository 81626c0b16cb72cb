import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'
import type { WorkspaceLayout, WorkspaceView } from '../../src-main/api/contract'

// With the workspace full (16 views), Alt+A, Alt+Shift+A and the palette's "Add <kind>…" did nothing and
// said nothing. They now say why, as the view header's "+" does: "No room for another view".

type Store<S> = { getState(): S; setState(s: Partial<S>): void }

let actions: Action[]
let workspace: Store<{ status: string; layout: WorkspaceLayout | null }>
let toasts: Store<{ toasts: { kind: string; title: string; detail?: string }[] }>
let overlay: Store<{ open: string | null }>

const view = (i: number): WorkspaceView => ({ id: `v${i}`, kind: 'book', venueId: 'sim', symbol: 'BTC/USDT', size: 25, group: null, depth: 40 }) as unknown as WorkspaceView
const layoutOf = (views: number): WorkspaceLayout =>
  ({
    watchlist: 16,
    focused: 'v0',
    columns: Array.from({ length: Math.ceil(views / 4) }, (_, c) => ({ id: `c${c}`, size: 21, views: Array.from({ length: Math.min(4, views - c * 4) }, (_, j) => view(c * 4 + j)) })),
  }) as unknown as WorkspaceLayout

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = async () => ({})
  api.subscribe = () => () => undefined
  actions = (await loadRenderer<{ tradeActions(): Action[] }>('features/trade/tradeActions.ts')).tradeActions()
  workspace = (await loadRenderer<{ useWorkspace: never }>('features/workspace/workspaceStore.ts')).useWorkspace
  toasts = (await loadRenderer<{ useToasts: never }>('features/toasts/toastStore.ts')).useToasts
  overlay = (await loadRenderer<{ useOverlay: never }>('app/overlays.ts')).useOverlay
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  toasts.setState({ toasts: [] })
  overlay.setState({ open: null })
})

const run = (id: string) => actions.find((a) => a.id === id)!.run()

describe('adding a view to a full workspace', () => {
  it('Alt+A, Alt+Shift+A and "Add order book…" say there is no room, and open nothing', async () => {
    workspace.setState({ status: 'ready', layout: layoutOf(16) })
    for (const id of ['workspace.addView', 'workspace.addViewBelow', 'workspace.add.book']) {
      toasts.setState({ toasts: [] })
      await run(id)
      expect(toasts.getState().toasts.map((t) => [t.kind, t.title, t.detail]), id).toEqual([['error', 'No room for another view', 'A workspace holds at most 16 views; close one first.']])
      expect(overlay.getState().open, id).toBeNull()
    }
  })

  it('with room, Alt+A opens the market dialog and says nothing', async () => {
    workspace.setState({ status: 'ready', layout: layoutOf(15) })
    await run('workspace.addView')
    expect(toasts.getState().toasts).toEqual([])
    expect(overlay.getState().open).toBe('market-open')
  })
})

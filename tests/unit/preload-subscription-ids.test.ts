import { describe, expect, it, vi, beforeEach } from 'vitest'

// The preload runs once per page. Here `electron` is a recorder: what the page exposes on window.api,
// the ipcRenderer listener it installs, and the subscription ids it hands to the main process.
type Reply = { ok: true; value: null }
const state = vi.hoisted(() => ({
  exposed: undefined as unknown,
  onEvent: undefined as undefined | ((e: unknown, id: unknown, payload: unknown) => void),
  subscribed: [] as string[],
}))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_key: string, api: unknown) => (state.exposed = api) },
  ipcRenderer: {
    on: (_channel: string, fn: (e: unknown, id: unknown, payload: unknown) => void) => (state.onEvent = fn),
    invoke: (channel: string, id: string): Promise<Reply> => {
      if (channel === 'co:subscribe') state.subscribed.push(id)
      return Promise.resolve({ ok: true, value: null })
    },
  },
}))

type Api = { subscribe(name: string, params: unknown, onEvent: (p: unknown) => void): () => void }

/** A fresh page: the preload module evaluated again, as Electron does on every load. */
async function loadPage() {
  vi.resetModules()
  state.subscribed = []
  await import('../../src-preload/index')
  return { api: state.exposed as Api, deliver: state.onEvent!, ids: state.subscribed }
}

beforeEach(() => {
  state.exposed = undefined
  state.onEvent = undefined
})

describe('preload subscription ids', () => {
  it('differ between pages, so a reloaded page never reuses the old page’s ids', async () => {
    const a = await loadPage()
    a.api.subscribe('settings.changed', {}, () => {})
    a.api.subscribe('settings.changed', {}, () => {})
    const b = await loadPage()
    b.api.subscribe('settings.changed', {}, () => {})
    b.api.subscribe('settings.changed', {}, () => {})
    expect(new Set([...a.ids, ...b.ids]).size).toBe(4)
  })

  it('hands a page only the events of its own subscriptions', async () => {
    const a = await loadPage()
    a.api.subscribe('market.ticker', { venueId: 'sim', symbol: 'ETH/USDT' }, () => {})
    const oldId = a.ids[0]!
    const b = await loadPage()
    const got: unknown[] = []
    b.api.subscribe('market.ticker', { venueId: 'sim', symbol: 'SOL/USDT' }, (p) => got.push(p))
    // A late event for the old page's subscription reaches the new page's preload.
    b.deliver({}, oldId, { symbol: 'ETH/USDT', last: '3400' })
    expect(got).toEqual([])
    b.deliver({}, b.ids[0], { symbol: 'SOL/USDT', last: '150' })
    expect(got).toEqual([{ symbol: 'SOL/USDT', last: '150' }])
  })
})

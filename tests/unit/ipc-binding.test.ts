import { EventEmitter } from 'node:events'
import { describe, expect, it, vi, beforeEach } from 'vitest'
import { tempCore } from '../support/temp-core'

// The Electron binding runs only inside Electron; here `electron` is replaced by a recorder of the
// ipcMain handlers so that the sender checks themselves are exercised.
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}))

const { bindContract } = await import('../../src-main/shell/ipc-binding')
const { IPC } = await import('../../src-main/api/ipc-channels')
const { silentLogger } = await import('../../src-main/log')

const APP_URL = 'file:///opt/co/out/renderer/index.html'

function fakeWindow() {
  const mainFrame = { url: APP_URL }
  const sent: unknown[][] = []
  // webContents' events as Electron emits them (an EventEmitter underneath).
  const contents = Object.assign(new EventEmitter(), {
    id: 1,
    mainFrame,
    isDestroyed: () => false,
    send: (...args: unknown[]) => sent.push(args),
  })
  return { win: { webContents: contents }, contents, mainFrame, sent }
}

beforeEach(() => handlers.clear())

// Electron's order for a main-frame, cross-document navigation: did-start-navigation, will-navigate (which
// the shell may cancel), and, once the new document commits, did-navigate.
function startNavigation(contents: EventEmitter, url: string) {
  contents.emit('did-start-navigation', { url, isSameDocument: false, isMainFrame: true })
}
function reload(contents: EventEmitter) {
  startNavigation(contents, APP_URL)
  contents.emit('did-navigate', {}, APP_URL, -1, '')
}

describe('Electron IPC binding', () => {
  it('serves the app main frame and refuses subframes, other pages and other windows', async () => {
    const core = tempCore()
    const { win, contents, mainFrame } = fakeWindow()
    const unbind = bindContract(core, win as never, APP_URL, silentLogger)
    const invoke = handlers.get(IPC.invoke)!

    const ok = (await invoke({ sender: contents, senderFrame: mainFrame }, 'app.info', {})) as { ok: boolean }
    expect(ok.ok).toBe(true)

    const subframe = { url: APP_URL }
    expect(await invoke({ sender: contents, senderFrame: subframe }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    const navigatedAway = { url: 'https://evil.example/' }
    const evilContents = { ...contents, mainFrame: navigatedAway }
    expect(await invoke({ sender: evilContents, senderFrame: navigatedAway }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    mainFrame.url = 'https://evil.example/'
    expect(await invoke({ sender: contents, senderFrame: mainFrame }, 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await invoke({ sender: contents, senderFrame: null }, 'app.info', {})).toMatchObject({ ok: false })
    unbind()
    expect(handlers.size).toBe(0)
    await core.stop()
  })

  it('delivers stream events to the subscribing window and validates names', async () => {
    const core = tempCore()
    const { win, contents, mainFrame, sent } = fakeWindow()
    bindContract(core, win as never, APP_URL, silentLogger)
    const event = { sender: contents, senderFrame: mainFrame }
    expect(await handlers.get(IPC.subscribe)!(event, 's1', 'settings.changed', {})).toEqual({ ok: true, value: null })
    expect(await handlers.get(IPC.subscribe)!(event, 's2', 'no.stream', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_STREAM' } })
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toMatchObject([[IPC.event, 's1', { key: 'ui.theme', value: 'contrast' }]])
    await handlers.get(IPC.unsubscribe)!(event, 's1')
    core.settings.set('ui.theme', 'dark')
    expect(sent).toHaveLength(1)
    await core.stop()
  })

  it('keeps a page’s subscriptions through its own page switches and ends them when the page is replaced', async () => {
    const core = tempCore()
    const { win, contents, mainFrame, sent } = fakeWindow()
    bindContract(core, win as never, APP_URL, silentLogger)
    const event = { sender: contents, senderFrame: mainFrame }
    await handlers.get(IPC.subscribe)!(event, 's1', 'settings.changed', {})
    // The renderer moves to another page with history.replaceState: a same-document navigation, which
    // Electron reports through did-start-navigation too. A subframe navigating is no new page either.
    mainFrame.url = `${APP_URL}#portfolio`
    contents.emit('did-start-navigation', { url: mainFrame.url, isSameDocument: true, isMainFrame: true })
    contents.emit('did-start-navigation', { url: 'about:blank', isSameDocument: false, isMainFrame: false })
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toMatchObject([[IPC.event, 's1', { key: 'ui.theme', value: 'contrast' }]])

    // A reload is a new document: once it commits, the old page's subscriptions stop and the new page
    // starts afresh.
    reload(contents)
    core.settings.set('ui.theme', 'dark')
    expect(sent).toHaveLength(1)
    await handlers.get(IPC.subscribe)!(event, 's1', 'settings.changed', {})
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toHaveLength(2)
    // One session's listeners at a time, not one more per reload.
    expect(contents.listenerCount('did-navigate')).toBe(1)
    expect(contents.listenerCount('destroyed')).toBe(1)
    contents.emit('destroyed')
    core.settings.set('ui.theme', 'dark')
    expect(sent).toHaveLength(2)
    expect(contents.listenerCount('did-navigate')).toBe(0)
    await core.stop()
  })

  it('keeps the page’s streams when a navigation starts but never commits (the shell blocked it)', async () => {
    const core = tempCore()
    const { win, contents, mainFrame, sent } = fakeWindow()
    bindContract(core, win as never, APP_URL, silentLogger)
    const event = { sender: contents, senderFrame: mainFrame }
    await handlers.get(IPC.subscribe)!(event, 's1', 'settings.changed', {})
    // A link to an outside site: the navigation starts, will-navigate cancels it, the page stays.
    startNavigation(contents, 'https://www.tradingview.com/')
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toMatchObject([[IPC.event, 's1', { key: 'ui.theme', value: 'contrast' }]])
    await core.stop()
  })

  it('gives a reloaded page none of what the old page subscribed while the reload was on its way', async () => {
    const core = tempCore()
    const { win, contents, mainFrame, sent } = fakeWindow()
    bindContract(core, win as never, APP_URL, silentLogger)
    const event = { sender: contents, senderFrame: mainFrame }
    const subscribe = handlers.get(IPC.subscribe)!
    await subscribe(event, 's1', 'settings.changed', {})
    startNavigation(contents, APP_URL)
    // The old page still runs until the new document commits, and subscribes once more.
    expect(await subscribe(event, 's2', 'settings.changed', {})).toEqual({ ok: true, value: null })
    contents.emit('did-navigate', {}, APP_URL, -1, '')
    // The new page may use the same id and hears only its own stream.
    expect(await subscribe(event, 's2', 'settings.changed', {})).toEqual({ ok: true, value: null })
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toMatchObject([[IPC.event, 's2', { key: 'ui.theme', value: 'contrast' }]])
    await core.stop()
  })

  it('ends the streams of a page whose renderer process died', async () => {
    const core = tempCore()
    const { win, contents, mainFrame, sent } = fakeWindow()
    bindContract(core, win as never, APP_URL, silentLogger)
    await handlers.get(IPC.subscribe)!({ sender: contents, senderFrame: mainFrame }, 's1', 'settings.changed', {})
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 })
    core.settings.set('ui.theme', 'contrast')
    expect(sent).toEqual([])
    expect(contents.listenerCount('render-process-gone')).toBe(0)
    await core.stop()
  })
})

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { IPC } from '../api/ipc-channels'
import { fail } from '../api/errors'
import type { Core } from '../core'
import type { ClientSession } from '../api/session'
import type { Logger } from '../log'
import { isAppUrl } from './url-policy'

/**
 * Binds the contract to ipcMain. Only the app's own main frame may call (VS Code's habit): a message
 * from a subframe, another window or a page that navigated elsewhere is refused with FORBIDDEN.
 */
export function bindContract(core: Core, win: BrowserWindow, appUrl: string, log: Logger): () => void {
  const sessions = new Map<number, ClientSession>()

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame
    const ok =
      event.sender === win.webContents &&
      frame !== null &&
      frame === win.webContents.mainFrame &&
      isAppUrl(frame.url, appUrl)
    if (!ok) log.warn('refused IPC from an untrusted sender', { url: frame?.url })
    return ok
  }
  const sessionFor = (contents: WebContents): ClientSession => {
    let session = sessions.get(contents.id)
    if (!session) {
      const created = core.openSession({ door: 'electron' })
      sessions.set(contents.id, created)
      // A new document (a reload) ends the old page's subscriptions, once it has committed: did-navigate,
      // main frame only, not for same-document moves (the renderer's page switch is a history.replaceState).
      // Not at did-start-navigation: the old page runs on until the commit and may still subscribe, and
      // a navigation the shell then blocks (harden.ts) never commits and keeps the page.
      // A renderer process that died ends its page too (the shell then reloads the window).
      const end = () => {
        contents.off('did-navigate', end)
        contents.off('render-process-gone', end)
        contents.off('destroyed', end)
        created.close()
        if (sessions.get(contents.id) === created) sessions.delete(contents.id)
      }
      contents.on('destroyed', end)
      contents.on('render-process-gone', end)
      contents.on('did-navigate', end)
      session = created
    }
    return session
  }
  const forbidden = fail('FORBIDDEN', 'This sender may not use the engine')

  ipcMain.handle(IPC.invoke, (event, name: unknown, input: unknown) =>
    trusted(event) ? sessionFor(event.sender).invoke(name, input) : forbidden,
  )
  ipcMain.handle(IPC.subscribe, (event, id: unknown, name: unknown, params: unknown) => {
    if (!trusted(event)) return forbidden
    if (typeof id !== 'string') return fail('BAD_INPUT', 'Subscription id must be a string')
    const contents = event.sender
    return sessionFor(contents).subscribe(id, name, params, (payload) => {
      if (!contents.isDestroyed()) contents.send(IPC.event, id, payload)
    })
  })
  ipcMain.handle(IPC.unsubscribe, (event, id: unknown) => {
    if (trusted(event) && typeof id === 'string') sessionFor(event.sender).unsubscribe(id)
    return { ok: true, value: null }
  })

  return () => {
    for (const channel of Object.values(IPC)) ipcMain.removeHandler(channel)
    for (const session of sessions.values()) session.close()
    sessions.clear()
  }
}

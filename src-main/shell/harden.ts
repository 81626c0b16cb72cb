import { shell, type BrowserWindow, type Session } from 'electron'
import { isAllowedExternalUrl, isAppDownload, isAppUrl } from './url-policy'
import type { Logger } from '../log'

/**
 * Applies the rest of Electron's security checklist to a window and its session: no navigation away
 * from the app, no new windows (allow-listed https links open in the user's browser), no webviews,
 * no downloads but the files the app hands over itself (Save dialog), every permission request denied.
 */
export function hardenWindow(win: BrowserWindow, appUrl: string, log: Logger): void {
  const contents = win.webContents
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) {
      event.preventDefault()
      log.warn('blocked navigation', { url })
    }
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    else log.warn('blocked window.open', { url })
    return { action: 'deny' }
  })
  contents.session.on('will-download', (event, item) => {
    if (!isAppDownload(item.getURL(), appUrl)) {
      event.preventDefault()
      log.warn('blocked download', { url: item.getURL() })
    }
  })
  denyPermissions(contents.session)
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

import type { BrowserWindow } from 'electron'
import type { Logger } from '../log'

/** At most this many reloads within a minute: a page that crashes on load would otherwise reload for ever. */
const MAX_RELOADS_PER_MINUTE = 3

/**
 * A renderer process that crashed, was killed or ran out of memory leaves the window blank: the shell logs
 * why (Electron's reason and exit code, nothing of the page) and reloads the app page. The IPC binding ends
 * the dead page's session on the same event.
 */
export function reloadOnRendererGone(win: BrowserWindow, log: Logger): void {
  const reloads: number[] = []
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode })
    if (details.reason === 'clean-exit' || win.isDestroyed()) return
    const now = Date.now()
    while (reloads.length > 0 && now - reloads[0]! >= 60_000) reloads.shift()
    if (reloads.length >= MAX_RELOADS_PER_MINUTE) {
      log.error('renderer keeps failing; not reloading again (restart the app)')
      return
    }
    reloads.push(now)
    win.webContents.reload()
  })
}

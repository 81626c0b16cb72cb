import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, Menu, powerMonitor } from 'electron'
import { createCore, type Core } from '../core'
import { consoleLogger } from '../log'
import { buildWindowOptions } from './window-options'
import { appMenuTemplate } from './app-menu'
import { hardenWindow } from './harden'
import { reloadOnRendererGone } from './crash-recovery'
import { bindContract } from './ipc-binding'
import { electronNotifier } from './notifier'
import { watchSystemLock } from './system-lock'

/** How long quitting waits for the engine to stop before the process exits anyway. */
const STOP_LIMIT_MS = 30_000

// The desktop door: one engine, one window, the contract over IPC.
export function startDesktop(): void {
  const log = consoleLogger('desktop')
  if (!app.requestSingleInstanceLock()) {
    // A second instance would open the same database; focus the first one instead.
    app.quit()
    return
  }
  app.enableSandbox()
  // As in the headless door: a library's stray rejection is logged, not fatal to the engine.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection (engine keeps running)', reason))

  let core: Core | undefined
  let win: BrowserWindow | undefined
  let unbind: (() => void) | undefined
  let unwatchLock: (() => void) | undefined

  // A second launch, or a click on a fired alert's notification, brings the window forward. Either may come
  // while the app quits after its window closed: a destroyed window throws on every call.
  const bringForward = () => {
    if (!win || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.focus()
  }
  app.on('second-instance', bringForward)

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  void app.whenReady().then(() => {
    try {
      core = createCore({
        dataDir: app.getPath('userData'),
        // In development and in the packaged asar alike, the committed migrations sit at this path.
        migrationsDir: path.join(app.getAppPath(), 'src-main', 'store', 'migrations'),
        door: 'electron',
        version: app.getVersion(),
        log,
        notifier: electronNotifier(bringForward),
      })
    } catch (err) {
      dialog.showErrorBox('CryptoOrchestrator cannot start', err instanceof Error ? err.message : String(err))
      app.exit(1)
      return
    }

    // The app locks with the computer (when a lock passphrase is set).
    unwatchLock = watchSystemLock(powerMonitor, process.platform, () => core?.lock.lockWithSystem())

    // electron-vite's dev server, in development only: a packaged app started with the variable set must
    // not load (and give the engine to) whatever address it names.
    const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
    const appUrl = devUrl ?? pathToFileURL(path.join(__dirname, '../renderer/index.html')).toString()
    // Development keeps Electron's default menu (Reload, Toggle Developer Tools).
    if (app.isPackaged) Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, app.name)))
    win = new BrowserWindow(buildWindowOptions(path.join(__dirname, '../preload/index.cjs'), app.isPackaged))
    win.on('closed', () => (win = undefined))
    hardenWindow(win, appUrl, log)
    unbind = bindContract(core, win, appUrl, log)
    reloadOnRendererGone(win, log)
    win.once('ready-to-show', () => win?.show())
    void win.loadURL(appUrl)
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    if (!core) return
    event.preventDefault()
    const stopping = core
    core = undefined
    unwatchLock?.()
    unbind?.()
    // The engine finishes its work (a backup, a report, the last saves) before the app goes, but not for
    // ever: a stop that hangs would keep the process, and with it the single-instance and engine locks,
    // so the next start would be refused. After the limit the process exits as it is.
    const limit = setTimeout(() => {
      log.error(`engine did not stop within ${STOP_LIMIT_MS / 1000} s; exiting`)
      app.exit(1)
    }, STOP_LIMIT_MS)
    void stopping.stop().finally(() => {
      clearTimeout(limit)
      app.quit()
    })
  })
}

import type { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// startDesktop() runs only inside Electron. Here `electron` is a small fake (app, windows, powerMonitor,
// notifications as EventEmitters that the test drives) and the engine is a fake core, so what the shell
// does on the app's and the system's events is exercised in plain Node.
type IdleState = 'active' | 'idle' | 'locked' | 'unknown'
interface FakeWindow extends EventEmitter {
  destroyed: boolean
  webContents: EventEmitter & { id: number; reloaded: number }
  close(): void
  isDestroyed(): boolean
  focused: number
  options: { webPreferences: { devTools?: boolean } }
}
interface Fake {
  app: EventEmitter & { quits: number; exits: number[]; isPackaged: boolean; quit(): boolean }
  powerMonitor: EventEmitter & { idleState: IdleState; polls: number }
  windows: FakeWindow[]
  notifications: EventEmitter[]
  menu: { current: unknown }
  reset(): void
}

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  const windows: FakeWindow[] = []
  const notifications: EventEmitter[] = []
  const session = () =>
    Object.assign(new EventEmitter(), {
      setPermissionRequestHandler() {},
      setPermissionCheckHandler() {},
      setDevicePermissionHandler() {},
    })
  class BrowserWindow extends EventEmitter {
    destroyed = false
    options: unknown
    focused = 0
    webContents = Object.assign(new EventEmitter(), {
      id: windows.length + 1,
      reloaded: 0,
      mainFrame: { url: '' },
      session: session(),
      setWindowOpenHandler() {},
      isDestroyed: () => this.destroyed,
      send() {},
      reload() {
        this.reloaded++
      },
    })
    constructor(options: unknown) {
      super()
      this.options = options
      windows.push(this as unknown as FakeWindow)
    }
    // Electron throws on any call to a destroyed window.
    private live() {
      if (this.destroyed) throw new TypeError('Object has been destroyed')
    }
    isDestroyed() {
      return this.destroyed
    }
    isMinimized() {
      this.live()
      return false
    }
    restore() {
      this.live()
    }
    focus() {
      this.live()
      this.focused++
    }
    show() {
      this.live()
    }
    loadURL() {
      this.live()
      return Promise.resolve()
    }
    close() {
      this.destroyed = true
      this.emit('closed')
      app.emit('window-all-closed')
    }
  }
  const app = Object.assign(new EventEmitter(), {
    quits: 0,
    exits: [] as number[],
    isPackaged: true,
    requestSingleInstanceLock: () => true,
    enableSandbox() {},
    whenReady: () => Promise.resolve(),
    getPath: () => '/tmp/co-desktop-test',
    getAppPath: () => '/tmp/co-desktop-test',
    getVersion: () => '0.0.0-test',
    name: 'CryptoOrchestrator',
    quit() {
      app.quits++
      let prevented = false
      app.emit('will-quit', { preventDefault: () => (prevented = true) })
      return prevented
    },
    exit(code = 0) {
      app.exits.push(code)
    },
  })
  const powerMonitor = Object.assign(new EventEmitter(), {
    idleState: 'active' as IdleState,
    polls: 0,
    getSystemIdleState() {
      powerMonitor.polls++
      return powerMonitor.idleState
    },
  })
  class Notification extends EventEmitter {
    static isSupported = () => true
    constructor() {
      super()
      notifications.push(this)
    }
    show() {}
  }
  const menu = { current: undefined as unknown }
  const reset = () => {
    menu.current = undefined
    windows.length = 0
    notifications.length = 0
    app.removeAllListeners()
    app.quits = 0
    app.exits = []
    app.isPackaged = true
    powerMonitor.removeAllListeners()
    powerMonitor.idleState = 'active'
    powerMonitor.polls = 0
  }
  return {
    app,
    BrowserWindow,
    powerMonitor,
    Notification,
    Menu: { setApplicationMenu: (m: unknown) => (menu.current = m), buildFromTemplate: (t: unknown) => t },
    menu,
    dialog: { showErrorBox() {} },
    shell: { openExternal() {} },
    ipcMain: { handle() {}, removeHandler() {} },
    windows,
    notifications,
    reset,
  }
})

const engine = vi.hoisted(() => ({
  systemLocks: 0,
  stops: 0,
  stop: () => Promise.resolve(),
  notifier: undefined as undefined | { notify(title: string, body: string): void },
}))
vi.mock('../../src-main/core', () => ({
  createCore: (options: { notifier: { notify(title: string, body: string): void } }) => {
    engine.notifier = options.notifier
    return {
      lock: { lockWithSystem: () => engine.systemLocks++ },
      openSession: () => ({ close() {}, invoke: () => Promise.resolve({ ok: true, value: null }) }),
      stop: () => {
        engine.stops++
        return engine.stop()
      },
    }
  },
}))

// What the shell logs, kept here instead of on stderr.
const logged = vi.hoisted(() => [] as Array<[string, string, unknown]>)
vi.mock('../../src-main/log', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src-main/log')>()),
  consoleLogger: () => ({
    info: (m: string, d?: unknown) => logged.push(['info', m, d]),
    warn: (m: string, d?: unknown) => logged.push(['warn', m, d]),
    error: (m: string, d?: unknown) => logged.push(['error', m, d]),
  }),
}))

const electron = (await import('electron')) as unknown as Fake
const { startDesktop } = await import('../../src-main/shell/desktop')

const realPlatform = process.platform
function onPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true })
}

/** Starts the shell and lets app.whenReady() resolve: the engine and the window exist afterwards. */
async function start() {
  startDesktop()
  await vi.advanceTimersByTimeAsync(0)
  return electron.windows[0]!
}

// startDesktop() adds a process-wide unhandledRejection logger each time; each test removes its own.
let processListeners: Set<unknown>

beforeEach(() => {
  processListeners = new Set(process.listeners('unhandledRejection'))
  logged.length = 0
  vi.useFakeTimers()
  electron.reset()
  engine.systemLocks = 0
  engine.stops = 0
  engine.stop = () => Promise.resolve()
  onPlatform('linux')
})
afterEach(() => {
  electron.app.emit('will-quit', { preventDefault() {} })
  for (const l of process.listeners('unhandledRejection')) if (!processListeners.has(l)) process.off('unhandledRejection', l)
  onPlatform(realPlatform)
  vi.useRealTimers()
})

describe('desktop shell: locking with the computer', () => {
  it('on Linux, locks the app when the screen locks (polled: no lock-screen event there)', async () => {
    await start()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(engine.systemLocks).toBe(0)
    electron.powerMonitor.idleState = 'locked'
    await vi.advanceTimersByTimeAsync(5_000)
    expect(engine.systemLocks).toBe(1)
    // Once per screen lock: the app, unlocked while the screen stays locked, is not locked again.
    await vi.advanceTimersByTimeAsync(20_000)
    expect(engine.systemLocks).toBe(1)
    electron.powerMonitor.idleState = 'active'
    await vi.advanceTimersByTimeAsync(5_000)
    electron.powerMonitor.idleState = 'locked'
    await vi.advanceTimersByTimeAsync(5_000)
    expect(engine.systemLocks).toBe(2)
  })

  it('stops polling when the app quits', async () => {
    await start()
    electron.app.quit()
    await vi.advanceTimersByTimeAsync(0)
    const polls = electron.powerMonitor.polls
    electron.powerMonitor.idleState = 'locked'
    await vi.advanceTimersByTimeAsync(30_000)
    expect(electron.powerMonitor.polls).toBe(polls)
    expect(engine.systemLocks).toBe(0)
  })

  it('on macOS and Windows, follows the lock-screen and suspend events without polling', async () => {
    onPlatform('darwin')
    await start()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(electron.powerMonitor.polls).toBe(0)
    electron.powerMonitor.emit('lock-screen')
    electron.powerMonitor.emit('suspend')
    expect(engine.systemLocks).toBe(2)
  })
})

describe('desktop shell: the window', () => {
  it('brings the window forward when the app is launched again or a notification is clicked', async () => {
    const win = await start()
    electron.app.emit('second-instance', {}, [], '')
    engine.notifier!.notify('BTC/USDT above 65,000', '')
    electron.notifications[0]!.emit('click')
    expect(win.focused).toBe(2)
  })

  it('does not throw when the app is launched again, or a notification clicked, after the window closed', async () => {
    const win = await start()
    engine.notifier!.notify('BTC/USDT above 65,000', '')
    // Quitting waits for the engine to stop; meanwhile the user starts the app again.
    engine.stop = () => new Promise(() => {})
    win.close()
    expect(() => electron.app.emit('second-instance', {}, [], '')).not.toThrow()
    expect(() => electron.notifications[0]!.emit('click')).not.toThrow()
  })
})

describe('desktop shell: a packaged app', () => {
  type Item = { role?: string; label?: string; accelerator?: string; submenu?: Item[] }
  const everyItem = (items: Item[]): Item[] => items.flatMap((i) => [i, ...everyItem(i.submenu ?? [])])

  it('has no DevTools and no menu item or key that reloads the page or opens DevTools', async () => {
    const win = await start()
    expect(win.options.webPreferences.devTools).toBe(false)
    const menu = electron.menu.current as Item[] | undefined
    expect(menu).toBeDefined()
    const roles = everyItem(menu!).map((i) => i.role?.toLowerCase())
    for (const role of ['reload', 'forcereload', 'toggledevtools', 'viewmenu']) expect(roles).not.toContain(role)
    // What the user still needs: copy and paste (the Edit menu carries their keys on macOS), quit.
    expect(roles).toEqual(expect.arrayContaining(['editmenu', 'quit']))
  })

  it('keeps DevTools and Electron’s default menu in development', async () => {
    electron.app.isPackaged = false
    const win = await start()
    expect(win.options.webPreferences.devTools).toBe(true)
    expect(electron.menu.current).toBeUndefined()
  })
})

describe('desktop shell: a renderer crash', () => {
  const gone = (win: FakeWindow, reason: string) =>
    win.webContents.emit('render-process-gone', {}, { reason, exitCode: reason === 'clean-exit' ? 0 : 139 })

  it('reloads the window instead of leaving it blank', async () => {
    const win = await start()
    gone(win, 'crashed')
    expect(win.webContents.reloaded).toBe(1)
    expect(logged).toContainEqual(['error', 'renderer process gone', { reason: 'crashed', exitCode: 139 }])
    await vi.advanceTimersByTimeAsync(60_000)
    gone(win, 'oom')
    expect(win.webContents.reloaded).toBe(2)
  })

  it('stops reloading a renderer that keeps dying at once', async () => {
    const win = await start()
    for (let i = 0; i < 6; i++) {
      gone(win, 'crashed')
      await vi.advanceTimersByTimeAsync(1_000)
    }
    expect(win.webContents.reloaded).toBe(3)
  })

  it('leaves a window alone whose renderer ended cleanly or that is already closed', async () => {
    const win = await start()
    gone(win, 'clean-exit')
    win.destroyed = true
    gone(win, 'crashed')
    expect(win.webContents.reloaded).toBe(0)
  })
})

describe('desktop shell: quitting', () => {
  it('quits once the engine has stopped', async () => {
    await start()
    electron.app.quit()
    await vi.advanceTimersByTimeAsync(0)
    expect(engine.stops).toBe(1)
    expect(electron.app.quits).toBe(2)
    expect(electron.app.exits).toEqual([])
  })

  it('exits after 30 s when the engine does not stop, so its locks are freed for the next start', async () => {
    await start()
    engine.stop = () => new Promise(() => {})
    electron.app.quit()
    await vi.advanceTimersByTimeAsync(29_000)
    expect(electron.app.exits).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(electron.app.exits).toEqual([1])
  })
})

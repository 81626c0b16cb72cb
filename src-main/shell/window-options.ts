import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The main window's options, with Electron's security checklist applied: an isolated, sandboxed
 * renderer with no Node, no webviews and no insecure content. A unit test inspects this object.
 */
export function buildWindowOptions(preloadPath: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0d1117',
    title: 'CryptoOrchestrator',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // DevTools in development only: in the packaged app they would open the renderer, and through it the
      // engine, to whoever sits at the screen, past the app lock.
      devTools: !packaged,
    },
  }
}

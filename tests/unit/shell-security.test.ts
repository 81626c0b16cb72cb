import { describe, expect, it } from 'vitest'
import { buildWindowOptions } from '../../src-main/shell/window-options'
import { isAllowedExternalUrl, isAppDownload, isAppUrl } from '../../src-main/shell/url-policy'
import { cspFor } from '../../src-main/config/csp'

describe('window options (Electron security checklist)', () => {
  const prefs = buildWindowOptions('/app/out/preload/index.cjs', true).webPreferences!

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
  })

  it('keeps web security on and the risky features off', () => {
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.experimentalFeatures).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.navigateOnDragDrop).toBe(false)
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })

  it('has DevTools in development only', () => {
    expect(prefs.devTools).toBe(false)
    expect(buildWindowOptions('/app/out/preload/index.cjs', false).webPreferences!.devTools).toBe(true)
  })
})

describe('URL policy', () => {
  it('opens only https links to allow-listed sites in the browser', () => {
    expect(isAllowedExternalUrl('https://www.binance.com/en/my/settings/api-management')).toBe(true)
    expect(isAllowedExternalUrl('https://docs.ccxt.com/')).toBe(true)
    expect(isAllowedExternalUrl('http://www.binance.com/')).toBe(false)
    expect(isAllowedExternalUrl('https://binance.com.evil.example/')).toBe(false)
    expect(isAllowedExternalUrl('https://evilbinance.com/')).toBe(false)
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false)
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false)
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false)
    expect(isAllowedExternalUrl('not a url')).toBe(false)
  })

  it('treats only the app page itself as the app', () => {
    const file = 'file:///opt/co/resources/app.asar/out/renderer/index.html'
    expect(isAppUrl(`${file}#/settings`, file)).toBe(true)
    expect(isAppUrl('file:///etc/passwd', file)).toBe(false)
    // Same path on another host (a network share, a UNC path on Windows) is someone else's file.
    expect(isAppUrl('file://attacker.example/opt/co/resources/app.asar/out/renderer/index.html', file)).toBe(false)
    expect(isAppUrl('file://localhost/opt/co/resources/app.asar/out/renderer/index.html', file)).toBe(true)
    expect(isAppUrl('https://example.com/', file)).toBe(false)
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })

  it('downloads only the files the app hands over (its own blob: URLs)', () => {
    const file = 'file:///opt/co/resources/app.asar/out/renderer/index.html'
    expect(isAppDownload('blob:file:///0b7e6f0e-1c1b-4a55-9d8e-3c7a2f0c9e11', file)).toBe(true)
    expect(isAppDownload('https://example.com/report.pdf', file)).toBe(false)
    expect(isAppDownload('file:///etc/passwd', file)).toBe(false)
    expect(isAppDownload('blob:http://localhost:5173/0b7e6f0e', 'http://localhost:5173/')).toBe(true)
    expect(isAppDownload('blob:https://evil.example/0b7e6f0e', 'http://localhost:5173/')).toBe(false)
  })
})

describe('content security policy', () => {
  it('allows only the app itself in production', () => {
    const csp = cspFor('production')
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/https?:/)
    expect(cspFor('production', 'header')).toContain("frame-ancestors 'none'")
  })
})

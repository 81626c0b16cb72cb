import { describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../src-main/config/paths'

// The same folder Electron's app.getPath('userData') gives: appData + productName.
describe('default data dir', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/CryptoOrchestrator')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/CryptoOrchestrator')
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/CryptoOrchestrator')
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\CryptoOrchestrator',
    )
  })
})

describe('app name', () => {
  it('matches the productName Electron derives userData from', async () => {
    const { APP_NAME } = await import('../../src-main/config/paths')
    const pkg = (await import('../../package.json')).default as { productName: string }
    expect(pkg.productName).toBe(APP_NAME)
  })
})

// Electron entry. Everything Electron-specific lives in shell/; this file only starts it.
import { startDesktop } from './shell/desktop'

startDesktop()

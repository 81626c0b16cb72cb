import type { Platform } from './combo'

interface NavigatorWithUAData extends Navigator {
  userAgentData?: { platform?: string }
}

/** macOS (Cmd is Mod) or anything else (Ctrl is Mod), decided once from the browser. */
export const platform: Platform = (() => {
  const nav = navigator as NavigatorWithUAData
  const name = nav.userAgentData?.platform ?? nav.platform ?? ''
  return /mac|iphone|ipad/i.test(name) ? 'mac' : 'other'
})()

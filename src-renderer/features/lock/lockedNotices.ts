import { create } from 'zustand'
import { api } from '../../api'

// While locked, the engine still tells the lock screen that a fired alert or a notice (a fill, a stop)
// arrived, without what it says (lock/redact.ts). The lock screen counts them, and in the headless door's
// browser raises a desktop notification where the user allowed them (the desktop app's come from the shell).

interface LockedNotices {
  count: number
}

export const useLockedNotices = create<LockedNotices>()(() => ({ count: 0 }))

/** Follows alerts.fired / alerts.notices while the lock screen is shown; returns the stop. */
export function startLockedNotices(): () => void {
  useLockedNotices.setState({ count: 0 })
  const seen = new Set<number>()
  const arrived = (title: string, body: string, desktop: boolean, tag: string) => {
    useLockedNotices.setState((s) => ({ count: s.count + 1 }))
    if (!desktop || window.api || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    try {
      new Notification(title, { body, tag })
    } catch {
      // Some browsers allow notifications only from a service worker; the lock screen counts it.
    }
  }
  const ignore = () => undefined
  const offs = [
    // A fired alert is said again when its webhook or email settles: counted once.
    api.subscribe('alerts.fired', {}, (e) => {
      if (seen.has(e.id)) return
      seen.add(e.id)
      arrived(e.title, e.body, e.desktop, `alert-${e.id}`)
    }, ignore),
    api.subscribe('alerts.notices', {}, (n) => arrived(n.title, n.body, n.desktop, `${n.kind}-${n.at}`), ignore),
  ]
  return () => offs.forEach((off) => off())
}

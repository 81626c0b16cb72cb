import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import { messageOf } from '../../ui/engineMessage'
import type { LockStatus } from '../../../src-main/api/contract'

// The app lock as the engine holds it: whether a passphrase is set, whether the app is locked, and the
// wait after wrong passphrases. The engine decides; this mirrors lock.status and the lock.changed stream.

interface LockState {
  status: LockStatus | null
  /** lock.status could not be asked (the engine is older or away): the app is shown as it was before locks. */
  unknown: boolean
  error: string | null
  busy: boolean
  received(status: LockStatus): void
  unlock(passphrase: string): Promise<boolean>
  lockNow(): Promise<void>
}

export const useLock = create<LockState>()((set) => ({
  status: null,
  unknown: false,
  error: null,
  busy: false,
  received(status) {
    set({ status, unknown: false })
  },
  async unlock(passphrase) {
    set({ busy: true, error: null })
    try {
      set({ status: await api.invoke('lock.unlock', { passphrase }) })
      return true
    } catch (err) {
      set({ error: messageOf(err) })
      return false
    } finally {
      set({ busy: false })
    }
  },
  async lockNow() {
    try {
      set({ status: await api.invoke('lock.lock', {}) })
    } catch (err) {
      set({ error: messageOf(err) })
      throw err
    }
  },
}))

async function load(): Promise<void> {
  try {
    useLock.getState().received(await api.invoke('lock.status', {}))
  } catch (err) {
    useLock.setState({ unknown: true, error: messageOf(err) })
  }
}

/** Follows the lock (stream + a fresh status after a reconnect: the engine may have restarted locked). */
export function startLockSync(): () => void {
  const stop = api.subscribe('lock.changed', {}, (s) => useLock.getState().received(s), (err) => useLock.setState({ error: messageOf(err) }))
  void load()
  const stopReconnect = onReconnect(() => void load())
  return () => {
    stop()
    stopReconnect()
  }
}

const PING_EVERY_MS = 20_000

/**
 * Tells the engine the user is here (a key press, a click, the wheel) at most every 20 s, which restarts
 * its idle clock. Nothing else counts: a page refreshing itself is not a user. Sent while unlocked even with
 * no passphrase set, so the engine's idle clock is current the moment one is set (from any screen).
 */
export function startActivityPings(): () => void {
  let last = 0
  const ping = () => {
    const now = Date.now()
    const status = useLock.getState().status
    if (now - last < PING_EVERY_MS || !status || status.locked) return
    last = now
    api.invoke('lock.activity', {}).catch(() => undefined)
  }
  const events = ['keydown', 'pointerdown', 'wheel'] as const
  for (const e of events) window.addEventListener(e, ping, { capture: true, passive: true })
  return () => {
    for (const e of events) window.removeEventListener(e, ping, { capture: true })
  }
}

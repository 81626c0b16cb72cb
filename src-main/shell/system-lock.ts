import type { PowerMonitor } from 'electron'

/** How often the desktop app asks Linux whether the screen is locked (README: App lock). */
export const LINUX_LOCK_POLL_MS = 5_000

/**
 * Calls lock() when the computer locks its screen or goes to sleep. Electron's 'lock-screen' event exists
 * on macOS and Windows only; on Linux the screen-saver state is polled instead, and only the change into
 * 'locked' locks (an app unlocked while the screen stays locked is left alone). Returns the stop function.
 */
export function watchSystemLock(
  monitor: Pick<PowerMonitor, 'on' | 'off' | 'getSystemIdleState'>,
  platform: NodeJS.Platform,
  lock: () => void,
): () => void {
  monitor.on('lock-screen', lock)
  monitor.on('suspend', lock)
  let timer: NodeJS.Timeout | undefined
  if (platform === 'linux') {
    let wasLocked = false
    timer = setInterval(() => {
      // The threshold (1 s) only matters for 'idle'; 'locked' is reported whatever it is.
      const locked = monitor.getSystemIdleState(1) === 'locked'
      if (locked && !wasLocked) lock()
      wasLocked = locked
    }, LINUX_LOCK_POLL_MS)
    // The poll must not keep a quitting app alive.
    timer.unref()
  }
  return () => {
    clearInterval(timer)
    monitor.off('lock-screen', lock)
    monitor.off('suspend', lock)
  }
}

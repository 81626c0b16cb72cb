import { useEffect, useRef } from 'react'

/**
 * Calls `fn` at once and then every `intervalMs` while the component is mounted and the window is
 * visible (a hidden window stops asking; showing it asks at once). Calls never overlap: the next one is
 * timed from the end of the last. A change of `key` (e.g. a search query) restarts at once; `alive()`
 * tells a slow call whether its answer is still wanted (false after a restart or unmount).
 */
export function usePoll(fn: (alive: () => boolean) => Promise<void> | void, intervalMs: number, key = ''): void {
  const latest = useRef(fn)
  useEffect(() => {
    latest.current = fn
  })
  useEffect(() => {
    let stopped = false
    let running = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const alive = () => !stopped
    const schedule = () => {
      clearTimeout(timer)
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs)
    }
    const tick = async () => {
      if (stopped || running) return
      if (document.visibilityState === 'visible') {
        running = true
        try {
          await latest.current(alive)
        } catch (err) {
          console.error('poll failed', err)
        } finally {
          running = false
        }
      }
      schedule()
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void tick()
    }
    void tick()
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      stopped = true
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [intervalMs, key])
}

// A clock that strikes at 00:00 UTC: where a "day" (the daily loss limit, the copy daily loss stop) starts.

/**
 * Calls `fn` at each 00:00 UTC until the returned stop is called. One timer, re-set after each call, so a
 * clock that moved is followed; unref'd, so it never holds the process open.
 */
export function everyUtcMidnight(fn: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    const t = new Date(now())
    const next = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1)
    timer = setTimeout(() => {
      fn()
      arm()
    }, next - t.getTime() + 50)
    timer.unref()
  }
  arm()
  return () => clearTimeout(timer)
}

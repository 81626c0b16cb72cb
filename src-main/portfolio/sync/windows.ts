// Time windows for history paging: since..until cut into spans the venue accepts, each read whole.

export interface TimeWindow {
  /** First and last millisecond, both inclusive. */
  since: number
  until: number
}

/** start..end (inclusive) in consecutive windows of at most `size` ms; none when start > end. */
export function windowsOf(start: number, end: number, size: number): TimeWindow[] {
  if (!(size > 0)) throw new Error('window size must be positive')
  const out: TimeWindow[] = []
  for (let since = start; since <= end; since += size) out.push({ since, until: Math.min(since + size - 1, end) })
  return out
}

/**
 * Everything in one window: one request, and when the page comes back full (the window holds more than a
 * page), both halves asked again, recursively, down to a millisecond. Rows are told apart by `idOf`, so a
 * row seen in a bigger window is kept once. Returns the rows, how many requests it took, and the
 * milliseconds that still came back full (`crowded`): the venue holds rows there that no time window can
 * reach, so the caller must say so rather than pass them by in silence.
 */
export async function readWindow<T>(
  fetchPage: (w: TimeWindow) => Promise<T[]>,
  window: TimeWindow,
  limit: number,
  idOf: (row: T) => string,
  checkStop: () => void = () => {},
): Promise<{ rows: T[]; requests: number; crowded: number[] }> {
  const seen = new Map<string, T>()
  const crowded: number[] = []
  let requests = 0
  const visit = async (w: TimeWindow): Promise<void> => {
    checkStop()
    const page = await fetchPage(w)
    requests++
    for (const row of page) if (!seen.has(idOf(row))) seen.set(idOf(row), row)
    if (page.length < limit) return
    if (w.since === w.until) {
      crowded.push(w.since)
      return
    }
    const mid = w.since + Math.floor((w.until - w.since) / 2)
    await visit({ since: w.since, until: mid })
    await visit({ since: mid + 1, until: w.until })
  }
  await visit(window)
  return { rows: [...seen.values()], requests, crowded }
}

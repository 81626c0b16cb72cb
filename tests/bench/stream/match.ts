import type { SentRecord } from './exchange-protocol'

// Matching renderer frames to the depth messages whose state they show (see ../stream-book-latency.ts).

/** Tolerance for the page's and the exchange process's wall clocks (same machine: well under 1 ms apart). */
export const CLOCK_TOLERANCE_MS = 5

/**
 * Index in `list` (one market's send records, in send order) of the depth message whose resulting top levels a
 * frame shows: the newest message sent before the frame arrived with the frame's levels; when earlier
 * consecutive messages left those levels unchanged (a change below the shown depth), the first of that run,
 * i.e. the message that produced what the frame shows. null when nothing in the last 2,000 messages matches.
 */
export function matchFrame(list: readonly SentRecord[], recv: number, key: string): number | null {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]![2] <= recv + CLOCK_TOLERANCE_MS) lo = mid + 1
    else hi = mid
  }
  for (let i = lo - 1, n = 0; i >= 0 && n < 2_000; i--, n++) {
    if (list[i]![3] !== key) continue
    while (i > 0 && list[i - 1]![3] === key) i--
    return i
  }
  return null
}

/** Nearest-rank quantile (NaN for no values). */
export function q(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

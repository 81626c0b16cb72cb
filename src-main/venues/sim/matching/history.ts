// Bounded, append-only history (trades, fills, closed candles): keeps at least the last `capacity` items
// with amortised O(1) appends (the backing array is trimmed only when it reaches twice the capacity).

export class Bounded<T> {
  private items: T[] = []

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`history capacity must be a positive integer`)
  }

  get length(): number {
    return Math.min(this.items.length, this.capacity)
  }

  push(item: T): void {
    this.items.push(item)
    if (this.items.length >= this.capacity * 2) this.items = this.items.slice(-this.capacity)
  }

  last(): T | undefined {
    return this.items[this.items.length - 1]
  }

  /** The retained items, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(-this.capacity)
  }

  /** Items by time: from `since` (inclusive) the first `limit`, otherwise the last `limit`. */
  select(timeOf: (item: T) => number, since?: number, limit?: number): T[] {
    const start = Math.max(0, this.items.length - this.capacity)
    return selectByTime(this.items, start, timeOf, since, limit)
  }
}

/** Over `items[start..]` sorted by time: from `since` the first `limit`, else the last `limit`. */
export function selectByTime<T>(
  items: readonly T[],
  start: number,
  timeOf: (item: T) => number,
  since?: number,
  limit?: number,
): T[] {
  let from = start
  if (since !== undefined) {
    let lo = start
    let hi = items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (timeOf(items[mid] as T) < since) lo = mid + 1
      else hi = mid
    }
    from = lo
    const to = limit !== undefined && limit >= 0 ? Math.min(items.length, from + limit) : items.length
    return items.slice(from, to)
  }
  if (limit !== undefined && limit >= 0) from = Math.max(start, items.length - limit)
  return items.slice(from)
}

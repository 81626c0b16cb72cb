import { numberArray, objectArray } from './array-kinds'

// The priority queues of the trigger index and its trail books: min-first on a numeric key.

// A binary min-heap on a bare pair of arrays (keys[i] is vals[i]'s key), held by its owner (the trigger
// index's thresholds, a trail group's members): one object fewer to reach on a firing tick, and a pop
// reads a few slots of two contiguous arrays. What fires on a tick is found in memory that is cold by then,
// so few cache lines matter more than an O(1) meld (a pairing heap's pop walks every child of its root).

export function pushKeyed<V>(keys: number[], vals: V[], key: number, val: V): void {
  let i = keys.length
  keys.push(key)
  vals.push(val)
  while (i > 0) {
    const p = (i - 1) >> 1
    const pk = keys[p] as number
    if (pk <= key) break
    keys[i] = pk
    vals[i] = vals[p] as V
    i = p
  }
  keys[i] = key
  vals[i] = val
}

/** Removes and returns the value with the smallest key (undefined when empty). */
export function popKeyed<V>(keys: number[], vals: V[]): V | undefined {
  const n = keys.length
  if (n === 0) return undefined
  const top = vals[0] as V
  const lastKey = keys.pop() as number
  const lastVal = vals.pop() as V
  if (n > 1) siftDown(keys, vals, 0, lastKey, lastVal)
  return top
}

/** Keeps only the values `keep` accepts, in place (O(n) rebuild; used to drop lazily deleted entries). */
export function retainKeyed<V>(keys: number[], vals: V[], keep: (val: V) => boolean): void {
  let n = 0
  for (let i = 0; i < keys.length; i++) {
    const v = vals[i] as V
    if (!keep(v)) continue
    keys[n] = keys[i] as number
    vals[n] = v
    n++
  }
  keys.length = vals.length = n
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(keys, vals, i, keys[i] as number, vals[i] as V)
}

function siftDown<V>(keys: number[], vals: V[], start: number, key: number, val: V): void {
  const n = keys.length
  let i = start
  for (;;) {
    let c = 2 * i + 1
    if (c >= n) break
    const r = c + 1
    if (r < n && (keys[r] as number) < (keys[c] as number)) c = r
    const ck = keys[c] as number
    if (ck >= key) break
    keys[i] = ck
    vals[i] = vals[c] as V
    i = c
  }
  keys[i] = key
  vals[i] = val
}

/** A value that knows its slot in a PositionedHeap (−1: not in one). */
export interface Positioned {
  heapPos: number
}

/**
 * A binary min-heap whose values know their slot, so a value's key changes and removals happen in place:
 * no stale or dead entries to pop later (each of those is a cold read on the tick that meets it).
 */
export class PositionedHeap<V extends Positioned> {
  /** The heap's arrays, read-only to others: the trail book's firing loop moves its top in place (siftTop). */
  readonly keys = numberArray()
  readonly vals = objectArray<V>()

  get size(): number {
    return this.keys.length
  }

  /** Smallest key, or +Infinity when empty. */
  peekKey(): number {
    return this.keys.length > 0 ? (this.keys[0] as number) : Infinity
  }

  peek(): V | undefined {
    return this.vals[0]
  }

  /** Inserts `val` with `key`, or moves it to `key` if it is in already. */
  set(val: V, key: number): void {
    const i = val.heapPos
    if (i < 0) {
      this.keys.push(key)
      this.vals.push(val)
      this.up(this.keys.length - 1, key, val)
    } else if (key < (this.keys[i] as number)) this.up(i, key, val)
    else this.down(i, key, val)
  }

  /** Takes `val` out (nothing if it is not in). */
  delete(val: V): void {
    const i = val.heapPos
    if (i < 0) return
    val.heapPos = -1
    const lastKey = this.keys.pop() as number
    const last = this.vals.pop() as V
    if (i === this.keys.length) return
    if (lastKey < (this.keys[i] as number)) this.up(i, lastKey, last)
    else this.down(i, lastKey, last)
  }

  /**
   * The top leaves (`stays` false) or its key grows to `key` (`stays` true): either way what is then at the
   * top sifts down. The trail book's firing loop writes this inline (siftTop in trail-book.ts); this is
   * the same operation, for its tests.
   */
  replaceTop(key: number, stays: boolean): void {
    siftTop(this.keys, this.vals, key, stays)
  }

  /** Removes and returns the value with the smallest key (undefined when empty). */
  pop(): V | undefined {
    const top = this.vals[0]
    if (top !== undefined) this.delete(top)
    return top
  }

  private up(start: number, key: number, val: V): void {
    const keys = this.keys
    const vals = this.vals
    let i = start
    while (i > 0) {
      const p = (i - 1) >> 1
      const pk = keys[p] as number
      if (pk <= key) break
      const pv = vals[p] as V
      keys[i] = pk
      vals[i] = pv
      pv.heapPos = i
      i = p
    }
    keys[i] = key
    vals[i] = val
    val.heapPos = i
  }

  private down(start: number, key: number, val: V): void {
    siftPositioned(this.keys, this.vals, start, key, val)
  }

}

/** PositionedHeap.replaceTop on the heap's arrays (the top must exist). */
export function siftTop<V extends Positioned>(keys: number[], vals: V[], key: number, stays: boolean): void {
  // Alone in the heap: only its key changes (the values array is not read: one cold read fewer on a fire).
  if (stays && keys.length === 1) {
    keys[0] = key
    return
  }
  let val = vals[0] as V
  if (!stays) {
    val.heapPos = -1
    key = keys.pop() as number
    const last = vals.pop() as V
    if (keys.length === 0) return
    val = last
  }
  siftPositioned(keys, vals, 0, key, val)
}

/** Puts `val` with `key` at slot `start` or below it, moving smaller children up (slots kept in heapPos). */
function siftPositioned<V extends Positioned>(keys: number[], vals: V[], start: number, key: number, val: V): void {
  const n = keys.length
  let i = start
  for (;;) {
    let c = 2 * i + 1
    if (c >= n) break
    const r = c + 1
    if (r < n && (keys[r] as number) < (keys[c] as number)) c = r
    const ck = keys[c] as number
    if (ck >= key) break
    const cv = vals[c] as V
    keys[i] = ck
    vals[i] = cv
    cv.heapPos = i
    i = c
  }
  keys[i] = key
  vals[i] = val
  val.heapPos = i
}

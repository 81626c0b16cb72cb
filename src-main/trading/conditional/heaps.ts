// Two small priority queues for the trigger index. Both are min-first on a numeric key.

/** A binary min-heap of (key, value) in two parallel arrays. */
export class KeyedHeap<V> {
  private keys: number[] = []
  private vals: V[] = []

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

  push(key: number, val: V): void {
    const keys = this.keys
    const vals = this.vals
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
  pop(): V | undefined {
    const keys = this.keys
    const vals = this.vals
    const n = keys.length
    if (n === 0) return undefined
    const top = vals[0] as V
    const lastKey = keys.pop() as number
    const lastVal = vals.pop() as V
    if (n > 1) this.siftDown(0, lastKey, lastVal)
    return top
  }

  /** Keeps only the values `keep` accepts (O(n) rebuild; used to drop lazily deleted entries). */
  retain(keep: (val: V) => boolean): void {
    const keys: number[] = []
    const vals: V[] = []
    for (let i = 0; i < this.keys.length; i++) {
      const v = this.vals[i] as V
      if (keep(v)) {
        keys.push(this.keys[i] as number)
        vals.push(v)
      }
    }
    this.keys = keys
    this.vals = vals
    for (let i = (keys.length >> 1) - 1; i >= 0; i--) this.siftDown(i, keys[i] as number, vals[i] as V)
  }

  clear(): void {
    this.keys = []
    this.vals = []
  }

  private siftDown(start: number, key: number, val: V): void {
    const keys = this.keys
    const vals = this.vals
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
}

/** A pairing-heap node: meld is O(1), which lets whole groups of trailing stops merge in one step. */
export interface PairNode<T> {
  key: number
  item: T
  child: PairNode<T> | null
  next: PairNode<T> | null
}

export function meld<T>(a: PairNode<T> | null, b: PairNode<T> | null): PairNode<T> | null {
  if (a === null) return b
  if (b === null) return a
  if (a.key <= b.key) {
    b.next = a.child
    a.child = b
    return a
  }
  a.next = b.child
  b.child = a
  return b
}

/** The heap without its root (two-pass pairing, iterative). */
export function popRoot<T>(root: PairNode<T>): PairNode<T> | null {
  let first = root.child
  root.child = null
  if (first === null) return null
  // Pass 1: meld pairs left to right, keeping the results in a list (reusing `next`).
  let pairs: PairNode<T> | null = null
  while (first !== null) {
    const a: PairNode<T> = first
    const b: PairNode<T> | null = a.next
    first = b === null ? null : b.next
    a.next = null
    if (b !== null) b.next = null
    const m = meld(a, b) as PairNode<T>
    m.next = pairs
    pairs = m
  }
  // Pass 2: meld the pairs right to left (the list is already reversed).
  let acc: PairNode<T> | null = null
  while (pairs !== null) {
    const p: PairNode<T> = pairs
    pairs = p.next
    p.next = null
    acc = meld(acc, p)
  }
  return acc
}

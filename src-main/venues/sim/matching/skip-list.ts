// An ordered map from numeric keys to values: a skip list. O(log n) expected insert, find and delete,
// O(1) access to the smallest key and ordered iteration from it — the shape an order book side needs
// (price levels keyed by integer tick, best level first). Levels are drawn from a small deterministic
// PRNG, so behaviour is reproducible run to run.

const MAX_LEVEL = 24

interface Node<V> {
  key: number
  value: V
  next: Array<Node<V> | null>
}

export class SkipList<V> {
  private readonly head: Node<V>
  private level = 1
  private count = 0
  private seed = 0x2545f491
  /** Scratch for set/delete: the last node before `key` on each level (reused, no allocation per call). */
  private readonly update: Array<Node<V>>

  constructor() {
    this.head = { key: Number.NEGATIVE_INFINITY, value: undefined as unknown as V, next: new Array(MAX_LEVEL).fill(null) }
    this.update = new Array(MAX_LEVEL).fill(this.head)
  }

  get size(): number {
    return this.count
  }

  first(): V | undefined {
    return this.head.next[0]?.value
  }

  get(key: number): V | undefined {
    let node = this.head
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i]
      while (next && next.key < key) {
        node = next
        next = node.next[i]
      }
    }
    const found = node.next[0]
    return found && found.key === key ? found.value : undefined
  }

  /** Inserts or replaces the value at `key`. */
  set(key: number, value: V): void {
    const update = this.update
    let node = this.head
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i]
      while (next && next.key < key) {
        node = next
        next = node.next[i]
      }
      update[i] = node
    }
    const existing = node.next[0]
    if (existing && existing.key === key) {
      existing.value = value
      return
    }
    const lvl = this.randomLevel()
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) update[i] = this.head
      this.level = lvl
    }
    const created: Node<V> = { key, value, next: new Array(lvl).fill(null) }
    for (let i = 0; i < lvl; i++) {
      const prev = update[i] as Node<V>
      created.next[i] = prev.next[i] ?? null
      prev.next[i] = created
    }
    this.count++
  }

  delete(key: number): boolean {
    const update = this.update
    let node = this.head
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i]
      while (next && next.key < key) {
        node = next
        next = node.next[i]
      }
      update[i] = node
    }
    const target = node.next[0]
    if (!target || target.key !== key) return false
    for (let i = 0; i < this.level; i++) {
      const prev = update[i] as Node<V>
      if (prev.next[i] !== target) break
      prev.next[i] = target.next[i] ?? null
    }
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--
    this.count--
    return true
  }

  /** Values in ascending key order. */
  *values(): IterableIterator<V> {
    let node = this.head.next[0] ?? null
    while (node) {
      yield node.value
      node = node.next[0] ?? null
    }
  }

  private randomLevel(): number {
    // xorshift32; each extra level with probability 1/4.
    let lvl = 1
    for (;;) {
      let x = this.seed
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      this.seed = x >>> 0
      if ((this.seed & 3) !== 0 || lvl >= MAX_LEVEL) return lvl
      lvl++
    }
  }
}

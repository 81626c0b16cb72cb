import { type Dec, ZERO } from './decimal'
import type { OrderRecord } from './orders'
import { remainingOf } from './orders'
import { SkipList } from './skip-list'

/** One price level: resting orders in arrival order (a doubly linked FIFO) and their total remaining. */
export class Level {
  total: Dec = ZERO
  count = 0
  head: OrderRecord | null = null
  tail: OrderRecord | null = null

  constructor(
    readonly tick: number,
    readonly price: Dec,
  ) {}

  append(order: OrderRecord): void {
    order.level = this
    order.prev = this.tail
    order.next = null
    if (this.tail) this.tail.next = order
    else this.head = order
    this.tail = order
    this.count++
    this.total = this.total.plus(remainingOf(order))
  }

  /** Unlinks the order; the caller adjusts `total` for what it still had remaining. */
  unlink(order: OrderRecord): void {
    if (order.prev) order.prev.next = order.next
    else this.head = order.next
    if (order.next) order.next.prev = order.prev
    else this.tail = order.prev
    order.prev = null
    order.next = null
    order.level = null
    this.count--
  }

  *orders(): IterableIterator<OrderRecord> {
    let order = this.head
    while (order) {
      const next = order.next
      yield order
      order = next
    }
  }
}

/**
 * One side of a book: levels found by tick in O(1) (a Map) and kept in price order in a skip list
 * (O(log n) insert/delete, best level in O(1)). Bids are keyed by -tick so both sides iterate best first.
 */
export class BookSide {
  private readonly byTick = new Map<number, Level>()
  private readonly sorted = new SkipList<Level>()

  constructor(readonly isBid: boolean) {}

  get levelCount(): number {
    return this.byTick.size
  }

  best(): Level | undefined {
    return this.sorted.first()
  }

  level(tick: number): Level | undefined {
    return this.byTick.get(tick)
  }

  /** Best first. Do not add or remove levels while iterating. */
  levels(): IterableIterator<Level> {
    return this.sorted.values()
  }

  /** Appends the order at the back of its price level, creating the level if needed. */
  add(order: OrderRecord, price: Dec): Level {
    let level = this.byTick.get(order.tick)
    if (!level) {
      level = new Level(order.tick, price)
      this.byTick.set(order.tick, level)
      this.sorted.set(this.key(order.tick), level)
    }
    level.append(order)
    return level
  }

  /** Takes `amount` off the level total (a partial fill of an order that stays at the front). */
  reduce(level: Level, amount: Dec): void {
    level.total = level.total.minus(amount)
  }

  /** Removes the order (with whatever it still had remaining) and drops its level when empty. */
  remove(order: OrderRecord): Level {
    const level = order.level
    if (!level) throw new Error(`order ${order.venueOrderId} is not in the book`)
    level.total = level.total.minus(remainingOf(order))
    level.unlink(order)
    if (level.count === 0) {
      level.total = ZERO
      this.byTick.delete(level.tick)
      this.sorted.delete(this.key(level.tick))
    }
    return level
  }

  private key(tick: number): number {
    return this.isBid ? -tick : tick
  }
}

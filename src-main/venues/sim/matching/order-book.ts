import type { BookLevel, BookSnapshot, Side } from '../../port'
import type { SimEvent } from '../engine-api'
import { type Dec, fmt } from './decimal'
import { BookSide, type Level } from './book-side'
import type { OrderRecord } from './orders'

type BookEvent = Extract<SimEvent, { type: 'book' }>

/**
 * A market's order book. Every level whose total changes is remembered until `flush`, which turns them into
 * one 'book' event. Each changed level consumes one update id, so an event covers firstSeq..seq with
 * seq - firstSeq + 1 = number of levels in it, and consecutive events have no gaps.
 */
export class OrderBook {
  readonly bids = new BookSide(true)
  readonly asks = new BookSide(false)
  /** Last update id. */
  seq = 0
  private readonly changedBids = new Map<number, Level>()
  private readonly changedAsks = new Map<number, Level>()

  constructor(
    readonly symbol: string,
    private readonly priceDp: number,
    private readonly amountDp: number,
  ) {}

  side(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks
  }

  opposite(side: Side): BookSide {
    return side === 'buy' ? this.asks : this.bids
  }

  add(order: OrderRecord, price: Dec): void {
    const level = this.side(order.side).add(order, price)
    this.mark(order.side, level)
  }

  remove(order: OrderRecord): void {
    const level = this.side(order.side).remove(order)
    this.mark(order.side, level)
  }

  /** A resting order traded `amount` and stays in place. */
  reduce(order: OrderRecord, amount: Dec): void {
    const level = order.level
    if (!level) throw new Error(`order ${order.venueOrderId} is not in the book`)
    this.side(order.side).reduce(level, amount)
    this.mark(order.side, level)
  }

  get hasChanges(): boolean {
    return this.changedBids.size > 0 || this.changedAsks.size > 0
  }

  /** The changes since the last flush as one event (or null), advancing the update id. */
  flush(timestamp: number): BookEvent | null {
    if (!this.hasChanges) return null
    const bids = this.changedLevels(this.changedBids, true)
    const asks = this.changedLevels(this.changedAsks, false)
    this.changedBids.clear()
    this.changedAsks.clear()
    const firstSeq = this.seq + 1
    this.seq += bids.length + asks.length
    return { type: 'book', symbol: this.symbol, firstSeq, seq: this.seq, bids, asks, timestamp }
  }

  /** Restore only: forget the changes made while rebuilding the book (no event, no update id). */
  discardChanges(): void {
    this.changedBids.clear()
    this.changedAsks.clear()
  }

  snapshot(depth: number | undefined, timestamp: number): BookSnapshot {
    return {
      symbol: this.symbol,
      bids: this.top(this.bids, depth),
      asks: this.top(this.asks, depth),
      sequence: this.seq,
      timestamp,
    }
  }

  /** True when the best bid is at or above the best ask (must never be true between calls). */
  isCrossed(): boolean {
    const bid = this.bids.best()
    const ask = this.asks.best()
    return bid !== undefined && ask !== undefined && bid.tick >= ask.tick
  }

  private top(side: BookSide, depth: number | undefined): BookLevel[] {
    const out: BookLevel[] = []
    const max = depth === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(depth))
    if (max === 0) return out
    for (const level of side.levels()) {
      out.push([fmt(level.price, this.priceDp), fmt(level.total, this.amountDp)])
      if (out.length >= max) break
    }
    return out
  }

  private mark(side: Side, level: Level): void {
    ;(side === 'buy' ? this.changedBids : this.changedAsks).set(level.tick, level)
  }

  private changedLevels(changed: Map<number, Level>, isBid: boolean): BookLevel[] {
    const levels = [...changed.values()].sort((a, b) => (isBid ? b.tick - a.tick : a.tick - b.tick))
    // A level removed from the book has count 0; its total is reported as 0.
    return levels.map((l) => [fmt(l.price, this.priceDp), l.count === 0 ? '0' : fmt(l.total, this.amountDp)])
  }
}

import type { Side } from '../port'
import { D, ZERO, minD, type D as Dec } from './decimal'
import { oppositeOf, type BookSideName, type PaperBook } from './market-source'

// ── The paper matching model ────────────────────────────────────────────────────────────────────────────
// Paper orders are matched locally against the source venue's live book and public trades; nothing is
// ever sent to the venue. The venue's book does not contain our orders, so what they would have done is
// approximated:
//
// Taking (market orders, the marketable part of a limit order): the order walks the visible opposite side
//   best level first, up to its amount and (limit orders) not past its limit price, each level filling at
//   its own price with the market's taker fee. A market order is immediate-or-cancel (what the visible book
//   cannot fill expires); FOK fills in full against the visible book or is refused; post-only is refused
//   when the opposite best is at or through its price.
// Liquidity we took is remembered per level (TakenLiquidity below), because the venue keeps showing it:
//   a level's taken amount is what we took from it, reduced first when the venue shows the level shrinking
//   (it was traded or cancelled away), kept when it grows (newcomers queue behind), forgotten when the
//   level leaves the book. Takers and resting orders see a level's size minus what is taken, so the same
//   visible size never fills us twice.
// Resting (the rest of a GTC limit order): the order joins the back of its price level: the queue ahead of
//   it is the size the live book shows at its price at that moment, plus our own earlier orders resting at
//   that price. Restored at start, an order rejoins at the back of the queue when its book is first live.
//   An order priced beyond the last level its side of the book shows (the book holds a limited depth) has
//   an unknown queue: it joins the back of it once the book shows its price in range, placed or restored.
//   Then:
//   - a public trade THROUGH its price (below a buy's price, above a sell's) means the whole level traded
//     away: the queue ahead is gone and the order fills by as much as that trade's amount (the taker that
//     printed through would have met our order first);
//   - a public trade AT its price first consumes the queue ahead, and what is left of the trade fills the
//     order (as maker, at its price);
//   - one trade fills our orders of a side by its amount at most, in total: they share it best price first,
//     then oldest, so what our orders at better prices took is not there for the queue at the printed price
//     nor for our orders in it;
//   - a live opposite side at or through its price (asks ≤ a buy's price) means sellers stand where we
//     bid: the order fills, at its own price as maker, from that crossing liquidity (less what is taken);
//   - the queue ahead never exceeds what the live book shows at the price (plus our own earlier orders
//     there): size leaving the level is assumed to leave from ahead of us (cancellations and trades);
//   - the book and the trades come on separate streams, so the book may show a level shrinking before the
//     trade that shrank it arrives: each cut the book makes in the queue is remembered for BOOK_CUT_MS from
//     when the book showed it, and a trade at the price first uses those up, oldest first (already taken
//     off) before consuming the queue. A cut no trade explains in that time was a cancellation and is
//     forgotten, each on its own (a level losing size to cancels every second keeps no old cut alive).
//     Only the venue's level shrinking is such a cut: our own earlier order at the price leaving (cancelled,
//     or filled from crossing liquidity) shortens the queue with no trade to come.
//     When trades come first (the simulated exchange) the book finds the queue already short and cuts nothing.
//   - a public trade whose taker is of the order's own side (a buyer, for a resting buy) never fills it nor
//     consumes its queue: it lifted opposite liquidity at or through the order's price, which the order
//     already met from the book (taken at placement, or crossing it as maker). Netting such a trade against
//     what we took would not do: the venue may drop the level from its book (and we forget what we took
//     there) before its trade arrives. Liquidity posted and lifted between two books is missed (too little
//     filled, never twice).
// Money: fees are the market's maker/taker rates on the quote value, charged in the quote asset (the paper
//   venue's markets say so, MarketInfo.feeIn 'quote': the ticket estimates and sizes by it). A buy resting
//   reserves price × amount × (1 + maker fee) of the quote; a sell reserves its base amount; a sell of any
//   kind needs its whole amount free.
// Books that are not live match nothing: orders are refused ("paper orders need a live book: <reason>")
//   and resting orders only fill from public trades while their book is not live.

export interface TakerFill {
  price: Dec
  amount: Dec
}

export interface TakerPlan {
  fills: TakerFill[]
  filled: Dec
  /** Quote value of the fills, fees excluded. */
  cost: Dec
}

interface TakenEntry {
  seen: Dec
  taken: Dec
}

/** What our orders took from each visible level, per side, kept while the venue still shows it. */
export class TakenLiquidity {
  private readonly sides: Record<BookSideName, Map<string, TakenEntry>> = { bids: new Map(), asks: new Map() }

  /** Size of a level available to us now: its visible size less what we took (adjusted to the level's changes). */
  available(side: BookSideName, price: Dec, size: Dec): Dec {
    const key = price.toFixed()
    const entry = this.sides[side].get(key)
    if (entry === undefined) return size
    if (size.lt(entry.seen)) entry.taken = D.max(ZERO, entry.taken.minus(entry.seen.minus(size)))
    entry.seen = size
    if (entry.taken.isZero()) {
      this.sides[side].delete(key)
      return size
    }
    return D.max(ZERO, size.minus(entry.taken))
  }

  take(side: BookSideName, price: Dec, size: Dec, amount: Dec): void {
    const key = price.toFixed()
    const entry = this.sides[side].get(key)
    if (entry === undefined) this.sides[side].set(key, { seen: size, taken: amount })
    else entry.taken = entry.taken.plus(amount)
  }

  /** Follows every change of the levels we took from (called on each live book change); forgets levels gone. */
  refresh(book: PaperBook): void {
    for (const side of ['bids', 'asks'] as const) {
      for (const key of [...this.sides[side].keys()]) {
        const price = new D(key)
        const size = book.sizeAt(side, price)
        if (size.isZero()) this.sides[side].delete(key)
        else this.available(side, price, size)
      }
    }
  }

  get size(): number {
    return this.sides.bids.size + this.sides.asks.size
  }
}

/** True when `price` is at or better than `limit` for a taker of `side` (a buy pays ≤ limit). */
export function withinLimit(side: Side, price: Dec, limit: Dec): boolean {
  return side === 'buy' ? price.lte(limit) : price.gte(limit)
}

/**
 * Walks the opposite side of the book for a taker of `side`: best level first, up to `amount`, not past
 * `limit` (when given), each level as available to us (TakenLiquidity). Reads only; `commitTaken` records it.
 */
export function planTaker(book: PaperBook, side: Side, amount: Dec, limit: Dec | null, taken: TakenLiquidity): TakerPlan {
  const from = oppositeOf(side)
  const fills: TakerFill[] = []
  let filled = ZERO
  let cost = ZERO
  for (let rank = 0; filled.lt(amount); rank++) {
    const level = book.level(from, rank)
    if (level === undefined) break
    const price = new D(level[0])
    if (limit !== null && !withinLimit(side, price, limit)) break
    const size = taken.available(from, price, new D(level[1]))
    if (size.lte(0)) continue
    const take = minD(size, amount.minus(filled))
    fills.push({ price, amount: take })
    filled = filled.plus(take)
    cost = cost.plus(take.times(price))
  }
  return { fills, filled, cost }
}

/** Records a taker plan's fills as taken from the levels they came from. */
export function commitTaken(book: PaperBook, side: Side, plan: TakerPlan, taken: TakenLiquidity): void {
  const from = oppositeOf(side)
  for (const f of plan.fills) taken.take(from, f.price, book.sizeAt(from, f.price), f.amount)
}

/** A resting order as the queue model sees it. */
export interface Resting {
  side: Side
  price: Dec
  remaining: Dec
  /** Size ahead of it at its price; null until it joins (its book live). */
  queueAhead: Dec | null
  /** What the book took off its queue that no trade at its price has explained yet (see BOOK_CUT_MS). */
  bookCut?: Dec
}

/** How long a cut of the queue by the book waits for the trade that explains it. */
export const BOOK_CUT_MS = 2000

/**
 * What one public trade does to one resting order: the amount it fills and the queue left ahead.
 * `trade.left` is what is left of the trade for our orders of this side, shared by them: call it for them
 * best price first, then oldest. Orders the trade printed through take from it first (the taker would have
 * met them before reaching the printed price); orders at the printed price get what is left after their
 * queue ahead. Those do not take from `left` themselves: each one's queue ahead already counts our own
 * earlier orders at that price, so each measures its place against the same amount.
 */
export function applyTrade(order: Resting, trade: { price: Dec; left: Dec }): { fill: Dec; queueAhead: Dec | null; bookCut: Dec } {
  const cut = order.bookCut ?? ZERO
  const cmp = trade.price.cmp(order.price)
  const beyond = order.side === 'buy' ? cmp < 0 : cmp > 0
  if (beyond) {
    const fill = minD(order.remaining, trade.left)
    trade.left = trade.left.minus(fill)
    return { fill, queueAhead: ZERO, bookCut: ZERO }
  }
  if (cmp !== 0 || order.queueAhead === null) return { fill: ZERO, queueAhead: order.queueAhead, bookCut: cut }
  // The part of the trade the book already took off the queue does not consume it again.
  const explained = minD(cut, trade.left)
  const left = trade.left.minus(explained)
  const consumed = minD(order.queueAhead, left)
  return { fill: minD(order.remaining, left.minus(consumed)), queueAhead: order.queueAhead.minus(consumed), bookCut: cut.minus(explained) }
}

/** Crossing liquidity available to a resting order: opposite levels at or through its price, less what is taken. */
export function crossingFill(book: PaperBook, order: Resting, taken: TakenLiquidity): TakerPlan {
  // A resting buy at P meets sellers at ≤ P exactly like a taker buy limited at P would.
  return planTaker(book, order.side, order.remaining, order.price, taken)
}

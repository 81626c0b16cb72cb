import Decimal from 'decimal.js'
import { isCatchUp } from './ids'
import type { CopyRecordStatus } from '../api/schemas/copy'
import type { Side } from '../venues/port'

// A relationship's positions and P&L, derived from its copy records (what each follower order filled).
// Average cost: a buy adds to the position at its price, a sell realizes (price − average cost) × amount.
// Fees are in: a buy holds what arrived (less a fee taken in the coin bought) at all it cost (plus a fee in
// the quote), a sale's proceeds are less its fee in the quote. Fees in a third asset (BNB…) are left out.
// "committed" counts what is still on its way (a pending copy at its sent amount), so two leader fills in
// quick succession never size against a position that is about to change.

export class AvgCost {
  qty = new Decimal(0)
  cost = new Decimal(0)
  realized = new Decimal(0)

  trade(side: Side, amount: Decimal, price: Decimal): void {
    if (amount.lte(0)) return
    if (side === 'buy') this.buy(amount, amount.times(price))
    else this.sell(amount, amount.times(price))
  }

  /**
   * Adds `amount` for a total `cost`. A negative amount with no cost is a fee in the coin bought reported
   * after its fill: the position shrinks, what it cost stays.
   */
  buy(amount: Decimal, cost: Decimal): void {
    if (amount.isZero() && cost.isZero()) return
    this.qty = Decimal.max(this.qty.plus(amount), 0)
    this.cost = this.cost.plus(cost)
    if (this.qty.isZero()) {
      // Nothing left to carry the cost: it is lost.
      this.realized = this.realized.minus(this.cost)
      this.cost = new Decimal(0)
    }
  }

  /** Sells `amount` for `proceeds` (fees out). No amount: a fee reported after its fill comes off the realized. */
  sell(amount: Decimal, proceeds: Decimal): void {
    if (amount.lte(0)) {
      this.realized = this.realized.plus(proceeds)
      return
    }
    const sold = Decimal.min(amount, this.qty)
    if (sold.lte(0)) return
    const avg = this.cost.div(this.qty)
    this.realized = this.realized.plus(proceeds.times(sold).div(amount)).minus(avg.times(sold))
    this.cost = this.cost.minus(avg.times(sold))
    this.qty = this.qty.minus(sold)
    if (this.qty.isZero()) this.cost = new Decimal(0)
  }

  /**
   * Takes `amount` off the position at its average cost: coins that left the account outside the copies
   * (sold by hand, used by another strategy) bring no P&L here — whatever they fetched is not the copies'.
   */
  remove(amount: Decimal): void {
    const gone = Decimal.min(amount, this.qty)
    if (gone.lte(0)) return
    const avg = this.cost.div(this.qty)
    this.cost = this.cost.minus(avg.times(gone))
    this.qty = this.qty.minus(gone)
    if (this.qty.isZero()) this.cost = new Decimal(0)
  }

  /** Realized + unrealized at the mark (the last known price when there is no mark). */
  pnl(mark: Decimal | null): Decimal {
    if (this.qty.isZero() || mark === null) return this.realized
    return this.realized.plus(mark.times(this.qty).minus(this.cost))
  }
}

export interface RecordFacts {
  leaderSymbol: string
  /** A catch-up's (`catch-up:` …) says how much of it the drift's expected position counts. */
  leaderTradeId?: string
  followerSymbol: string | null
  side: Side
  status: CopyRecordStatus
  intendedAmount: string | null
  followerAmount: string | null
  followerFilled: string
  followerCost: string
  /** A buy's fee taken in the coin bought: not held. */
  followerBaseFee?: string | null
  /** Fees paid in the market's quote: a buy cost that much more, a sale brought that much less. */
  followerQuoteFee?: string | null
  leaderPrice: string
  /** Coins the copies held that the account no longer had when this sale was decided: off the book at cost. */
  followerRemoved?: string | null
  /** One unit of the quote in USDT when the fill was booked; null/absent: counted at today's rate. */
  followerQuoteRate?: string | null
  /**
   * The price the decision valued the copy at, on the follower's market in its quote (absent on old
   * records): a pending copy is worth this, not the leader's price — another quote or another venue's.
   */
  referencePrice?: string | null
}

export interface MarketBook {
  leaderSymbol: string
  followerSymbol: string
  /** Filled net position (base). */
  held: Decimal
  /** held, plus pending copies at their sent amount (what sizing and reductions use). */
  committed: Decimal
  /** Σ of what each copy intended (buys +, sells −): the position if every copy had been exact. */
  expected: Decimal
  /** In the quote (BTC for ETH/BTC): realized P&L here is pnl.realized, split below by how it is valued. */
  pnl: AvgCost
  /** Realized P&L in USDT, each fill's part at the quote's rate when that fill was booked. */
  realizedAtFills: Decimal
  /**
   * Realized P&L in the quote from fills booked without a rate (records stored before rates were kept, or
   * the quote's value not known then): converted at today's rate, the only one known for them.
   */
  realizedUnrated: Decimal
  /** The latest price a copy in this market was valued at (fill average, else the decision's reference price). */
  lastPrice: Decimal
}

/**
 * Positions per follower market, kept up to date record by record: `update(previous, next)` takes a record's
 * change (previous null for a new record). Sums (held, committed, expected) move by the difference; P&L takes
 * the newly filled part at its own price, in the order fills become known.
 */
export class CopyBook {
  readonly markets = new Map<string, MarketBook>()

  update(previous: RecordFacts | null, next: RecordFacts): void {
    if (next.followerSymbol === null) return
    let m = this.markets.get(next.followerSymbol)
    if (!m) {
      m = {
        leaderSymbol: next.leaderSymbol,
        followerSymbol: next.followerSymbol,
        held: new Decimal(0),
        committed: new Decimal(0),
        expected: new Decimal(0),
        pnl: new AvgCost(),
        realizedAtFills: new Decimal(0),
        realizedUnrated: new Decimal(0),
        lastPrice: new Decimal(next.referencePrice ?? next.leaderPrice),
      }
      this.markets.set(next.followerSymbol, m)
    }
    const sign = next.side === 'buy' ? 1 : -1
    const was = previous ?? empty(next)
    m.expected = m.expected.plus(expectedOf(next).minus(expectedOf(was)).times(sign))
    m.committed = m.committed.plus(committedOf(next).minus(committedOf(was)).times(sign))
    const filled = new Decimal(next.followerFilled).minus(was.followerFilled)
    const held = heldOf(next).minus(heldOf(was))
    m.held = m.held.plus(held.times(sign))
    // Coins gone from the account (a sale's record says so): off the position first, at what they cost.
    const realizedBefore = m.pnl.realized
    const removed = removedOf(next).minus(removedOf(was))
    if (!removed.isZero()) {
      m.held = m.held.minus(removed)
      m.committed = m.committed.minus(removed)
      m.pnl.remove(removed)
    }
    // P&L: what the account got or gave, fees in (a buy's coin fee is not held; quote fees cost money).
    const money = netCostOf(next).minus(netCostOf(was))
    if (next.side === 'buy') m.pnl.buy(held, money)
    else m.pnl.sell(held, money)
    // A BTC profit taken in March is worth what BTC was then: BTC moving since is no gain or loss of the copies.
    const realized = m.pnl.realized.minus(realizedBefore)
    if (!realized.isZero()) {
      if (next.followerQuoteRate) m.realizedAtFills = m.realizedAtFills.plus(realized.times(next.followerQuoteRate))
      else m.realizedUnrated = m.realizedUnrated.plus(realized)
    }
    if (filled.gt(0)) {
      m.lastPrice = new Decimal(next.followerCost).minus(was.followerCost).div(filled)
    } else if (previous === null && next.status !== 'skipped' && next.referencePrice) {
      // A copy on its way: the follower's price it was sized at (the leader's may be in another quote).
      m.lastPrice = new Decimal(next.referencePrice)
    }
  }
}

function empty(r: RecordFacts): RecordFacts {
  return { ...r, status: 'skipped', intendedAmount: null, followerAmount: null, followerFilled: '0', followerCost: '0', followerBaseFee: null, followerQuoteFee: null, followerRemoved: null }
}

function removedOf(r: RecordFacts): Decimal {
  return r.followerRemoved ? new Decimal(r.followerRemoved) : new Decimal(0)
}

function expectedOf(r: RecordFacts): Decimal {
  if (r.status === 'skipped' || r.intendedAmount === null) return new Decimal(0)
  // A catch-up not placed, or ended part-filled, is tried again for the rest (catch-up.ts): its intended
  // amount counted on every try would expect the same sales made up twice. It counts what it settled.
  if (isCatchUp(r) && r.status !== 'pending' && r.status !== 'copied') return r.status === 'partial' ? new Decimal(r.followerFilled) : new Decimal(0)
  return new Decimal(r.intendedAmount)
}

/** What a copy's fills put in the account: a buy's fee taken in the coin bought stays with the venue. */
function heldOf(r: RecordFacts): Decimal {
  const filled = new Decimal(r.followerFilled)
  return r.side === 'buy' && r.followerBaseFee ? Decimal.max(filled.minus(r.followerBaseFee), 0) : filled
}

/** What a buy paid, or a sale brought in, in the quote: the fills' cost, a quote fee added to / taken from it. */
function netCostOf(r: RecordFacts): Decimal {
  const cost = new Decimal(r.followerCost)
  if (!r.followerQuoteFee) return cost
  return r.side === 'buy' ? cost.plus(r.followerQuoteFee) : cost.minus(r.followerQuoteFee)
}

/** Held, plus what is still on its way while pending. */
function committedOf(r: RecordFacts): Decimal {
  const held = heldOf(r)
  if (r.status !== 'pending') return held
  return Decimal.max(new Decimal(r.followerAmount ?? '0'), held)
}

/** Positions per follower market, from the records oldest first. */
export function buildBook(records: Iterable<RecordFacts>): Map<string, MarketBook> {
  const book = new CopyBook()
  for (const r of records) book.update(null, r)
  return book.markets
}

/** Markets holding something (committed > 0). */
export function openPositionCount(book: Map<string, MarketBook>): number {
  let n = 0
  for (const m of book.values()) if (m.committed.gt(0)) n++
  return n
}

/** Value of one unit of a quote asset in the valuation currency (USDT); null when unknown. */
export type QuoteValue = (quote: string) => Decimal | null

const quoteOf = (symbol: string): string => symbol.split('/')[1]?.split(':')[0] ?? symbol

/**
 * Value committed, at each market's mark (missing: its last price), in the valuation currency (markets
 * quoted in BTC, ETH, … are converted; a market whose quote cannot be valued is left out).
 */
export function committedValue(book: Map<string, MarketBook>, quoteValue: QuoteValue, marks: ReadonlyMap<string, Decimal | null> = new Map()): Decimal {
  let sum = new Decimal(0)
  for (const m of book.values()) {
    if (!m.committed.gt(0)) continue
    const unit = quoteValue(quoteOf(m.followerSymbol))
    if (unit !== null) sum = sum.plus(m.committed.times(marks.get(m.followerSymbol) ?? m.lastPrice).times(unit))
  }
  return sum
}

/**
 * Total P&L over the markets in the valuation currency: realized at each fill's rate, what is still open at
 * its mark (missing marks: the market's last copy price) and today's rate. A market whose quote cannot be
 * valued now counts only what its fills realized at their rates.
 */
export function bookPnl(book: Map<string, MarketBook>, quoteValue: QuoteValue, marks: ReadonlyMap<string, Decimal | null> = new Map()): Decimal {
  let sum = new Decimal(0)
  for (const m of book.values()) {
    sum = sum.plus(m.realizedAtFills)
    const unit = quoteValue(quoteOf(m.followerSymbol))
    if (unit === null) continue
    const open = m.pnl.pnl(marks.get(m.followerSymbol) ?? m.lastPrice).minus(m.pnl.realized)
    sum = sum.plus(open.plus(m.realizedUnrated).times(unit))
  }
  return sum
}

import Decimal from 'decimal.js'
import type { CopyRecordStatus } from '../api/schemas/copy'
import type { Side } from '../venues/port'

// A relationship's positions and P&L, derived from its copy records (what each follower order filled).
// Average cost: a buy adds to the position at its price, a sell realizes (price − average cost) × amount.
// "committed" counts what is still on its way (a pending copy at its sent amount), so two leader fills in
// quick succession never size against a position that is about to change.

export class AvgCost {
  qty = new Decimal(0)
  cost = new Decimal(0)
  realized = new Decimal(0)

  trade(side: Side, amount: Decimal, price: Decimal): void {
    if (amount.lte(0)) return
    if (side === 'buy') {
      this.qty = this.qty.plus(amount)
      this.cost = this.cost.plus(amount.times(price))
      return
    }
    const sold = Decimal.min(amount, this.qty)
    if (sold.lte(0)) return
    const avg = this.cost.div(this.qty)
    this.realized = this.realized.plus(price.minus(avg).times(sold))
    this.cost = this.cost.minus(avg.times(sold))
    this.qty = this.qty.minus(sold)
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
  followerSymbol: string | null
  side: Side
  status: CopyRecordStatus
  intendedAmount: string | null
  followerAmount: string | null
  followerFilled: string
  followerCost: string
  /** A buy's fee taken in the coin bought: not held. */
  followerBaseFee?: string | null
  leaderPrice: string
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
  pnl: AvgCost
  /** The latest price a copy in this market was valued at (fill average, else the leader's price). */
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
        lastPrice: new Decimal(next.leaderPrice),
      }
      this.markets.set(next.followerSymbol, m)
    }
    const sign = next.side === 'buy' ? 1 : -1
    const was = previous ?? empty(next)
    m.expected = m.expected.plus(expectedOf(next).minus(expectedOf(was)).times(sign))
    m.committed = m.committed.plus(committedOf(next).minus(committedOf(was)).times(sign))
    const filled = new Decimal(next.followerFilled).minus(was.followerFilled)
    m.held = m.held.plus(heldOf(next).minus(heldOf(was)).times(sign))
    if (filled.gt(0)) {
      const price = new Decimal(next.followerCost).minus(was.followerCost).div(filled)
      m.pnl.trade(next.side, filled, price)
      m.lastPrice = price
    } else if (previous === null && next.status !== 'skipped') {
      m.lastPrice = new Decimal(next.leaderPrice)
    }
  }
}

function empty(r: RecordFacts): RecordFacts {
  return { ...r, status: 'skipped', intendedAmount: null, followerAmount: null, followerFilled: '0', followerCost: '0', followerBaseFee: null }
}

function expectedOf(r: RecordFacts): Decimal {
  return r.status === 'skipped' || r.intendedAmount === null ? new Decimal(0) : new Decimal(r.intendedAmount)
}

/** What a copy's fills put in the account: a buy's fee taken in the coin bought stays with the venue. */
function heldOf(r: RecordFacts): Decimal {
  const filled = new Decimal(r.followerFilled)
  return r.side === 'buy' && r.followerBaseFee ? Decimal.max(filled.minus(r.followerBaseFee), 0) : filled
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
 * Value committed, at each market's last price, in the valuation currency (markets quoted in BTC, ETH, …
 * are converted; a market whose quote cannot be valued is left out).
 */
export function committedValue(book: Map<string, MarketBook>, quoteValue: QuoteValue): Decimal {
  let sum = new Decimal(0)
  for (const m of book.values()) {
    if (!m.committed.gt(0)) continue
    const unit = quoteValue(quoteOf(m.followerSymbol))
    if (unit !== null) sum = sum.plus(m.committed.times(m.lastPrice).times(unit))
  }
  return sum
}

/** Total P&L over the markets in the valuation currency, each at its mark (missing marks: the market's last copy price). */
export function bookPnl(book: Map<string, MarketBook>, quoteValue: QuoteValue, marks: ReadonlyMap<string, Decimal | null> = new Map()): Decimal {
  let sum = new Decimal(0)
  for (const m of book.values()) {
    const unit = quoteValue(quoteOf(m.followerSymbol))
    if (unit !== null) sum = sum.plus(m.pnl.pnl(marks.get(m.followerSymbol) ?? m.lastPrice).times(unit))
  }
  return sum
}

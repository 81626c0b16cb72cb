import Decimal from 'decimal.js'
import { CopyBook, type RecordFacts } from './book'
import { isCatchUp } from './ids'
import type { Sizing } from '../api/schemas/copy'

// Pure: what the copies still owe for the leader's sales skipped while its position was unknown (its balance
// could not be read: rule "leader-position"). Once a read succeeds, each of those sales' share of the
// leader's position is known (the position before it is counted back from the read), so what the copy would
// have sold is too. Walking the market's records in order (follower units):
//   - a skipped sale owes its share f = min(sold / leader's position before, 1) of what the copy should have
//     held then (held − owed so far);
//   - a buy owes nothing (its size never depended on the position);
//   - another sale (copied with a known position) sold its share of what was held: what is owed shrinks by
//     the same fraction;
//   - a catch-up whose decision found coins gone from the account (they left the book) shrinks it as a sale
//     does; then a catch-up sent (pending, copied) settles all that was owed — the step's rounding remainder included,
//     else dust would be retried forever; so does one not placed because all it owed rounds to nothing at the
//     step (`dustCatchUp`: nothing of it can ever be sold); a partial one settles what it filled; a refused
//     one nothing.
// The result never exceeds what the copies hold. The positions before the skipped sales are counted back from
// a later read, so coins that moved without a fill between (a deposit, a withdrawal, the coin traded in
// another market) move them too and a sale's share can come out wrong (up to all of the copy): `capToTarget`
// bounds what is sold by the present, known state — never below the copies' share of the leader's position
// just read (`presentTarget`). A cut catch-up settles the rest (the present target is met); one cut to nothing
// is recorded skipped "no-position" with amount 0 and settles as a sent one (`settledUnplaced`).

export { CATCH_UP_PREFIX, isCatchUp } from './ids'

/**
 * A catch-up not placed because what was owed is less than one step of the market (it rounds to 0): settled
 * as a sent one's rounding remainder is. Below the minimum amount or order is not: those can drop (or the
 * price rise) and it is tried again.
 */
export const dustCatchUp = (r: { status: string; rule: string | null; followerAmount: string | null }): boolean =>
  r.status === 'skipped' && r.rule === 'market-rules' && r.followerAmount !== null && new Decimal(r.followerAmount).isZero()

/** A catch-up not placed that settles what was owed: dust (above), or cut to nothing by the present target. */
export const settledUnplaced = (r: { status: string; rule: string | null; followerAmount: string | null }): boolean =>
  dustCatchUp(r) || (r.status === 'skipped' && r.rule === 'no-position' && r.followerAmount !== null && new Decimal(r.followerAmount).isZero())

/**
 * The copies' share of the leader's position now (follower base, exact): the sizing's ratio × the position
 * just read — multiplier: its value; proportional: follower ÷ leader equity (null when either is not known);
 * fixed quote: no ratio of positions (null: not bounded this way). Proportional counts coins at one price: a
 * leader venue pricing the coin differently (decide sizes buys by value) moves its target by that ratio.
 */
export function presentTarget(sizing: Sizing, leaderNow: Decimal, equity: { follower: Decimal | null; leader: Decimal | null }): Decimal | null {
  switch (sizing.mode) {
    case 'multiplier':
      return leaderNow.times(sizing.value)
    case 'proportional':
      if (equity.follower === null || equity.leader === null || !equity.leader.gt(0)) return null
      return leaderNow.times(equity.follower).div(equity.leader)
    case 'fixed-quote':
      return null
  }
}

/** catch-up = min(owed, max(0, held − target)); `capped` when the target cut it. A null target bounds nothing. */
export function capToTarget(owed: Decimal, held: Decimal, target: Decimal | null): { amount: Decimal; capped: boolean } {
  if (target === null) return { amount: owed, capped: false }
  const room = Decimal.max(held.minus(target), 0)
  return room.lt(owed) ? { amount: room, capped: true } : { amount: owed, capped: false }
}

export interface CatchUpFacts extends RecordFacts {
  leaderTradeId: string
  leaderAmount: string
  rule: string | null
}

export interface Owed {
  /** Follower base to sell (exact, not rounded to the step). */
  amount: Decimal
  /** What the copies hold now (committed: pending copies counted). */
  held: Decimal
  /** The skipped sales made up, and what the leader sold in them. */
  sales: number
  leaderSold: Decimal
  /** What the leader sold them for (Σ amount × price): their average price is leaderCost / leaderSold. */
  leaderCost: Decimal
}

/**
 * `records`: the relationship's records in the follower market, oldest first. `positionBefore`: the leader's
 * position before its fill `tradeId` in `leaderSymbol` (null: still not known — that sale cannot be sized yet
 * and nothing is made up).
 */
export function owedSales(records: readonly CatchUpFacts[], leaderSymbol: string, positionBefore: (tradeId: string) => Decimal | null): Owed | null {
  const book = new CopyBook()
  let owed = new Decimal(0)
  let sales = 0
  let leaderSold = new Decimal(0)
  let leaderCost = new Decimal(0)
  let held = new Decimal(0)
  for (const r of records) {
    const before = held
    book.update(null, r)
    held = r.followerSymbol === null ? held : (book.markets.get(r.followerSymbol)?.committed ?? held)
    if (r.side === 'buy') continue
    if (isCatchUp(r)) {
      // Coins its decision found gone from the account (sold by hand) left the copies' book with it: what is
      // owed shrinks with what was held, as at any sale, before what it sold settles any.
      const removed = r.followerRemoved ? new Decimal(r.followerRemoved) : new Decimal(0)
      if (removed.gt(0) && before.gt(0)) owed = owed.times(Decimal.max(before.minus(removed), 0)).div(before)
      if (r.status === 'pending' || r.status === 'copied' || settledUnplaced(r)) owed = new Decimal(0)
      else if (r.status === 'partial') owed = Decimal.max(owed.minus(r.followerFilled), 0)
      if (owed.isZero()) {
        sales = 0
        leaderSold = new Decimal(0)
        leaderCost = new Decimal(0)
      }
      continue
    }
    if (r.status === 'skipped' && r.rule === 'leader-position' && r.leaderSymbol === leaderSymbol) {
      const position = positionBefore(r.leaderTradeId)
      if (position === null) return null
      const sold = new Decimal(r.leaderAmount)
      const share = position.lte(sold) ? new Decimal(1) : sold.div(position)
      owed = owed.plus(Decimal.max(held.minus(owed), 0).times(share))
      sales++
      leaderSold = leaderSold.plus(sold)
      leaderCost = leaderCost.plus(sold.times(r.leaderPrice))
      continue
    }
    // A sale sized on a known position: what is owed shrinks with what was held.
    if (before.gt(0) && !owed.isZero()) owed = owed.times(Decimal.max(held, 0)).div(before)
  }
  if (sales === 0 || !owed.gt(0) || !held.gt(0)) return null
  return { amount: Decimal.min(owed, held), held, sales, leaderSold, leaderCost }
}

import Decimal from 'decimal.js'
import type { FollowSettings, FollowStatus, SkipRule } from '../api/schemas/copy'
import type { MarketInfo, Side } from '../venues/port'
import { VALUATION_ASSET } from '../venues/valuation'
import { quoteBelowText } from './quote-text'

// The copy decision, pure: one leader fill and one relationship's settings and state in, one follower
// order (or the rule that skipped it, with the reason in words) out. Everything it needs is gathered by
// the copier beforehand, so the whole rule book is unit-tested without a venue.
//
// The order of the rules (the first that applies wins):
//   1. the relationship's state: paused, stopped, stopped for the day
//   2. too old (seen later than maxAgeSec after it happened, e.g. while the app was down)
//   3. sides, deny list, allow list (the lists never skip a sale of what the copies hold)
//   4. the market on the follower's venue (symbol map; it must exist there)
//   5. the stops: total stop-loss, then the daily loss stop (the relationship's P&L)
//   6. sizing — a buy: proportional (the leader's fraction of equity by value, at each side's price) /
//      multiplier / fixed quote; max open positions; max trade size;
//      allocation cap; min trade size. A sell is always a reduction on spot: the follower sells the same
//      fraction of its copied position as the leader sold of its own (all of it when the leader exits),
//      so it never holds more than the leader's position implies; nothing copied → "no-position"; the
//      leader's position not known (its balance could not be read) → "leader-position".
//   7. the price guard against the follower's live book (skip, or a limit at leader price ± slippage)
//
// Money settings (fixed quote per trade, min / max trade, the allocation, the stops) are in the valuation
// currency (USDT ≈ USD), whatever the market's quote: a 50 per trade copy on ETH/BTC buys 50 USDT of ETH,
// not 50 BTC. `quoteValue` converts the follower market's quote.
//   8. the follower market's rules: amount rounded down to the step; min amount and min notional.

export interface LeaderFillFacts {
  side: Side
  symbol: string
  amount: Decimal
  /** In the follower market's quote (converted by the copier when the leader's market is quoted otherwise). */
  price: Decimal
  /** True when the price could not be converted to the follower market's quote (not comparable with it). */
  foreignPrice?: boolean
}

export interface DecisionInput {
  fill: LeaderFillFacts
  /** How long after the fill it was seen (ms). */
  ageMs: number
  settings: FollowSettings
  status: FollowStatus
  /** The follower venue's market for the mapped symbol; undefined when the venue has no such market. */
  market: MarketInfo | undefined
  /** The follower's live touch (null sides when empty or no book could be read). */
  book: { bid: Decimal | null; ask: Decimal | null }
  /** In the valuation currency; null when unknown. */
  followerEquity: Decimal | null
  leaderEquity: Decimal | null
  /**
   * The leader's position in this market (base) just before the fill. Null: not known (its balance could not
   * be read when tracking was to start; `leaderPositionUnknown` says why): a sale, sized as a share of it, is
   * skipped "leader-position". A buy does not need it.
   */
  leaderPositionBefore: Decimal | null
  /** Why the leader's position is not known, in words ("the leader's BTC balance could not be read: …"). */
  leaderPositionUnknown?: string
  /** What the follower holds from this relationship's copies in the follower market (base). */
  followerPosition: Decimal
  /**
   * For a sale: the follower account's free balance of the base, and what of the copies' position is filled
   * (pending copies not counted). Omitted: the account is taken to hold what the copies hold.
   */
  followerAccount?: {
    free: Decimal
    filled: Decimal
    /**
     * The read may count a sale of the coin twice (one sent earlier is still unanswered, and its coins were
     * taken off as reserved): `free` then only caps this sale, and no coins leave the copies' book on it.
     */
    uncertain?: boolean
  }
  /** Markets where this relationship's copies hold something. */
  openPositions: number
  /** Value this relationship's copies hold now (at their last prices), in the valuation currency. */
  committedQuote: Decimal
  /** One unit of the follower market's quote in the valuation currency (1 for USDT); null when unknown. */
  quoteValue: Decimal | null
  /** The relationship's P&L in total and since the start of the UTC day (valuation currency). */
  pnlTotal: Decimal
  pnlToday: Decimal
}

/**
 * Coins the copies hold that the account no longer has (sold by hand, used by another strategy): they leave
 * the copies' book with this decision's record, at what they cost.
 */
type Removed = { removed?: Decimal }

export type Decision =
  | ({ kind: 'skip'; rule: SkipRule; reason: string; followerSymbol: string | null; intended: Decimal | null; amount: Decimal | null } & Removed)
  | ({
      kind: 'copy'
      followerSymbol: string
      side: Side
      /** What the sizing asked for, before caps and rounding. */
      intended: Decimal
      /** Rounded to the market's step. */
      amount: Decimal
      type: 'market' | 'limit'
      /** Limit price (price guard 'limit'), rounded to the tick. */
      price: Decimal | null
      /** Price the decision valued the copy at (touch, or the leader's price when there is no book). */
      reference: Decimal
      /** True when caps cut the copy (max trade size, allocation), or the account held less than the copies. */
      capped: string | null
    } & Removed)

/** The follower market for a leader market: the symbol map's entry, else the same symbol. */
export function mapSymbol(settings: Pick<FollowSettings, 'symbolMap'>, leaderSymbol: string): string {
  return settings.symbolMap.find((e) => e.from === leaderSymbol)?.to ?? leaderSymbol
}

export function decide(input: DecisionInput): Decision {
  const { fill, settings } = input
  const followerSymbol = mapSymbol(settings, fill.symbol)
  /** Set by a sale when the account has less of the coin free than the copies hold. */
  let short: Short | null = null
  const skip = (rule: SkipRule, reason: string, extra: { symbol?: string | null; intended?: Decimal | null; amount?: Decimal | null } = {}): Decision => ({
    kind: 'skip',
    rule,
    reason,
    followerSymbol: extra.symbol === undefined ? followerSymbol : extra.symbol,
    intended: extra.intended ?? null,
    amount: extra.amount ?? null,
    ...(short === null ? {} : { removed: short.removed }),
  })

  // 1. the relationship's state
  if (input.status === 'paused') return skip('paused', 'the relationship is paused')
  if (input.status === 'stopped') return skip('stopped', 'the relationship is stopped')
  if (input.status === 'stopped-daily') return skip('daily-loss', 'the daily loss stop was reached; copying resumes next UTC day')

  // 2. too old
  const maxAgeMs = settings.maxAgeSec * 1000
  if (input.ageMs > maxAgeMs) {
    return skip('too-old', `seen ${formatAge(input.ageMs)} after the leader's fill, more than the ${settings.maxAgeSec} s allowed`)
  }

  // 3. sides and lists. The lists gate new entries: a sale of what the copies hold is copied, so denying a
  // market (or leaving it off the allow list) stops buying there without stranding the position.
  if (settings.sides !== 'both' && settings.sides !== fill.side) return skip('side', `only ${settings.sides}s are copied`)
  const exit = fill.side === 'sell' && input.followerPosition.gt(0)
  if (!exit && settings.deny.includes(fill.symbol)) return skip('deny-list', `${fill.symbol} is on the deny list`)
  if (!exit && settings.allow.length > 0 && !settings.allow.includes(fill.symbol)) return skip('not-allowed', `${fill.symbol} is not on the allow list`)

  // 4. the follower's market
  const market = input.market
  if (market === undefined || !market.active) {
    return skip('unmapped-market', `the follower venue has no ${market === undefined ? '' : 'active '}market ${followerSymbol}${followerSymbol === fill.symbol ? ' (add a symbol map entry)' : ''}`, { symbol: null })
  }

  // 5. the stops
  if (settings.totalStopLoss !== null && input.pnlTotal.negated().gte(settings.totalStopLoss)) {
    return skip('total-loss', `the copies lost ${money(input.pnlTotal.negated())} ${VALUATION_ASSET} in total, reaching the stop-loss of ${settings.totalStopLoss}`)
  }
  if (settings.dailyLossStop !== null && input.pnlToday.negated().gte(settings.dailyLossStop)) {
    return skip('daily-loss', `the copies lost ${money(input.pnlToday.negated())} ${VALUATION_ASSET} today, reaching the daily loss stop of ${settings.dailyLossStop}`)
  }

  // The price a copy would get now: the far touch (buy at the ask, sell at the bid), else the leader's.
  const touch = fill.side === 'buy' ? input.book.ask : input.book.bid
  // A guard's limit order may fill up to its limit: buys are sized and capped at that price.
  const guardLimit =
    settings.priceGuard?.action === 'limit'
      ? roundToStep(
          fill.side === 'buy'
            ? fill.price.times(new Decimal(settings.priceGuard.maxSlippagePct).plus(100)).div(100)
            : fill.price.times(new Decimal(100).minus(settings.priceGuard.maxSlippagePct)).div(100),
          market.tickSize,
          fill.side === 'buy' ? Decimal.ROUND_DOWN : Decimal.ROUND_UP,
        )
      : null
  const reference = fill.side === 'buy' && guardLimit !== null && guardLimit.gt(0) ? guardLimit : (touch ?? fill.price)
  /** The follower market's price now (its far touch), the leader's when it has no book. */
  const followerPrice = touch ?? fill.price

  // 6. sizing
  let intended: Decimal
  let amount: Decimal
  let capped: string | null = null
  /** Quote left of the allocation when it cut the copy (then "too small" is the allocation's doing). */
  let allocationRoom: Decimal | null = null
  /** A buy's price of one base unit in the valuation currency (for the minimum trade after rounding). */
  let valuedUnit: Decimal | null = null
  if (fill.side === 'sell') {
    if (input.followerPosition.lte(0)) return skip('no-position', `the copies hold no ${market.base} in ${followerSymbol} to sell`)
    const before = input.leaderPositionBefore
    // The sale is a share of a position the app does not know: sizing it from a guess (0 made it an exit)
    // could sell all of a copy for a leader's trim. Nothing leaves the book either: no sale, no read of it.
    if (before === null) {
      const why = input.leaderPositionUnknown ?? "the leader's position could not be read"
      return skip('leader-position', `${why}; without the leader's ${fill.symbol} position this sale's share of it cannot be sized: nothing sold`)
    }
    const exit = before.lte(fill.amount)
    const uncertain = input.followerAccount?.uncertain === true
    short = uncertain ? null : shortOf(input)
    // What the copies have to sell: less when the account holds less of the coin than they bought (the
    // rest left the book with this record), so the order is never refused for insufficient funds.
    const position = short === null ? input.followerPosition : input.followerPosition.minus(short.removed)
    if (position.lte(0)) {
      return skip('insufficient-balance', `${short!.words}: nothing to sell; ${short!.left}`, { amount: new Decimal(0) })
    }
    // Multiplied before divided: the leader selling 1 of 3 leaves the follower selling exactly a third
    // (0.3 × 1 / 3 = 0.1), where a rounded 1/3 first would floor to 0.0999 at the market's step.
    intended = exit ? position : position.times(fill.amount).div(before)
    amount = intended
    if (uncertain) {
      const surely = Decimal.max(input.followerAccount!.free, 0)
      const why = `a sale of ${market.base} sent earlier is still unanswered, so only ${surely.toFixed()} ${market.base} is surely free; the copies keep the rest`
      if (surely.lte(0)) return skip('insufficient-balance', `${why}: nothing sold`, { intended, amount: new Decimal(0) })
      if (amount.gt(surely)) {
        amount = surely
        capped = why
      }
    }
  } else {
    const unit = input.quoteValue
    if (unit === null || unit.lte(0)) return skip('no-equity', `${market.quote} cannot be valued in ${VALUATION_ASSET} to size the copy on ${followerSymbol}`)
    /** Price of one base unit in the valuation currency. */
    const valued = reference.times(unit)
    valuedUnit = valued
    switch (settings.sizing.mode) {
      case 'proportional':
        if (input.followerEquity === null || input.followerEquity.lte(0)) return skip('no-equity', 'the follower\'s equity is unknown or zero')
        if (input.leaderEquity === null || input.leaderEquity.lte(0)) return skip('no-equity', 'the leader\'s equity is unknown or zero')
        // The same fraction of equity by value: the leader's venue may price the coin differently (a
        // simulator at 60 000 while the follower's exchange is at 95 000), so 6 % of the leader's equity
        // is 6 % of the follower's at the follower's price — not as many coins. Multiplied before divided.
        intended = fill.price.eq(followerPrice) || fill.foreignPrice === true
          ? fill.amount.times(input.followerEquity).div(input.leaderEquity)
          : fill.amount.times(fill.price).times(input.followerEquity).div(input.leaderEquity.times(followerPrice))
        break
      case 'multiplier':
        intended = fill.amount.times(settings.sizing.value)
        break
      case 'fixed-quote':
        intended = new Decimal(settings.sizing.value).div(valued)
        break
    }
    amount = intended
    // Dust the venue would not take (a buy's fee left after the exit) is no position to add to.
    const holds = tradable(input.followerPosition, market, input.book.bid ?? reference)
    if (settings.maxOpenPositions !== null && !holds && input.openPositions >= settings.maxOpenPositions) {
      return skip('max-positions', `${input.openPositions} positions are open, the maximum is ${settings.maxOpenPositions}`, { intended })
    }
    if (settings.minTradeQuote !== null && amount.times(valued).lt(settings.minTradeQuote)) {
      return skip('below-min', `${money(amount.times(valued))} ${VALUATION_ASSET} is below the minimum trade of ${settings.minTradeQuote} ${VALUATION_ASSET}`, { intended, amount })
    }
    if (settings.maxTradeQuote !== null && amount.times(valued).gt(settings.maxTradeQuote)) {
      amount = new Decimal(settings.maxTradeQuote).div(valued)
      capped = `cut to the maximum trade of ${settings.maxTradeQuote} ${VALUATION_ASSET}`
    }
    if (input.followerEquity === null || input.followerEquity.lte(0)) return skip('no-equity', 'the follower\'s equity is unknown or zero', { intended })
    const cap = input.followerEquity.times(settings.allocationPct).div(100)
    const room = cap.minus(input.committedQuote)
    if (room.lte(0)) {
      return skip('allocation', `the copies hold ${money(input.committedQuote)} ${VALUATION_ASSET}, the allocation of ${settings.allocationPct}% is ${money(cap)} ${VALUATION_ASSET}`, { intended })
    }
    if (amount.times(valued).gt(room)) {
      amount = room.div(valued)
      allocationRoom = room
      capped = `cut to the ${money(room)} ${VALUATION_ASSET} left of the ${settings.allocationPct}% allocation`
      if (settings.minTradeQuote !== null && room.lt(settings.minTradeQuote)) {
        return skip('allocation', `only ${money(room)} ${VALUATION_ASSET} is left of the ${settings.allocationPct}% allocation, below the minimum trade of ${settings.minTradeQuote} ${VALUATION_ASSET}`, { intended })
      }
    }
  }

  // 7. the price guard
  let type: 'market' | 'limit' = 'market'
  let price: Decimal | null = null
  if (settings.priceGuard !== null) {
    const pct = new Decimal(settings.priceGuard.maxSlippagePct)
    const bound = fill.side === 'buy' ? fill.price.times(pct.plus(100)).div(100) : fill.price.times(new Decimal(100).minus(pct)).div(100)
    if (touch === null) {
      if (settings.priceGuard.action === 'skip') return skip('price-guard', `no live ${fill.side === 'buy' ? 'ask' : 'bid'} on the follower's ${followerSymbol} book to check the price against`, { intended })
    } else {
      const worse = fill.side === 'buy' ? touch.minus(fill.price) : fill.price.minus(touch)
      const slippage = worse.div(fill.price).times(100)
      if (slippage.gt(pct) && settings.priceGuard.action === 'skip') {
        return skip('price-guard', `the follower's ${fill.side === 'buy' ? 'ask' : 'bid'} ${touch.toFixed()} is ${slippage.toDecimalPlaces(3, Decimal.ROUND_UP).toFixed()}% worse than the leader's ${fill.price.toFixed()} (max ${pct.toFixed()}%)`, { intended })
      }
    }
    if (settings.priceGuard.action === 'limit' && guardLimit !== null) {
      type = 'limit'
      // Never worse than the bound: a buy's limit rounds down to the tick, a sell's up.
      price = guardLimit
      if (price.lte(0)) return skip('price-guard', `the guard's limit price ${bound.toFixed()} is not a valid price`, { intended })
    }
  }

  // 8. the market's rules
  const rounded = roundToStep(amount, market.stepSize, Decimal.ROUND_DOWN)
  // The minimum trade holds for what is sent: rounding down to the step can take a copy under it.
  if (fill.side === 'buy' && settings.minTradeQuote !== null && valuedUnit !== null && rounded.gt(0) && rounded.times(valuedUnit).lt(settings.minTradeQuote)) {
    return skip('below-min', `${rounded.toFixed()} ${market.base} (${money(rounded.times(valuedUnit))} ${VALUATION_ASSET} after rounding to the step ${market.stepSize}) is below the minimum trade of ${settings.minTradeQuote} ${VALUATION_ASSET}`, { intended, amount: rounded })
  }
  const valueAt = price ?? reference
  const tooSmall = rounded.lte(0) || rounded.lt(market.minAmount) || rounded.times(valueAt).lt(market.minNotional)
  if (tooSmall && allocationRoom !== null) {
    return skip('allocation', `only ${money(allocationRoom)} ${VALUATION_ASSET} is left of the ${settings.allocationPct}% allocation, too little for an order on ${followerSymbol}`, { intended, amount: rounded })
  }
  if (tooSmall && short !== null) {
    const why =
      rounded.lte(0) || rounded.lt(market.minAmount)
        ? `${rounded.toFixed()} ${market.base} is below the market's minimum amount ${market.minAmount}`
        : `${rounded.toFixed()} ${market.base} ≈ ${quoteBelowText(rounded.times(valueAt))} ${market.quote} is below the market's minimum order of ${market.minNotional} ${market.quote}`
    return skip('insufficient-balance', `${short.words}; ${why}: nothing sold; ${short.left}`, { intended, amount: rounded })
  }
  if (rounded.lte(0) || rounded.lt(market.minAmount)) {
    return skip('market-rules', `${amount.toSignificantDigits(8).toFixed()} ${market.base} rounds to ${rounded.toFixed()} at the step ${market.stepSize}, below the minimum amount ${market.minAmount}`, { intended, amount: rounded })
  }
  if (rounded.times(valueAt).lt(market.minNotional)) {
    return skip('market-rules', `${rounded.toFixed()} ${market.base} ≈ ${quoteBelowText(rounded.times(valueAt))} ${market.quote} is below the market's minimum order of ${market.minNotional} ${market.quote}`, { intended, amount: rounded })
  }
  if (short !== null) capped = `${short.words}; sold ${rounded.toFixed()}; ${short.left}`
  return { kind: 'copy', followerSymbol, side: fill.side, intended, amount: rounded, type, price, reference, capped, ...(short === null ? {} : { removed: short.removed }) }
}

interface Short {
  removed: Decimal
  /** "the copies hold 0.1 BTC but only 0.02 BTC is free" */
  words: string
  /** What became of the rest. */
  left: string
}

/**
 * The account has less of the coin free than the copies' filled position (pending sales, whose coins are
 * already on their way out, taken off): what is missing, and the words for it. Null when it has enough.
 */
function shortOf(input: DecisionInput): Short | null {
  const account = input.followerAccount
  if (account === undefined || input.market === undefined) return null
  const settled = Decimal.min(account.filled, input.followerPosition)
  const free = Decimal.max(account.free, 0)
  if (!free.lt(settled)) return null
  const base = input.market.base
  const removed = settled.minus(free)
  return {
    removed,
    words: `the copies hold ${settled.toFixed()} ${base} but only ${free.toFixed()} ${base} is free`,
    left: `the other ${removed.toFixed()} ${base} left the copies' book at what it cost (sold by hand or used elsewhere)`,
  }
}

/**
 * Whether a held `amount` can be sold on the market: rounded down to the step it is at least the minimum
 * amount and, at `price` (null: unknown, not checked), the minimum order. Less is dust the venue refuses.
 */
export function tradable(amount: Decimal, market: Pick<MarketInfo, 'stepSize' | 'minAmount' | 'minNotional'>, price: Decimal | null): boolean {
  const rounded = roundToStep(amount, market.stepSize, Decimal.ROUND_DOWN)
  if (rounded.lte(0) || rounded.lt(market.minAmount)) return false
  return price === null || rounded.times(price).gte(market.minNotional)
}

/** Rounds to a multiple of step (a positive decimal such as "0.001"). */
export function roundToStep(value: Decimal, step: string, rounding: Decimal.Rounding): Decimal {
  const s = new Decimal(step)
  if (s.lte(0)) return value
  return value.div(s).toDecimalPlaces(0, rounding).times(s)
}

function money(d: Decimal): string {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)
}

/** "4.2 s", "42 s", "3 min". */
export function formatAge(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`
}

import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { Db } from '../../store/open'
import type { KillSwitchResult, RiskLimits, RiskView } from '../../api/schemas/trading'
import type { Balance, MarketInfo, Venue } from '../../venues/port'
import { unitValue, VALUATION_ASSET, valueBalances } from '../../venues/valuation'
import type { OrderIntent, RiskGate } from '../model'
import { midOf, touchOf, type LiveBooks } from '../ticket/live-book'
import { MarketRules, type TradingVenues } from '../ticket/markets'
import { decimalsOf, formatPrice } from '../ticket/rules'
import { utcDay, utcTime } from './clock'
import { CheckPrices } from './prices'
import { RiskStore } from './store'

/** An account's equity is valued at most this often (it costs a balance and a price per asset on an exchange). */
const EQUITY_TTL_MS = 5000

/** What the kill switch stops: every conditional order (the engine) and every open order (the manager). */
export interface KillTargets {
  /** Disarms every armed conditional order; returns how many. */
  disarmAll(): Promise<number> | number
  /** Cancels every open order on every account. */
  cancelAll(): Promise<{ canceled: number; failed: KillSwitchResult['failed'] }>
}

export interface RiskServiceOptions {
  db: Db
  bus: EventBus
  venues: TradingVenues
  log: Logger
  books?: LiveBooks
  rules?: MarketRules
  now?: () => number
}

/** One check's context: the market, its venue, prices read once, balances read once. */
interface Check {
  intent: OrderIntent
  venue: Venue
  label: string
  market: MarketInfo
  prices: CheckPrices
  balances: () => Promise<Balance[]>
}

/**
 * The risk gate every order passes on its way out (the order manager calls check() inside submit): the
 * kill switch's halt, max order notional, max position per market, the price band around the mid and the
 * daily loss limit. Refusals are AppError CONFLICT with a message naming the numbers.
 */
export class RiskService implements RiskGate {
  private readonly store: RiskStore
  private readonly bus: EventBus
  private readonly log: Logger
  private readonly books: LiveBooks | undefined
  private readonly rules: MarketRules
  private readonly now: () => number
  private targets: KillTargets | undefined
  private readonly equities = new Map<string, { at: number; value: Decimal }>()

  constructor(options: RiskServiceOptions) {
    this.store = new RiskStore(options.db)
    this.bus = options.bus
    this.log = options.log
    this.books = options.books
    this.now = options.now ?? Date.now
    this.rules = options.rules ?? new MarketRules(options.venues, this.now)
  }

  /** The engine and the manager are built after the gate they use; the core hands them in here. */
  bindKillTargets(targets: KillTargets): void {
    this.targets = targets
  }

  view(): RiskView {
    return this.store.view()
  }

  set(limits: RiskLimits): RiskView {
    const norm = (v: string | null) => (v === null ? null : new Decimal(v).toFixed())
    this.store.setLimits(
      {
        maxOrderNotional: norm(limits.maxOrderNotional),
        maxPositionNotional: norm(limits.maxPositionNotional),
        priceBandPct: norm(limits.priceBandPct),
        dailyLossLimit: norm(limits.dailyLossLimit),
      },
      this.now(),
    )
    return this.changed()
  }

  /**
   * Halts new orders (persisted first, so nothing new leaves from here on), disarms every conditional order,
   * announces it on the bus (killSwitchEngaged), then cancels every open order on every account. The
   * disarm is called before the announcement so its count is the real one (the engine also disarms on the
   * event; the second pass finds nothing left).
   */
  async killSwitch(): Promise<KillSwitchResult> {
    const at = this.now()
    const before = this.store.view()
    this.store.setHalted(true, before.halted && before.haltedAt !== null ? before.haltedAt : at, at)
    this.changed()
    this.log.warn('kill switch engaged: trading halted')
    const targets = this.targets
    let disarmed = 0
    try {
      disarmed = (await targets?.disarmAll()) ?? 0
    } catch (err) {
      this.log.error('kill switch: disarming conditional orders failed', err)
    }
    this.bus.emit('killSwitchEngaged', { at })
    if (targets === undefined) return { disarmed, canceled: 0, failed: [], at }
    let result: Awaited<ReturnType<KillTargets['cancelAll']>>
    try {
      result = await targets.cancelAll()
    } catch (err) {
      this.log.error('kill switch: canceling open orders failed', err)
      throw new AppError('UNAVAILABLE', `Trading is halted, but canceling the open orders failed: ${err instanceof Error ? err.message : String(err)}`)
    }
    return { disarmed, canceled: result.canceled, failed: result.failed, at }
  }

  resume(): RiskView {
    this.store.setHalted(false, null, this.now())
    this.log.info('trading resumed after the kill switch')
    return this.changed()
  }

  async check(intent: OrderIntent): Promise<void> {
    const view = this.store.view()
    const now = this.now()
    if (view.halted) {
      const since = view.haltedAt === null ? '' : ` since ${utcTime(view.haltedAt, now)}`
      throw new AppError('CONFLICT', `Trading is halted by the kill switch${since}; resume it in Risk`)
    }
    const { venue, label, market } = await this.rules.resolve(intent.venueId, intent.symbol)
    let balances: Promise<Balance[]> | undefined
    const check: Check = {
      intent,
      venue,
      label,
      market,
      prices: new CheckPrices(venue, this.rules, this.books),
      balances: () => (balances ??= venue.fetchBalances()),
    }
    if (view.priceBandPct !== null && intent.type === 'limit') await this.checkBand(check, new Decimal(view.priceBandPct))
    if (view.maxOrderNotional !== null) await this.checkOrderNotional(check, new Decimal(view.maxOrderNotional))
    if (view.maxPositionNotional !== null && intent.side === 'buy') await this.checkPosition(check, new Decimal(view.maxPositionNotional))
    await this.checkDailyLoss(check, view.dailyLossLimit === null ? null : new Decimal(view.dailyLossLimit), now)
  }

  // ── the limits ────────────────────────────────────────────────────────────────────────────────────

  private async checkBand({ intent, market, label, prices }: Check, band: Decimal): Promise<void> {
    const price = new Decimal(intent.price as string)
    // A native stop rests away from the market on purpose: its limit is held to the band around its trigger,
    // the mid it will meet when it fires (as an in-app stop's order is checked when it fires).
    if (intent.trigger) {
      const trigger = new Decimal(intent.trigger.price)
      const fromTrigger = price.minus(trigger).abs().div(trigger).times(100)
      if (fromTrigger.gt(band)) {
        throw new AppError(
          'CONFLICT',
          `Limit price ${formatPrice(price, market.tickSize)} is ${fromTrigger.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed()}% ${price.gt(trigger) ? 'above' : 'below'} ` +
            `the trigger ${formatPrice(trigger, market.tickSize)}: outside the price band of ${band.toFixed()}%`,
        )
      }
      return
    }
    const book = await prices.book(intent.symbol)
    const mid = book.status === 'live' ? midOf(book) : null
    if (mid === null) {
      const why = book.status === 'live' ? 'one side of the book is empty' : (book.reason ?? book.status)
      throw new AppError('CONFLICT', `No live mid for ${intent.symbol} on ${label} (${why}): the price band of ${band.toFixed()}% cannot be checked, so the order is refused`)
    }
    const distance = price.minus(mid).abs().div(mid).times(100)
    if (distance.gt(band)) {
      throw new AppError(
        'CONFLICT',
        `Limit price ${formatPrice(price, market.tickSize)} is ${distance.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed()}% ${price.gt(mid) ? 'above' : 'below'} ` +
          `the mid ${mid.toDecimalPlaces(decimalsOf(market.tickSize) + 1).toFixed()}: outside the price band of ${band.toFixed()}%`,
      )
    }
  }

  private async checkOrderNotional(check: Check, limit: Decimal): Promise<void> {
    const { intent, market, label, prices } = check
    const price = await this.orderPrice(check)
    if (price === null) throw new AppError('CONFLICT', `No price for ${intent.symbol} on ${label}: the max order notional cannot be checked, so the order is refused`)
    const unit = await unitValue(market.quote, prices.priceOf)
    if (unit === null) throw new AppError('CONFLICT', `Cannot value ${market.quote} in ${VALUATION_ASSET} on ${label}: the max order notional cannot be checked, so the order is refused`)
    const quoteValue = new Decimal(intent.amount).times(price)
    const value = quoteValue.times(unit)
    if (value.gt(limit)) {
      const inQuote = market.quote === VALUATION_ASSET ? '' : `${money(quoteValue)} ${market.quote} ≈ `
      throw new AppError('CONFLICT', `Order value ${inQuote}${money(value)} ${VALUATION_ASSET} is above the max order notional ${limit.toFixed()} ${VALUATION_ASSET}`)
    }
  }

  private async checkPosition(check: Check, limit: Decimal): Promise<void> {
    const { intent, market, label, prices } = check
    const held = new Decimal((await this.balancesOrRefuse(check, 'the max position')).find((b) => b.asset === market.base)?.total ?? '0')
    const unit = await unitValue(market.base, prices.priceOf)
    if (unit === null) throw new AppError('CONFLICT', `Cannot value ${market.base} in ${VALUATION_ASSET} on ${label}: the max position cannot be checked, so the order is refused`)
    const after = held.plus(intent.amount)
    const value = after.times(unit)
    if (value.gt(limit)) {
      throw new AppError(
        'CONFLICT',
        `A ${market.base} position of ${after.toFixed()} ${market.base} ≈ ${money(value)} ${VALUATION_ASSET} on ${label} would be above ` +
          `the max position ${limit.toFixed()} ${VALUATION_ASSET} per market (${held.toFixed()} ${market.base} held now)`,
      )
    }
  }

  /**
   * The first check of an account on a UTC day stores its equity (whatever the limits: a limit set later
   * that day still has its start). Once the loss reaches the limit, buys are refused until the next day.
   */
  private async checkDailyLoss(check: Check, limit: Decimal | null, now: number): Promise<void> {
    const { intent, label } = check
    const day = utcDay(now)
    let start = this.store.dayEquity(intent.venueId, day)
    let equity: Decimal | null = null
    if (start === undefined) {
      try {
        equity = await this.equity(check)
        start = this.store.takeDayEquity(intent.venueId, day, equity.toFixed(), now)
      } catch (err) {
        if (limit === null || intent.side !== 'buy') {
          this.log.warn(`no start-of-day equity for ${intent.venueId} yet`, { error: err instanceof Error ? err.message : String(err) })
          return
        }
        throw new AppError('CONFLICT', `Cannot value the account on ${label}: the daily loss limit cannot be checked, so the buy is refused (${err instanceof Error ? err.message : String(err)})`)
      }
    }
    // Sells reduce exposure: always allowed.
    if (limit === null || intent.side !== 'buy') return
    const until = 'until 00:00 UTC only orders that reduce exposure (sells) are allowed'
    if (start.breachedAt !== null) {
      throw new AppError('CONFLICT', `Daily loss limit ${limit.toFixed()} ${VALUATION_ASSET} reached on ${label} at ${utcTime(start.breachedAt, now)}: ${until}`)
    }
    if (equity === null) {
      try {
        equity = await this.equity(check)
      } catch (err) {
        throw new AppError('CONFLICT', `Cannot value the account on ${label}: the daily loss limit cannot be checked, so the buy is refused (${err instanceof Error ? err.message : String(err)})`)
      }
    }
    const loss = new Decimal(start.equity).minus(equity)
    if (loss.gte(limit)) {
      this.store.markBreached(intent.venueId, day, now)
      throw new AppError(
        'CONFLICT',
        `Daily loss limit reached on ${label}: equity ${money(equity)} ${VALUATION_ASSET} is ${money(loss)} ${VALUATION_ASSET} below ` +
          `${money(new Decimal(start.equity))} ${VALUATION_ASSET} at ${utcTime(start.takenAt, now)} (limit ${limit.toFixed()} ${VALUATION_ASSET}); ${until}`,
      )
    }
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────

  /** The limit price, or for a market order the touch it would take (live book, else the ticker). */
  private async orderPrice({ intent, prices }: Check): Promise<Decimal | null> {
    if (intent.price !== undefined) return new Decimal(intent.price)
    // A stop-market order trades around its trigger price, not today's touch.
    if (intent.trigger) return new Decimal(intent.trigger.price)
    const book = await prices.book(intent.symbol)
    const touch = book.status === 'live' ? touchOf(intent.side === 'buy' ? book.asks : book.bids) : null
    if (touch !== null) return touch
    const last = await prices.priceOf(intent.symbol)
    return last === null ? null : new Decimal(last)
  }

  private async balancesOrRefuse(check: Check, what: string): Promise<Balance[]> {
    try {
      return await check.balances()
    } catch (err) {
      throw new AppError('CONFLICT', `Could not read the balances on ${check.label}: ${what} cannot be checked, so the order is refused (${err instanceof Error ? err.message : String(err)})`)
    }
  }

  /** The account's equity in USDT (assets without a price are left out, as on the Balances page). */
  private async equity(check: Check): Promise<Decimal> {
    const now = this.now()
    const cached = this.equities.get(check.venue.id)
    if (cached !== undefined && now - cached.at < EQUITY_TTL_MS) return cached.value
    const valued = await valueBalances(await check.balances(), check.prices.priceOf)
    if (valued.value === null) throw new Error(`no price in ${VALUATION_ASSET} for ${valued.unvalued.join(', ')}`)
    const value = new Decimal(valued.value)
    this.equities.set(check.venue.id, { at: now, value })
    return value
  }

  private changed(): RiskView {
    const view = this.store.view()
    this.bus.emit('riskChanged', { view })
    return view
  }
}

/** A USDT amount as messages show it. */
function money(value: Decimal): string {
  return value.toDecimalPlaces(2).toFixed()
}

import Decimal from 'decimal.js'
import { everyUtcMidnight } from '../../utc-midnight'
import { AppError } from '../../api/errors'
import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { Db } from '../../store/open'
import type { KillSwitchResult, RiskLimits, RiskToday, RiskView } from '../../api/schemas/trading'
import type { Balance, MarketInfo, Venue } from '../../venues/port'
import { unitValue, VALUATION_ASSET, valueBalances } from '../../venues/valuation'
import type { ArmCheck, ArmedBuy, ArmedOrder, OrderIntent, OrderRecord, RiskGate } from '../model'
import { walkAmount, type Level } from '../ticket/book-walk'
import { midOf, touchOf, type LiveBooks } from '../ticket/live-book'
import { MarketRules, type TradingVenues } from '../ticket/markets'
import { decimalsOf, formatPrice } from '../ticket/rules'
import { utcDay, utcTime } from './clock'
import { CheckPrices } from './prices'
import { RiskStore } from './store'
import { DayTransfers, valueMoves, type DayMoves, type DayTransferDeps } from './transfers'

/**
 * An account's equity is valued at most this often (it costs a balance and a price per asset on an exchange);
 * a fill or a new ledger entry of the account values it again at its next check.
 */
const EQUITY_TTL_MS = 5000

/** What the kill switch stops: every conditional order (the engine) and every open order (the manager). */
export interface KillTargets {
  /** Disarms every armed conditional order; returns how many. */
  disarmAll(): Promise<number> | number
  /** Cancels every open order on every account. */
  cancelAll(): Promise<Pick<KillSwitchResult, 'canceled' | 'partlyFilled' | 'awaiting' | 'ended' | 'failed'>>
}

/** The orders still working on a market (the order manager's open orders), for the max position. */
export type OpenOrders = (filter: { venueId: string; symbol: string }) => readonly Pick<OrderRecord, 'clientOrderId' | 'side' | 'amount' | 'filled'>[]

/** The conditional buys on a market that may still send an order (the conditional engine's), for the max position. */
export type ArmedBuys = (filter: { venueId: string; symbol: string }) => readonly ArmedBuy[]

export interface RiskServiceOptions {
  db: Db
  bus: EventBus
  venues: TradingVenues
  log: Logger
  books?: LiveBooks
  rules?: MarketRules
  now?: () => number
  /**
   * Calls `fn` at every 00:00 UTC until the returned stop is called (default: a timer, unref'd). Tests
   * call it by hand.
   */
  everyUtcMidnight?: (fn: () => void) => () => void
  /**
   * Where the day's deposits and withdrawals come from besides the exchange (the ledger), and which accounts
   * the app funds itself. Default: no ledger, no account app-funded (an exchange without transfer history is
   * "not known").
   */
  transfers?: Omit<DayTransferDeps, 'now'>
}

/** What else a check may leave out: the order an amend replaces is still open while its replacement is checked. */
export interface CheckOptions {
  replacing?: string
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
  private openOrders: OpenOrders | undefined
  private armedBuys: ArmedBuys | undefined
  private readonly equities = new Map<string, { at: number; value: Decimal }>()
  /** Per account, how many times its kept equity was dropped: a valuation begun before a drop is not kept. */
  private readonly equityDrops = new Map<string, number>()
  private readonly venues: TradingVenues
  private readonly everyUtcMidnight: (fn: () => void) => () => void
  private stopDayClock: (() => void) | undefined
  private readonly offBus: () => void
  private readonly transfers: DayTransfers

  constructor(options: RiskServiceOptions) {
    this.store = new RiskStore(options.db)
    this.bus = options.bus
    this.log = options.log
    this.books = options.books
    this.venues = options.venues
    this.now = options.now ?? Date.now
    this.rules = options.rules ?? new MarketRules(options.venues, this.now)
    this.everyUtcMidnight = options.everyUtcMidnight ?? ((fn) => everyUtcMidnight(fn, this.now))
    this.transfers = new DayTransfers({ appFunded: () => false, ...options.transfers, now: this.now })
    // A paper balance reset is money put in or taken out, not a gain or a loss: the ledger books it as a
    // withdrawal of what was held and a deposit of the new balance, which the day's loss leaves out. They are
    // valued at once (after the ledger's own listener has written them), at the prices of the reset.
    const offReset = this.bus.on('paperReset', ({ venueId }) => {
      this.dropEquity(venueId)
      this.transfers.forget(venueId)
      queueMicrotask(() => void this.valueDayMoves(venueId).catch(() => undefined))
    })
    // A fill moves the equity at once (a buy that walked a thin book can take the day's loss past the limit):
    // the next buy must not be judged on the equity kept from before it.
    const offFill = this.bus.on('orderFilled', ({ fill }) => this.dropEquity(fill.venueId))
    const offLedger = this.bus.on('ledgerRecorded', ({ accounts }) => accounts.forEach((id) => this.dropEquity(id)))
    this.offBus = () => {
      offReset()
      offFill()
      offLedger()
    }
  }

  private dropEquity(venueId: string): void {
    this.equities.delete(venueId)
    this.equityDrops.set(venueId, (this.equityDrops.get(venueId) ?? 0) + 1)
  }

  /**
   * While the engine runs, each account's equity is taken at 00:00 UTC, when a daily loss limit is set: the
   * day's loss then counts from midnight. (Started later in the day, the first check of the day takes it,
   * and the refusal names that time.)
   */
  startDayClock(): void {
    this.stopDayClock ??= this.everyUtcMidnight(() => void this.takeDayStarts())
  }

  stop(): void {
    this.stopDayClock?.()
    this.stopDayClock = undefined
    this.offBus()
  }

  /** Each account's equity now, stored as the day's start where none is yet (the midnight clock). */
  async takeDayStarts(): Promise<void> {
    if (this.store.view().dailyLossLimit === null) return
    const now = this.now()
    const day = utcDay(now)
    await Promise.all(
      this.venues.list().map(async ({ id }) => {
        if (this.store.dayEquity(id, day) !== undefined) return
        try {
          const equity = await this.accountEquity(id)
          this.store.takeDayEquity(id, day, equity.toFixed(), now)
        } catch (err) {
          this.log.warn(`no 00:00 UTC equity for ${id}; its first order check today takes it`, { error: err instanceof Error ? err.message : String(err) })
        }
      }),
    )
  }

  /**
   * Each account's day so far (the Risk panel's "Today"): its start-of-day equity and its equity now. With a
   * daily loss limit set, a day not yet started for an account is started here, as its first order check
   * would start it; without one nothing is stored.
   */
  async today(): Promise<RiskToday> {
    const limit = this.store.view().dailyLossLimit
    if (limit !== null) await this.takeDayStarts()
    const now = this.now()
    const day = utcDay(now)
    const accounts = await Promise.all(
      this.venues.list().map(async ({ id, label }) => {
        const start = this.store.dayEquity(id, day) ?? null
        let equity: Decimal | null = null
        let error: string | null = null
        let moved: DayMovesRead = { moves: null, note: null }
        try {
          equity = await this.accountEquity(id)
          if (start !== null) moved = await this.dayMoves(id, label, start.takenAt)
        } catch (err) {
          error = `cannot value the account: ${err instanceof Error ? err.message : String(err)}`
        }
        const net = moved.moves?.net ?? new Decimal(0)
        return {
          venueId: id,
          label,
          startEquity: start === null ? null : start.equity,
          startedAt: start === null ? null : start.takenAt,
          equity: equity === null ? null : equity.toFixed(),
          netTransfers: moved.moves === null ? null : net.toFixed(),
          transfersNote: moved.note,
          loss: start === null || equity === null || error !== null ? null : new Decimal(start.equity).plus(net).minus(equity).toFixed(),
          breachedAt: start === null ? null : start.breachedAt,
          error,
        }
      }),
    )
    return { day, dailyLossLimit: limit, accounts }
  }

  /** The engine and the manager are built after the gate they use; the core hands them in here. */
  bindKillTargets(targets: KillTargets): void {
    this.targets = targets
  }

  /** The order manager's open orders: a buy still working counts toward the max position. */
  bindOpenOrders(open: OpenOrders): void {
    this.openOrders = open
  }

  /** The conditional engine's armed buys: each counts toward the max position as if it had filled. */
  bindArmedBuys(armed: ArmedBuys): void {
    this.armedBuys = armed
  }

  view(): RiskView {
    return this.store.view()
  }

  /**
   * Saves the limits when they are still at `expectedVersion` (the version the caller read); refuses with
   * CONFLICT otherwise (another window saved since). Without a version (the engine's own callers, tests)
   * the limits stored now are the base.
   */
  set(limits: RiskLimits, expectedVersion: number = this.store.view().version): RiskView {
    const norm = (v: string | null) => (v === null ? null : new Decimal(v).toFixed())
    this.store.setLimits(
      {
        maxOrderNotional: norm(limits.maxOrderNotional),
        maxPositionNotional: norm(limits.maxPositionNotional),
        priceBandPct: norm(limits.priceBandPct),
        dailyLossLimit: norm(limits.dailyLossLimit),
      },
      expectedVersion,
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
    if (targets === undefined) return { disarmed, canceled: 0, partlyFilled: [], awaiting: [], ended: [], failed: [], at }
    let result: Awaited<ReturnType<KillTargets['cancelAll']>>
    try {
      result = await targets.cancelAll()
    } catch (err) {
      this.log.error('kill switch: canceling open orders failed', err)
      throw new AppError('UNAVAILABLE', `Trading is halted, but canceling the open orders failed: ${err instanceof Error ? err.message : String(err)}`)
    }
    return { disarmed, canceled: result.canceled, partlyFilled: result.partlyFilled, awaiting: result.awaiting, ended: result.ended, failed: result.failed, at }
  }

  resume(): RiskView {
    this.store.setHalted(false, null, this.now())
    this.log.info('trading resumed after the kill switch')
    return this.changed()
  }

  /**
   * Refuses while the kill switch holds trading. Synchronous, so a caller can ask it right before it writes
   * an order (the order manager does, after check()'s reads): a kill switch engaged while an order was being
   * checked still stops it.
   */
  assertOpen(): void {
    const message = this.haltMessage()
    if (message !== null) throw new AppError('CONFLICT', message)
  }

  /** Why nothing may trade now ("Trading is halted by the kill switch since …"), or null. */
  haltMessage(): string | null {
    const view = this.store.view()
    if (!view.halted) return null
    const since = view.haltedAt === null ? '' : ` since ${utcTime(view.haltedAt, this.now())}`
    return `Trading is halted by the kill switch${since}; resume it in Risk`
  }

  async check(intent: OrderIntent, options: CheckOptions = {}): Promise<void> {
    this.assertOpen()
    const view = this.store.view()
    const now = this.now()
    const check = await this.contextOf(intent)
    // A protective exit fires far from where it was set by design (a gap through a stop): the band would
    // leave the position unprotected, so it is not held to it (nor to the daily loss limit, below).
    const protective = isProtectiveExit(intent)
    if (view.priceBandPct !== null && intent.type === 'limit' && !protective) await this.checkBand(check, new Decimal(view.priceBandPct))
    if (view.priceBandPct !== null && walksTheBook(intent)) await this.checkMarketBand(check, new Decimal(view.priceBandPct))
    if (view.maxOrderNotional !== null) await this.checkOrderNotional(check, new Decimal(view.maxOrderNotional))
    if (view.maxPositionNotional !== null && intent.side === 'buy') await this.checkPosition(check, new Decimal(view.maxPositionNotional), options, 'order')
    await this.checkDailyLoss(check, view.dailyLossLimit === null ? null : new Decimal(view.dailyLossLimit), now)
  }

  /**
   * A conditional order being armed: each order it may send is held to the max order notional at the price
   * it names (refused naming the leg), and a buy (`buy` in base units; an OCO's larger buy leg) is refused
   * when what is held, the buys working on the market and this one would pass the max position. One that
   * may buy (`buys`) is refused once the day's loss has reached the daily loss limit, in the ticket's words:
   * its order would be refused when it fires. Its orders are checked in full (every limit) when they fire.
   */
  async checkArm(arm: ArmCheck): Promise<void> {
    this.assertOpen()
    const view = this.store.view()
    const now = this.now()
    const { venueId, symbol } = arm
    const intent = (side: 'buy' | 'sell', amount: string): OrderIntent => ({ venueId, symbol, side, type: 'market', timeInForce: 'GTC', postOnly: false, amount, origin: { kind: 'conditional', ref: null } })
    if (view.maxOrderNotional !== null && arm.orders.length > 0) {
      const check = await this.contextOf(intent('buy', arm.orders[0]!.amount))
      for (const order of arm.orders) await this.checkArmedNotional(check, order, new Decimal(view.maxOrderNotional))
    }
    if (view.maxPositionNotional !== null && arm.buy !== null) {
      await this.checkPosition(await this.contextOf(intent('buy', arm.buy)), new Decimal(view.maxPositionNotional), {}, 'conditional buy')
    }
    if (view.dailyLossLimit !== null && arm.buys) {
      const amount = arm.buy ?? arm.orders[0]?.amount ?? '0'
      await this.checkDailyLoss(await this.contextOf(intent('buy', amount)), new Decimal(view.dailyLossLimit), now)
    }
  }

  /** One check's context: the market and its venue, prices and balances read at most once. */
  private async contextOf(intent: OrderIntent): Promise<Check> {
    const { venue, label, market } = await this.rules.resolve(intent.venueId, intent.symbol)
    let balances: Promise<Balance[]> | undefined
    return {
      intent,
      venue,
      label,
      market,
      prices: new CheckPrices(venue, this.rules, this.books),
      balances: () => (balances ??= venue.fetchBalances()),
    }
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

  /**
   * A market order typed by hand (or copied) is held to the band by the worst price it would reach walking
   * the book: a market buy into a thin ask side is the fat finger the band is for.
   */
  private async checkMarketBand({ intent, market, label, prices }: Check, band: Decimal): Promise<void> {
    const book = await prices.book(intent.symbol)
    const mid = book.status === 'live' ? midOf(book) : null
    if (mid === null) {
      const why = book.status === 'live' ? 'one side of the book is empty' : (book.reason ?? book.status)
      throw new AppError('CONFLICT', `No live mid for ${intent.symbol} on ${label} (${why}): the price band of ${band.toFixed()}% cannot be checked, so the order is refused`)
    }
    const levels = intent.side === 'buy' ? book.asks : book.bids
    const walk = walkAmount(levels, intent.side, new Decimal(intent.amount))
    if (walk.short) {
      throw new AppError(
        'CONFLICT',
        `The visible ${intent.side === 'buy' ? 'asks' : 'bids'} of ${intent.symbol} on ${label} hold ${walk.filled.toFixed()} ${market.base}, less than the ${intent.amount} ${market.base} ` +
          `of this market order: the price band of ${band.toFixed()}% cannot be checked, so the order is refused`,
      )
    }
    const worst = worstPriceReached(levels, new Decimal(intent.amount))
    const distance = worst.minus(mid).abs().div(mid).times(100)
    if (distance.gt(band)) {
      throw new AppError(
        'CONFLICT',
        `This market order would trade up to ${formatPrice(worst, market.tickSize)}, ${distance.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed()}% ${intent.side === 'buy' ? 'above' : 'below'} ` +
          `the mid ${mid.toDecimalPlaces(decimalsOf(market.tickSize) + 1).toFixed()}: outside the price band of ${band.toFixed()}%`,
      )
    }
  }

  private async checkOrderNotional(check: Check, limit: Decimal): Promise<void> {
    const { intent, market, label, prices } = check
    const quoteValue = await this.orderValue(check)
    if (quoteValue === null) throw new AppError('CONFLICT', `No price for ${intent.symbol} on ${label}: the max order notional cannot be checked, so the order is refused`)
    const unit = await unitValue(market.quote, prices.priceOf)
    if (unit === null) throw new AppError('CONFLICT', `Cannot value ${market.quote} in ${VALUATION_ASSET} on ${label}: the max order notional cannot be checked, so the order is refused`)
    const value = quoteValue.times(unit)
    if (value.gt(limit)) {
      const inQuote = market.quote === VALUATION_ASSET ? '' : `${money(quoteValue)} ${market.quote} ≈ `
      throw new AppError('CONFLICT', `Order value ${inQuote}${money(value)} ${VALUATION_ASSET} is above the max order notional ${limit.toFixed()} ${VALUATION_ASSET}`)
    }
  }

  /** One order a conditional order may send, at the price it names (not the book now: it fires elsewhere). */
  private async checkArmedNotional({ market, label, prices }: Check, order: ArmedOrder, limit: Decimal): Promise<void> {
    const quoteValue = new Decimal(order.amount).times(order.price)
    const unit = await unitValue(market.quote, prices.priceOf)
    if (unit === null) throw new AppError('CONFLICT', `Cannot value ${market.quote} in ${VALUATION_ASSET} on ${label}: the max order notional cannot be checked, so the conditional order is refused`)
    const value = quoteValue.times(unit)
    if (value.gt(limit)) {
      const inQuote = market.quote === VALUATION_ASSET ? '' : `${money(quoteValue)} ${market.quote} ≈ `
      const at = `${new Decimal(order.amount).toFixed()} ${market.base} at its ${order.at} ${formatPrice(new Decimal(order.price), market.tickSize)}`
      throw new AppError('CONFLICT', `Order value ${inQuote}${money(value)} ${VALUATION_ASSET} of ${order.name} (${at}) is above the max order notional ${limit.toFixed()} ${VALUATION_ASSET}`)
    }
  }

  /**
   * What is held, plus what the buys still working on this market would add if they filled (open orders'
   * unfilled rest, armed conditional buys), plus this buy. `what` names this buy in the refusal.
   */
  private async checkPosition(check: Check, limit: Decimal, options: CheckOptions, what: 'order' | 'conditional buy'): Promise<void> {
    const { intent, market, label, prices } = check
    const held = new Decimal((await this.balancesOrRefuse(check, 'the max position', what)).find((b) => b.asset === market.base)?.total ?? '0')
    const unit = await unitValue(market.base, prices.priceOf)
    if (unit === null) throw new AppError('CONFLICT', `Cannot value ${market.base} in ${VALUATION_ASSET} on ${label}: the max position cannot be checked, so the ${what} is refused`)
    const where = { venueId: intent.venueId, symbol: intent.symbol }
    const open = (this.openOrders?.(where) ?? [])
      .filter((o) => o.side === 'buy' && o.clientOrderId !== options.replacing)
      .reduce((sum, o) => sum.plus(Decimal.max(new Decimal(o.amount).minus(o.filled), 0)), new Decimal(0))
    // A fired conditional buy whose order this is, is this order: not counted twice.
    const armed = (this.armedBuys?.(where) ?? [])
      .filter((b) => b.clientOrderId === null || b.clientOrderId !== intent.clientOrderId)
      .reduce((sum, b) => sum.plus(b.amount), new Decimal(0))
    const after = held.plus(open).plus(armed).plus(intent.amount)
    const value = after.times(unit)
    if (value.gt(limit)) {
      const base = market.base
      const parts = [`${held.toFixed()} ${base} held now`]
      if (!open.isZero()) parts.push(`${open.toFixed()} ${base} in open buys`)
      if (!armed.isZero()) parts.push(`${armed.toFixed()} ${base} in armed conditional buys`)
      parts.push(`${new Decimal(intent.amount).toFixed()} ${base} in this ${what}`)
      throw new AppError(
        'CONFLICT',
        `A ${base} position of ${after.toFixed()} ${base} ≈ ${money(value)} ${VALUATION_ASSET} on ${label} would be above ` +
          `the max position ${limit.toFixed()} ${VALUATION_ASSET} per market: ${parts.join(' + ')}`,
      )
    }
  }

  /**
   * The first check of an account on a UTC day stores its equity (whatever the limits: a limit set later
   * that day still has its start). Once the loss reaches the limit, buys are refused until the next day,
   * however the price moves, unless the limit is raised above the one reached: then the loss is checked
   * against the new limit, and a loss under it lifts the lock.
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
        if (limit === null || intent.side !== 'buy' || isProtectiveExit(intent)) {
          this.log.warn(`no start-of-day equity for ${intent.venueId} yet`, { error: err instanceof Error ? err.message : String(err) })
          return
        }
        throw new AppError('CONFLICT', `Cannot value the account on ${label}: the daily loss limit cannot be checked, so the buy is refused (${err instanceof Error ? err.message : String(err)})`)
      }
    }
    // Sells reduce exposure: always allowed; so is a protective exit (a sell bracket's buy-back).
    if (limit === null || intent.side !== 'buy' || isProtectiveExit(intent)) return
    const until = 'until 00:00 UTC only orders that reduce exposure (sells) are allowed'
    if (start.breachedAt !== null && start.breachedLimit === null) {
      // Breached before the limit reached was kept with it (and not changed since: risk.set fills it in):
      // it was reached at the limit in force now, kept so a limit raised later is checked anew.
      this.store.markBreached(intent.venueId, day, start.breachedAt, limit.toFixed())
      start = { ...start, breachedLimit: limit.toFixed() }
    }
    if (start.breachedAt !== null && start.breachedLimit !== null && limit.lte(start.breachedLimit)) {
      throw new AppError('CONFLICT', `Daily loss limit ${new Decimal(start.breachedLimit).toFixed()} ${VALUATION_ASSET} reached on ${label} at ${utcTime(start.breachedAt, now)}: ${until}`)
    }
    let moves: DayMoves | null
    try {
      equity ??= await this.equity(check)
      moves = (await this.dayMoves(intent.venueId, label, start.takenAt, check.prices)).moves
    } catch (err) {
      throw new AppError('CONFLICT', `Cannot value the account on ${label}: the daily loss limit cannot be checked, so the buy is refused (${err instanceof Error ? err.message : String(err)})`)
    }
    // Money moved in or out since the start is not a gain or a loss (a venue that cannot report it: moves null).
    const net = moves?.net ?? new Decimal(0)
    const loss = new Decimal(start.equity).plus(net).minus(equity)
    if (start.breachedAt !== null && loss.lt(limit)) this.store.markBreached(intent.venueId, day, null, null)
    if (loss.gte(limit)) {
      this.store.markBreached(intent.venueId, day, now, limit.toFixed())
      const movedText = net.isZero() ? '' : ` ${net.gt(0) ? '+' : '−'} ${money(net.abs())} ${VALUATION_ASSET} net ${net.gt(0) ? 'deposited' : 'withdrawn'} since`
      throw new AppError(
        'CONFLICT',
        `Daily loss limit reached on ${label}: equity ${money(equity)} ${VALUATION_ASSET} is ${money(loss)} ${VALUATION_ASSET} below ` +
          `${money(new Decimal(start.equity))} ${VALUATION_ASSET} at ${utcTime(start.takenAt, now)}${movedText} (limit ${limit.toFixed()} ${VALUATION_ASSET}); ${until}`,
      )
    }
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * The order's value in its quote: at its limit price; a stop-market at its trigger; a market order typed by
   * hand (or copied) at what walking the live book would cost (the part past the visible book at its last
   * level), one a conditional order sent at the touch (a stop must not be refused for the book's depth);
   * without a book, at the last price.
   */
  private async orderValue({ intent, prices }: Check): Promise<Decimal | null> {
    const amount = new Decimal(intent.amount)
    if (intent.price !== undefined) return amount.times(intent.price)
    if (intent.trigger) return amount.times(intent.trigger.price)
    const book = await prices.book(intent.symbol)
    const levels = book.status === 'live' ? (intent.side === 'buy' ? book.asks : book.bids) : []
    const touch = touchOf(levels)
    if (touch !== null) {
      if (!walksTheBook(intent)) return amount.times(touch)
      const walk = walkAmount(levels, intent.side, amount)
      const last = levels[levels.length - 1]!.price
      return walk.cost.plus(amount.minus(walk.filled).times(last))
    }
    const last = await prices.priceOf(intent.symbol)
    return last === null ? null : amount.times(last)
  }

  private async balancesOrRefuse(check: Check, limit: string, what = 'order'): Promise<Balance[]> {
    try {
      return await check.balances()
    } catch (err) {
      throw new AppError('CONFLICT', `Could not read the balances on ${check.label}: ${limit} cannot be checked, so the ${what} is refused (${err instanceof Error ? err.message : String(err)})`)
    }
  }

  /**
   * The deposits and withdrawals since the day's start (taken at `startedAt`: what came before is in it),
   * valued in USDT; moves null with a note where the venue cannot report them. Throws when they could not be
   * read or valued right now.
   */
  private async dayMoves(venueId: string, label: string, startedAt: number, prices?: CheckPrices): Promise<DayMovesRead> {
    const venue = await this.venues.open(venueId)
    const read = await this.transfers.read(venue, label, startedAt)
    if (!read.known) return { moves: null, note: read.why }
    const valuing = prices ?? new CheckPrices(venue, this.rules, this.books)
    return { moves: await valueMoves(this.store, venueId, read.transfers, valuing, this.now()), note: null }
  }

  /** Values (and keeps) the account's transfers of today now, if its day has started. */
  private async valueDayMoves(venueId: string): Promise<void> {
    const start = this.store.dayEquity(venueId, utcDay(this.now()))
    if (start === undefined) return
    await this.dayMoves(venueId, venueId, start.takenAt)
  }

  /** An account's equity outside an order check (its own balance and price reads). */
  private async accountEquity(venueId: string): Promise<Decimal> {
    const venue = await this.venues.open(venueId)
    let balances: Promise<Balance[]> | undefined
    return this.equity({ venue, prices: new CheckPrices(venue, this.rules, this.books), balances: () => (balances ??= venue.fetchBalances()) })
  }

  /**
   * The account's equity in USDT. An asset held without a price that some market trades is not worth
   * nothing: counting it as 0 would turn selling BTC for it into a loss of the BTC's value (or buying it back
   * into a gain), so the account cannot be valued and nothing is judged or stored from it until it can. A coin
   * no market on the venue trades (a delisted or airdropped token) cannot change by trading: it is left out,
   * as on the Balances page, rather than refuse every buy while it is held.
   */
  private async equity(check: Pick<Check, 'venue' | 'prices' | 'balances'>): Promise<Decimal> {
    const now = this.now()
    const cached = this.equities.get(check.venue.id)
    if (cached !== undefined && now - cached.at < EQUITY_TTL_MS) return cached.value
    const drops = this.equityDrops.get(check.venue.id) ?? 0
    const valued = await valueBalances(await check.balances(), check.prices.priceOf)
    const traded: string[] = []
    for (const asset of valued.unvalued) if (await check.prices.tradable(asset)) traded.push(asset)
    if (traded.length > 0 && check.prices.failures.size > 0) {
      const [symbol, error] = [...check.prices.failures][0]!
      throw new Error(`the ${symbol} price could not be read to value ${traded.join(', ')}: ${error}`)
    }
    if (valued.value === null || traded.length > 0) throw new Error(`no price in ${VALUATION_ASSET} for ${(traded.length > 0 ? traded : valued.unvalued).join(', ')}`)
    const value = new Decimal(valued.value)
    // A fill arrived while the balances and prices were read: this value may be from before it, not kept.
    if ((this.equityDrops.get(check.venue.id) ?? 0) === drops) this.equities.set(check.venue.id, { at: now, value })
    return value
  }

  private changed(): RiskView {
    const view = this.store.view()
    this.bus.emit('riskChanged', { view })
    return view
  }
}

/**
 * A market order typed by hand or copied: valued and held to the band by the book it would walk. One a
 * triggered conditional order sends is a stop that must go out; it is valued at the touch, as before.
 */
function walksTheBook(intent: OrderIntent): boolean {
  return intent.type === 'market' && intent.trigger === undefined && intent.origin.kind !== 'conditional'
}

/** The order a conditional order's stop-loss or take-profit sends to reduce a position (model.ts: protective). */
function isProtectiveExit(intent: OrderIntent): boolean {
  return intent.protective === true && intent.origin.kind === 'conditional'
}

/** The last level a market order of `amount` reaches (the visible book holds it all). */
function worstPriceReached(levels: readonly Level[], amount: Decimal): Decimal {
  let left = amount
  for (const level of levels) {
    left = left.minus(level.amount)
    if (left.lte(0)) return level.price
  }
  return levels[levels.length - 1]!.price
}

interface DayMovesRead {
  moves: DayMoves | null
  note: string | null
}

/** A USDT amount as messages show it. */
function money(value: Decimal): string {
  return value.toDecimalPlaces(2).toFixed()
}

import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { Ticket, TicketPreview, TicketSubmit } from '../../api/schemas/trading'
import { fingerprintOf } from '../idempotency'
import type { Logger } from '../../log'
import type { OrderGateway, OrderRecord, RiskGate } from '../model'
import type { MarketInfo, Venue } from '../../venues/port'
import { walkAmount } from './book-walk'
import { marketable } from './book-walk'
import { evaluateTicket, freeBalance, type Evaluation, type Problem } from './evaluate'
import { readBook, touchOf, type LiveBooks } from './live-book'
import { exchangeBuyHold } from './exchange-hold'
import { MarketRules, type ResolvedMarket, type TradingVenues } from './markets'
import { amountTooSmall, floorToStep, formatPrice, notionalTooSmall, priceOffTick } from './rules'
import { isPaperVenueId } from '../../venues/paper/paper-accounts'

export interface TicketServiceOptions {
  venues: TradingVenues
  gateway: OrderGateway
  /** The live books of the market module (MarketDataService); without it every estimate is a REST snapshot. */
  books?: LiveBooks
  /** Risk limits shown in the preview (submit leaves them to the gateway, which checks every order). */
  risk?: RiskGate
  /** Shared with the risk service so markets load once. */
  rules?: MarketRules
  log: Logger
}

/**
 * The order ticket: turns what a person typed into an order the venue will accept, or says exactly why not.
 * preview() never throws for a rule problem (it lists them); submit() refuses with the same messages and
 * sends nothing half-way.
 */
export class TicketService {
  private readonly venues: TradingVenues
  private readonly gateway: OrderGateway
  private readonly books: LiveBooks | undefined
  private readonly risk: RiskGate | undefined
  private readonly rules: MarketRules
  private readonly log: Logger

  constructor(options: TicketServiceOptions) {
    this.venues = options.venues
    this.gateway = options.gateway
    this.books = options.books
    this.risk = options.risk
    this.rules = options.rules ?? new MarketRules(options.venues)
    this.log = options.log
  }

  async preview(ticket: Ticket): Promise<TicketPreview> {
    const { preview, problems, intent } = await this.evaluate(ticket)
    if (problems.length === 0 && intent !== null && this.risk !== undefined) {
      try {
        await this.risk.check({ ...intent, origin: { kind: 'manual', ref: null } })
      } catch (err) {
        if (!(err instanceof AppError)) this.log.warn('risk check failed in a preview', err)
        problems.push({ field: 'risk', message: err instanceof Error ? err.message : String(err), code: 'CONFLICT' })
      }
    }
    return { ...preview, problems: problems.map(({ field, message }) => ({ field, message })), ok: problems.length === 0 && intent !== null }
  }

  /**
   * With an idempotency key its account used already, the answer given then comes back before anything is
   * checked again: a resend of an order that spent the balance is that order, not a balance refusal.
   */
  async submit(input: TicketSubmit): Promise<OrderRecord> {
    const { idempotencyKey, ...ticket } = input
    const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: fingerprintOf(ticket) }
    const prior = idempotency === undefined ? undefined : this.gateway.replay?.(ticket.venueId, idempotency)
    if (prior !== undefined) return prior
    const { problems, intent } = await this.evaluate(ticket)
    if (problems.length > 0 || intent === null) throw refusal(problems)
    return this.gateway.submit({ ...intent, origin: { kind: 'manual', ref: null }, ...(idempotency === undefined ? {} : { idempotency }) })
  }

  /**
   * Checks a cancel-replace of a resting limit order with the ticket's rules: the new price on the tick,
   * the new total amount floored to the step, and what is left to place (total − filled) above the
   * minimums. Returns the values to hand to the order manager.
   * The order manager cancels before it places the replacement, so what the venue would refuse is refused
   * here, while the order still works: a post-only price across the live book, and a replacement that the
   * free balance plus what the order holds now cannot pay for.
   */
  async checkAmend(order: OrderRecord, change: { price?: string | undefined; amount?: string | undefined }): Promise<{ price: string; amount: string }> {
    if (order.type !== 'limit' || order.price === null) throw new AppError('BAD_INPUT', 'Only a limit order can be amended')
    const { venue, label, market } = await this.resolveOrThrow(order.venueId, order.symbol)
    const price = new Decimal(change.price ?? order.price)
    const off = priceOffTick(price, market)
    if (off !== null) throw new AppError('BAD_INPUT', off)
    const requested = new Decimal(change.amount ?? order.amount)
    const amount = floorToStep(requested, market.stepSize)
    if (amount.isZero()) throw new AppError('BAD_INPUT', amountTooSmall(requested, amount, market) as string)
    if (amount.lte(order.filled)) {
      throw new AppError('BAD_INPUT', `${order.filled} ${market.base} of this order has filled already: the new amount must be larger`)
    }
    const rest = amount.minus(order.filled)
    const small = amountTooSmall(rest, rest, market) ?? notionalTooSmall(rest.times(price), market, false)
    if (small !== null) throw new AppError('BAD_INPUT', new Decimal(order.filled).isZero() ? small : `What is left to place: ${small}`)
    const kept = ': the order is left as it was'
    if (order.postOnly) {
      const crossing = await postOnlyCrossing(this.books, venue, order, price, market)
      if (crossing !== null) throw new AppError('BAD_INPUT', crossing + kept)
    }
    const short = await amendShort(this.books, venue, label, market, order, price, rest)
    if (short !== null) throw new AppError('BAD_INPUT', short + kept)
    return { price: formatPrice(price, market.tickSize), amount: amount.toFixed() }
  }

  /** Closes the spot position at market: sells the free base balance (buys back a negative paper balance). */
  async flatten(venueId: string, symbol: string): Promise<OrderRecord> {
    const { venue, label, market } = await this.resolveOrThrow(venueId, symbol)
    let free: Decimal
    let total: Decimal
    try {
      const row = (await venue.fetchBalances()).find((b) => b.asset === market.base)
      free = new Decimal(row?.free ?? '0')
      total = new Decimal(row?.total ?? '0')
    } catch (err) {
      throw new AppError('UNAVAILABLE', `Could not read the balances on ${label}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const side = total.isNegative() ? 'buy' : 'sell'
    const requested = side === 'buy' ? total.abs() : free
    if (requested.lte(0)) throw new AppError('BAD_INPUT', `No free ${market.base} on ${label}: nothing to flatten on ${symbol}`)
    const amount = floorToStep(requested, market.stepSize)
    const small = amountTooSmall(requested, amount, market)
    if (small !== null) throw new AppError('BAD_INPUT', `Cannot flatten ${symbol}: ${small}`)
    const book = await readBook(this.books, venue, venueId, symbol)
    const levels = side === 'buy' ? book.asks : book.bids
    if (book.status === 'live' && levels.length > 0) {
      const walk = walkAmount(levels, side, amount)
      if (walk.filled.gt(0)) {
        const tooSmall = notionalTooSmall(amount.times(walk.cost.div(walk.filled)), market, true)
        if (tooSmall !== null) throw new AppError('BAD_INPUT', `Cannot flatten ${symbol}: ${tooSmall}`)
      }
    }
    return this.gateway.submit({
      venueId,
      symbol,
      side,
      type: 'market',
      timeInForce: 'GTC',
      postOnly: false,
      amount: amount.toFixed(),
      origin: { kind: 'flatten', ref: null },
    })
  }

  private async evaluate(ticket: Ticket): Promise<Evaluation> {
    let resolved: ResolvedMarket
    try {
      resolved = await this.rules.resolve(ticket.venueId, ticket.symbol)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return {
        preview: {
          venueId: ticket.venueId,
          symbol: ticket.symbol,
          side: ticket.side,
          type: ticket.type,
          amount: null,
          price: ticket.price ?? null,
          notional: null,
          estimatedAvgPrice: null,
          slippagePct: null,
          estimatedFee: null,
          feeAsset: null,
          bookStatus: 'none',
        },
        problems: [{ field: 'market', message: err.message, code: err.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'BAD_INPUT' }],
        intent: null,
      }
    }
    return evaluateTicket({ ticket, ...resolved, books: this.books })
  }

  private async resolveOrThrow(venueId: string, symbol: string): Promise<ResolvedMarket> {
    try {
      return await this.rules.resolve(venueId, symbol)
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('BAD_INPUT', err.message)
      throw err
    }
  }
}

/** What a post-only order at `price` would take from the live book now; null when it would rest (or no live book). */
async function postOnlyCrossing(books: LiveBooks | undefined, venue: Venue, order: OrderRecord, price: Decimal, market: MarketInfo): Promise<string | null> {
  const book = await readBook(books, venue, order.venueId, order.symbol)
  const touch = book.status === 'live' ? touchOf(order.side === 'buy' ? book.asks : book.bids) : null
  if (touch === null || !marketable(order.side, price, touch)) return null
  return (
    `A post-only ${order.side} at ${formatPrice(price, market.tickSize)} would take liquidity (best ${order.side === 'buy' ? 'ask' : 'bid'} ` +
    `${formatPrice(touch, market.tickSize)}); the venue would refuse it`
  )
}

/**
 * Whether the free balance plus what the order holds now (its unfilled rest: quote at its price for a buy,
 * base for a sell) pays for the replacement's rest; the message when it does not, null when it does or the
 * balances cannot be read (the venue then has the last word). Where a buy's fee is paid in the quote it is
 * held too: on an exchange account as the ticket counts it (exchange-hold.ts: the taker rate on what a
 * new price crosses in the book now), on a paper account at the maker rate.
 */
async function amendShort(books: LiveBooks | undefined, venue: Venue, label: string, market: MarketInfo, order: OrderRecord, price: Decimal, rest: Decimal): Promise<string | null> {
  const buy = order.side === 'buy'
  const asset = buy ? market.quote : market.base
  const free = await freeBalance(venue, asset)
  if (free === null) return null
  const withFee = buy && market.feeIn === 'quote' ? new Decimal(market.makerFee).plus(1) : new Decimal(1)
  const heldRest = new Decimal(order.amount).minus(order.filled)
  const held = buy ? heldRest.times(order.price ?? 0).times(withFee) : heldRest
  const need = !buy ? rest : isPaperVenueId(venue.id) ? rest.times(price).times(withFee) : exchangeBuyHold(rest, price, await crossingNow(books, venue, order, price, rest, market), market)
  if (need.lte(free.plus(held))) return null
  const at = buy ? ` at ${formatPrice(price, market.tickSize)}` : ''
  return (
    `The amended ${order.side} of ${rest.toFixed()} ${market.base}${at} needs ${need.toFixed()} ${asset}; ` +
    `${free.toFixed()} ${asset} is free on ${label} and this order holds ${held.toFixed()} ${asset}`
  )
}

/** How much of a buy of `rest` at `price` the live book would fill at once (0 when it would rest, or no book is known). */
async function crossingNow(books: LiveBooks | undefined, venue: Venue, order: OrderRecord, price: Decimal, rest: Decimal, market: MarketInfo): Promise<Decimal> {
  // Only the fee in the quote depends on it.
  if (market.feeIn !== 'quote') return new Decimal(0)
  const book = await readBook(books, venue, order.venueId, order.symbol)
  if (book.status !== 'live' || !marketable('buy', price, touchOf(book.asks))) return new Decimal(0)
  return walkAmount(book.asks, 'buy', rest, price).filled
}

/** One error for all the problems: BAD_INPUT when the ticket itself is wrong, UNAVAILABLE when only reading failed. */
function refusal(problems: Problem[]): AppError {
  if (problems.length === 0) return new AppError('BAD_INPUT', 'The ticket has no amount')
  const code = problems.every((p) => p.code === 'UNAVAILABLE') ? 'UNAVAILABLE' : 'BAD_INPUT'
  return new AppError(code, problems.map((p) => p.message).join('; '))
}

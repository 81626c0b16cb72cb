import Decimal from 'decimal.js'
import type { ErrorCode } from '../../api/errors'
import type { Ticket, TicketPreview, TicketProblem } from '../../api/schemas/trading'
import type { Balance, MarketInfo, Venue } from '../../venues/port'
import type { OrderIntent } from '../model'
import { marketable, visibleAmount, walkAmount, walkQuote, type Level } from './book-walk'
import { readBook, touchOf, type BookRead, type LiveBooks } from './live-book'
import { timeInForceRefusal } from '../../venues/time-in-force'
import { isPaperVenueId } from '../../venues/paper/paper-accounts'
import { exchangeBuyHold } from './exchange-hold'
import { amountTooSmall, decimalsOf, floorToStep, formatPrice, notionalTooSmall, priceOffTick } from './rules'

// One ticket, evaluated: sized (base, quote or % of the free balance), floored to the step, checked against
// the market's rules, and estimated on the live book. Problems are collected, never thrown, so the preview
// can list them all; submit refuses with them.
// Fees follow the market's feeIn: charged in what the trade brings in (a buy's in the base), or always in
// the quote (paper accounts: a buy pays price × amount × (1 + fee), so "% of the free quote" is sized net
// of the fee, or 100 % would never be accepted).
// Every order is checked against the free balance (a buy's quote, a sell's base): the venue would refuse one
// it cannot pay for, and it would stay in the history as rejected.

export interface Problem extends TicketProblem {
  /** The error code submit refuses with: BAD_INPUT for the ticket, UNAVAILABLE when something could not be read. */
  code: ErrorCode
}

export interface Evaluation {
  preview: Omit<TicketPreview, 'problems' | 'ok'>
  problems: Problem[]
  /** What would be sent, when the ticket could be sized at all (origin still to be set). */
  intent: Omit<OrderIntent, 'origin'> | null
}

export interface EvaluateInput {
  ticket: Ticket
  venue: Venue
  label: string
  market: MarketInfo
  books: LiveBooks | undefined
}

const ZERO = new Decimal(0)

export async function evaluateTicket({ ticket, venue, label, market, books }: EvaluateInput): Promise<Evaluation> {
  const problems: Problem[] = []
  const problem = (field: Problem['field'], message: string, code: ErrorCode = 'BAD_INPUT') => problems.push({ field, message, code })
  const { side, type, symbol } = ticket

  if (!market.active) problem('market', `${symbol} is not trading on ${label} now (the market is inactive)`)
  const price = ticket.price === undefined ? null : new Decimal(ticket.price)
  // The price as shown: on the tick at its decimals; off the tick as typed (rounded, it would read as a
  // price that is fine while the problem next to it says it is not).
  let shownPrice: string | null = null
  if (price !== null) {
    const off = priceOffTick(price, market)
    if (off !== null) problem('price', off)
    shownPrice = off === null ? formatPrice(price, market.tickSize) : price.toFixed()
  }

  if (type === 'limit') {
    const refusal = timeInForceRefusal(label, ticket.timeInForce, venue.capabilities)
    if (refusal !== null) problem('timeInForce', refusal)
  }

  const book = await readBook(books, venue, venue.id, symbol)
  const levels = side === 'buy' ? book.asks : book.bids
  const bookUsable = book.status === 'live' && levels.length > 0
  // One problem about a missing book, however many steps needed it.
  let bookMissing = false
  const noBook = (what: string) => {
    if (bookMissing) return
    bookMissing = true
    const message =
      book.status === 'live'
        ? `The ${symbol} book on ${label} has no ${side === 'buy' ? 'asks' : 'bids'}: ${what}`
        : `No live ${symbol} book on ${label} (${book.reason ?? book.status}): ${what}`
    problem('book', message, book.status === 'live' ? 'BAD_INPUT' : 'UNAVAILABLE')
  }
  let thin = false
  const thinBook = (l: readonly Level[]) => {
    if (thin) return
    thin = true
    problem(
      'book',
      `The book shows only ${visibleAmount(l).toFixed()} ${market.base} on the ${side === 'buy' ? 'ask' : 'bid'} side within the loaded depth, ` +
        'less than this order needs',
    )
  }

  // ── size ──
  const sized = await requestedAmount(ticket, venue, market, label, price, book, problem, thinBook, noBook)
  const amount = sized === null ? null : floorToStep(sized, market.stepSize)
  if (sized !== null && amount !== null) {
    const small = amountTooSmall(sized, amount, market)
    if (small !== null) problem('size', small)
  }

  // ── estimate ──
  let avg: Decimal | null = null
  let slippage: Decimal | null = null
  let fee: Decimal | null = null
  let notional: Decimal | null = null
  const touch = touchOf(levels)
  const baseRate = new Decimal(market.takerFee)
  const makerRate = new Decimal(market.makerFee)
  const feeInBase = side === 'buy' && market.feeIn !== 'quote'
  if (type === 'market') {
    if (!bookUsable) noBook('a market order needs it to estimate its fill')
    else if (amount !== null && amount.gt(0)) {
      const walk = walkAmount(levels, side, amount)
      if (walk.short) thinBook(levels)
      // A book too thin for the order (in base, or in quote: sized to all it shows) gives no estimate: an
      // average, slippage or value of the part it shows would be the figures of an order nobody asked for.
      if (walk.filled.gt(0) && !thin) {
        avg = walk.cost.div(walk.filled)
        notional = amount.times(avg)
        fee = feeInBase ? amount.times(baseRate) : notional.times(baseRate)
      }
      if (walk.filled.gt(0) && side === 'buy') {
        // The venue refuses a market buy its free quote cannot pay for in full; say so before sending it.
        const need = feeInBase ? walk.cost : walk.cost.plus(walk.cost.times(baseRate))
        const free = await freeBalance(venue, market.quote)
        if (free !== null && need.gt(free)) {
          const what = thin
            ? `: the visible ${walk.filled.toFixed()} ${market.base} alone need`
            : ' needs'
          problem(
            'balance',
            `A market buy of ${amount.toFixed()} ${market.base}${what} ≈ ${need.toDecimalPlaces(8).toFixed()} ${market.quote} ` +
              `at the book now; ${free.toFixed()} ${market.quote} is free on ${label}`,
          )
        }
      }
    }
  } else if (price !== null && amount !== null && amount.gt(0)) {
    notional = amount.times(price)
    const taking = bookUsable && marketable(side, price, touch)
    if (ticket.postOnly && taking && touch !== null) {
      problem(
        'price',
        `A post-only ${side} at ${shownPrice} would take liquidity (best ${side === 'buy' ? 'ask' : 'bid'} ` +
          `${formatPrice(touch, market.tickSize)}); the venue would refuse it`,
      )
    }
    const now = taking ? walkAmount(levels, side, amount, price) : { filled: ZERO, cost: ZERO, short: true }
    const rest = amount.minus(now.filled)
    const cost = now.cost.plus(rest.times(price))
    avg = cost.div(amount)
    fee = feeInBase
      ? now.filled.times(baseRate).plus(rest.times(makerRate))
      : now.cost.times(baseRate).plus(rest.times(price).times(makerRate))
    if (!taking) slippage = ZERO
    if (side === 'buy') {
      // An exchange holds a limit buy's price × amount (and the fee at that price, where it is paid in the
      // quote) however it will fill; a paper account reserves what crosses at the book and what rests at the price.
      const need = isPaperVenueId(venue.id) ? (feeInBase ? cost : cost.plus(fee)) : exchangeBuyHold(amount, price, now.filled, market)
      const free = await freeBalance(venue, market.quote)
      if (free !== null && need.gt(free)) {
        problem(
          'balance',
          `A limit buy of ${amount.toFixed()} ${market.base} at ${shownPrice} needs ` +
            `${need.toDecimalPlaces(8).toFixed()} ${market.quote}${feeInBase ? '' : ' with its fee'}; ${free.toFixed()} ${market.quote} is free on ${label}`,
        )
      }
    }
  }
  if (side === 'sell' && amount !== null && amount.gt(0)) {
    // A sell needs its whole amount free (what open orders hold is not); its fee comes out of the quote received.
    const free = await freeBalance(venue, market.base)
    if (free !== null && amount.gt(free)) {
      problem('balance', `A ${type} sell of ${amount.toFixed()} ${market.base} needs ${amount.toFixed()} ${market.base}; ${free.toFixed()} ${market.base} is free on ${label}`)
    }
  }
  if (avg !== null && slippage === null && touch !== null) {
    slippage = (side === 'buy' ? avg.minus(touch) : touch.minus(avg)).div(touch).times(100)
  }
  if (notional !== null && amount !== null && amount.gt(0)) {
    const small = notionalTooSmall(notional, market, type === 'market')
    if (small !== null) problem('size', small)
  }

  const tickDp = decimalsOf(market.tickSize)
  const preview = {
    venueId: venue.id,
    symbol,
    side,
    type,
    amount: amount === null ? null : amount.toFixed(),
    price: shownPrice,
    notional: notional === null ? null : notional.toDecimalPlaces(8).toFixed(),
    estimatedAvgPrice: avg === null ? null : avg.toDecimalPlaces(tickDp + 4).toFixed(),
    slippagePct: slippage === null ? null : slippage.toDecimalPlaces(4).toFixed(),
    estimatedFee: fee === null ? null : fee.toDecimalPlaces(8).toFixed(),
    feeAsset: fee === null ? null : feeInBase ? market.base : market.quote,
    bookStatus: book.status,
  }
  const intent =
    amount === null || amount.lte(0)
      ? null
      : {
          venueId: venue.id,
          symbol,
          side,
          type,
          timeInForce: ticket.timeInForce,
          postOnly: ticket.postOnly,
          amount: amount.toFixed(),
          ...(price === null ? {} : { price: formatPrice(price, market.tickSize) }),
        }
  return { preview, problems, intent }
}

/** The free amount of one asset; null when the balances cannot be read (the venue then has the last word). */
export async function freeBalance(venue: Venue, asset: string): Promise<Decimal | null> {
  try {
    return new Decimal((await venue.fetchBalances()).find((b) => b.asset === asset)?.free ?? '0')
  } catch {
    return null
  }
}

type AddProblem = (field: Problem['field'], message: string, code?: ErrorCode) => void

/** The base amount the ticket asks for, before flooring; null when it cannot be sized (a problem says why). */
async function requestedAmount(
  ticket: Ticket,
  venue: Venue,
  market: MarketInfo,
  label: string,
  price: Decimal | null,
  book: BookRead,
  problem: AddProblem,
  thinBook: (levels: readonly Level[]) => void,
  noBook: (what: string) => void,
): Promise<Decimal | null> {
  const { size, side } = ticket
  const value = new Decimal(size.value)
  if (size.unit === 'base') return value
  const fromQuote = (quote: Decimal): Decimal | null => {
    if (price !== null) return quote.div(price)
    const levels = side === 'buy' ? book.asks : book.bids
    if (book.status !== 'live' || levels.length === 0) {
      noBook(`cannot turn ${quote.toFixed()} ${market.quote} into an amount`)
      return null
    }
    const walk = walkQuote(levels, quote)
    if (walk.short) thinBook(levels)
    return walk.amount
  }
  if (size.unit === 'quote') return fromQuote(value)

  // percent of the free balance: quote for a buy, base for a sell
  const asset = side === 'buy' ? market.quote : market.base
  let balances: Balance[]
  try {
    balances = await venue.fetchBalances()
  } catch (err) {
    problem('balance', `Could not read the balances on ${label}: ${err instanceof Error ? err.message : String(err)}`, 'UNAVAILABLE')
    return null
  }
  const free = new Decimal(balances.find((b) => b.asset === asset)?.free ?? '0')
  if (free.lte(0)) {
    problem('balance', `No free ${asset} on ${label} to ${side === 'buy' ? 'spend' : 'sell'}`)
    return null
  }
  const part = free.times(value).div(100)
  if (side === 'sell') return part
  return fromQuote(market.feeIn === 'quote' ? part.div(new Decimal(1).plus(feeRateFor(ticket, market, price, book))) : part)
}

/**
 * The fee rate a buy paying its fee in the quote is sized by: the maker rate for one that only rests
 * (post-only, or a limit below the best ask); else the taker rate, or the maker rate when larger, as what
 * crosses pays the one and what rests the other (also when the book is not known: the larger is safe).
 */
function feeRateFor(ticket: Ticket, market: MarketInfo, price: Decimal | null, book: BookRead): Decimal {
  const taker = new Decimal(market.takerFee)
  const maker = new Decimal(market.makerFee)
  const rests = ticket.postOnly || (price !== null && book.status === 'live' && !marketable(ticket.side, price, touchOf(book.asks)))
  return rests ? maker : Decimal.max(taker, maker)
}


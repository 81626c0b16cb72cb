import Decimal from 'decimal.js'
import type { BookLevel, Venue } from '../../venues/port'
import type { Level } from './book-walk'
import { RequestHeldError, failFastWhileHeld } from '../../venues/ccxt/request-hold'

// The book an estimate or a risk check reads: the market module's shared live book when a view has it
// open (no extra traffic), else one REST snapshot from the venue (fresh at the moment it is read).

/** What is read of one side of the market module's book (BookSide). */
export interface SideReader {
  readonly length: number
  priceAt(rank: number): number
  sizeAt(rank: number): number
  priceTextAt(rank: number): string | undefined
  sizeTextAt(rank: number): string | undefined
}

/** The market module's shared books (MarketDataService.bookFeed). */
export interface LiveBooks {
  bookFeed(
    venueId: string,
    symbol: string,
  ): { health: { status: 'live' | 'resyncing' | 'stale'; reason: string | null }; book: { bids: SideReader; asks: SideReader } } | undefined
}

export type BookStatus = 'live' | 'resyncing' | 'stale' | 'none'

export interface BookRead {
  status: BookStatus
  /** Why it is not live, in words; null when live. */
  reason: string | null
  bids: Level[]
  asks: Level[]
  /** Where it came from: the shared live book, or a REST snapshot taken now. */
  source: 'feed' | 'snapshot' | 'none'
}

/** Levels read per side; deep enough for any order a person types into a ticket. */
export const BOOK_DEPTH = 500
const SNAPSHOT_DEPTH = 100

export async function readBook(books: LiveBooks | undefined, venue: Venue, venueId: string, symbol: string): Promise<BookRead> {
  const feed = books?.bookFeed(venueId, symbol)
  if (feed !== undefined && feed.health.status === 'live') {
    return { status: 'live', reason: null, bids: levelsOf(feed.book.bids), asks: levelsOf(feed.book.asks), source: 'feed' }
  }
  // No running book, or it is not live now: a REST snapshot is the honest picture of this moment. Someone waits
  // for it (an estimate, a risk check): while the connection is rate-held it is refused at once, saying until when.
  try {
    const snap = await failFastWhileHeld(() => venue.fetchOrderBook(symbol, SNAPSHOT_DEPTH))
    return { status: 'live', reason: null, bids: parseLevels(snap.bids), asks: parseLevels(snap.asks), source: 'snapshot' }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    // (Held: that is why the book is not live either, and when it may be again.)
    if (feed !== undefined) return { status: feed.health.status, reason: err instanceof RequestHeldError ? why : (feed.health.reason ?? why), bids: [], asks: [], source: 'none' }
    return { status: 'none', reason: `no book: ${why}`, bids: [], asks: [], source: 'none' }
  }
}

function levelsOf(side: SideReader): Level[] {
  const n = Math.min(side.length, BOOK_DEPTH)
  const out: Level[] = []
  for (let rank = 0; rank < n; rank++) {
    const price = side.priceTextAt(rank) ?? String(side.priceAt(rank))
    const size = side.sizeTextAt(rank) ?? String(side.sizeAt(rank))
    out.push({ price: new Decimal(price), amount: new Decimal(size) })
  }
  return out
}

function parseLevels(levels: readonly BookLevel[]): Level[] {
  const out: Level[] = []
  for (const [price, amount] of levels) {
    const p = new Decimal(price)
    const a = new Decimal(amount)
    if (p.gt(0) && a.gt(0)) out.push({ price: p, amount: a })
  }
  return out
}

/** Best price of a side, or null when empty. */
export function touchOf(levels: readonly Level[]): Decimal | null {
  return levels[0]?.price ?? null
}

/** Mid of the touch, or null when a side is empty. */
export function midOf(book: Pick<BookRead, 'bids' | 'asks'>): Decimal | null {
  const bid = touchOf(book.bids)
  const ask = touchOf(book.asks)
  return bid !== null && ask !== null ? bid.plus(ask).div(2) : null
}

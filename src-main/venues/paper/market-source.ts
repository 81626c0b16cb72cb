import type { BookLevel, PublicTrade, Side } from '../port'
import type { MarketDataService } from '../../market/service'
import type { BookFeed } from '../../market/book-feed'
import { D, ZERO, type D as Dec } from './decimal'

// What the paper venue matches against: one market's live book and its public trades. In the engine they
// come from the market module's shared feeds (one watch loop per market, shared with the screen's views);
// unit tests drive a hand-made one.

export type BookSideName = 'bids' | 'asks'

export interface PaperBookHealth {
  status: 'live' | 'resyncing' | 'stale'
  /** Why not live, in words; null when live. */
  reason: string | null
}

/** A held book: read it while held, release it once. */
export interface PaperBook {
  health(): PaperBookHealth
  /** The rank-th level from the best (0 = best), as the venue sent it; undefined past the end. */
  level(side: BookSideName, rank: number): BookLevel | undefined
  /** The size resting at exactly this price on this side (0 when none). */
  sizeAt(side: BookSideName, price: Dec): Dec
  /** How many levels of this side the book holds (the venue's depth may cut it: beyond it is unknown). */
  depth(side: BookSideName): number
  /** Called after every change of levels or health. */
  onChange(listener: () => void): () => void
  release(): void
}

export interface PaperMarketSource {
  /** Starts (or joins) the market's book watch. */
  book(symbol: string): PaperBook
  /** Live public trades of the market as they arrive (never history); returns the stop. */
  trades(symbol: string, onTrades: (trades: PublicTrade[]) => void): () => void
}

/** The book on the other side of a taker of this side. */
export function oppositeOf(side: Side): BookSideName {
  return side === 'buy' ? 'asks' : 'bids'
}

export function ownSideOf(side: Side): BookSideName {
  return side === 'buy' ? 'bids' : 'asks'
}

/**
 * True when a resting order's price is within the levels its own side of the book shows (not worse than
 * the last one): only then does sizeAt tell what queues there. Beyond the loaded depth a level may hold
 * any size the book does not show.
 */
export function inView(book: PaperBook, side: Side, price: Dec): boolean {
  const own = ownSideOf(side)
  const n = book.depth(own)
  const last = n > 0 ? book.level(own, n - 1) : undefined
  if (last === undefined) return false
  return side === 'buy' ? price.gte(last[0]) : price.lte(last[0])
}

/** The market module's feeds for one venue id (the paper venue's own id: the same loops its screen views use). */
export function marketDataSource(market: MarketDataService, venueId: string): PaperMarketSource {
  return {
    book(symbol) {
      const held = market.holdBook(venueId, symbol)
      return bookOfFeed(held.feed, held.release)
    },
    trades(symbol, onTrades) {
      return market.watchRawTrades(venueId, symbol, onTrades)
    },
  }
}

function bookOfFeed(feed: BookFeed, release: () => void): PaperBook {
  const sideOf = (side: BookSideName) => (side === 'bids' ? feed.book.bids : feed.book.asks)
  return {
    health: () => {
      const h = feed.health
      return { status: h.status, reason: h.reason }
    },
    level(side, rank) {
      const s = sideOf(side)
      if (rank >= s.length) return undefined
      return [s.priceTextAt(rank) ?? String(s.priceAt(rank)), s.sizeTextAt(rank) ?? String(s.sizeAt(rank))]
    },
    sizeAt(side, price) {
      const s = sideOf(side)
      const rank = s.rankOf(price.toNumber())
      return rank < 0 ? ZERO : new D(s.sizeTextAt(rank) ?? String(s.sizeAt(rank)))
    },
    depth: (side) => sideOf(side).length,
    onChange: (listener) => feed.onChange(listener),
    release,
  }
}

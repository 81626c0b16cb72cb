import Decimal from 'decimal.js'
import type { BookFeed } from '../market/book-feed'
import type { DecimalString, MarketInfo } from './port'
import type { PriceOf } from './valuation'

// Prices for valuing a real or paper venue's balances: the live book the app already watches when one is
// open (its mid), else the venue's ticker, kept briefly per market. A price served from that cache was read
// earlier than the balances: `readAt` says the oldest such read, so the screen can say "prices as of". A
// price read during this valuation (two assets needing one market: XMR/BTC × BTC/USDT) is not such a read.

export type PriceCache = Map<string, { at: number; price: DecimalString | null }>

/** A market's live mid on a venue, or null when no live book of it is open. */
export type LiveMid = (venueId: string, symbol: string) => DecimalString | null

export interface VenuePricesInput {
  /** The venue ids whose live books price it (a paper account: its own, then its source's). */
  bookIds: readonly string[]
  liveMid: LiveMid
  /** The venue's markets when known: a symbol not among them has no price. */
  markets: readonly MarketInfo[] | undefined
  fetchLast: (symbol: string) => Promise<DecimalString | null>
  cache: PriceCache
  now: () => number
  ttlMs: number
}

export interface VenuePrices {
  priceOf: PriceOf
  /** The oldest time a cached price used was read before this valuation began, or undefined when all were read in it. */
  readAt(): number | undefined
}

export function venuePrices(input: VenuePricesInput): VenuePrices {
  let oldest: number | undefined
  const startedAt = input.now()
  const priceOf: PriceOf = async (symbol) => {
    if (input.markets && !input.markets.some((m) => m.symbol === symbol)) return null
    for (const id of input.bookIds) {
      const mid = input.liveMid(id, symbol)
      if (mid !== null) return mid
    }
    const now = input.now()
    const cached = input.cache.get(symbol)
    if (cached && now - cached.at < input.ttlMs) {
      if (cached.at < startedAt && cached.price !== null) oldest = Math.min(oldest ?? cached.at, cached.at)
      return cached.price
    }
    const price = await input.fetchLast(symbol)
    input.cache.set(symbol, { at: now, price })
    return price
  }
  return { priceOf, readAt: () => oldest }
}

/** The mid of a live book feed with both sides, else null (a resyncing or stale book prices nothing). */
export function midOfFeed(feed: BookFeed | undefined): DecimalString | null {
  if (feed === undefined || feed.health.status !== 'live') return null
  const { bids, asks } = feed.book
  if (bids.length === 0 || asks.length === 0) return null
  const bid = new Decimal(bids.priceTextAt(0) ?? bids.priceAt(0))
  const ask = new Decimal(asks.priceTextAt(0) ?? asks.priceAt(0))
  if (bid.lte(0) || ask.lt(bid)) return null
  return bid.plus(ask).div(2).toFixed()
}

import { describe, expect, it } from 'vitest'
import type { BookFeed } from '../../src-main/market/book-feed'
import { midOfFeed } from '../../src-main/venues/venue-prices'

// A live book prices a venue's balances at its mid only when it can be trusted: live, both sides, not crossed.

const side = (prices: string[]) => ({ length: prices.length, priceTextAt: (i: number) => prices[i], priceAt: (i: number) => Number(prices[i]) })
const feed = (status: string, bids: string[], asks: string[]) =>
  ({ health: { status, reason: null }, book: { bids: side(bids), asks: side(asks) } }) as unknown as BookFeed

describe('midOfFeed', () => {
  it('a live book with both sides prices at its mid, in exact decimals', () => {
    expect(midOfFeed(feed('live', ['100'], ['101']))).toBe('100.5')
    expect(midOfFeed(feed('live', ['0.1'], ['0.2']))).toBe('0.15')
  })

  it('a stale or resyncing book prices nothing', () => {
    expect(midOfFeed(feed('stale', ['100'], ['101']))).toBeNull()
    expect(midOfFeed(feed('resyncing', ['100'], ['101']))).toBeNull()
  })

  it('a crossed book (best bid above best ask) prices nothing', () => {
    expect(midOfFeed(feed('live', ['101'], ['100']))).toBeNull()
  })

  it('a one-sided or empty book, or a zero bid, prices nothing', () => {
    expect(midOfFeed(feed('live', ['100'], []))).toBeNull()
    expect(midOfFeed(feed('live', [], ['101']))).toBeNull()
    expect(midOfFeed(feed('live', [], []))).toBeNull()
    expect(midOfFeed(feed('live', ['0'], ['101']))).toBeNull()
    expect(midOfFeed(undefined)).toBeNull()
  })
})

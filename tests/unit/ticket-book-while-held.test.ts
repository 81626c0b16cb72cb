import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { readBook, type LiveBooks } from '../../src-main/trading/ticket/live-book'

// The ticket's estimate and the risk checks read the market's live book, or a REST snapshot when it is not
// live. While the connection is rate-held (Binance: every connection to the host, a paper account's keyless
// one too) that snapshot cannot be sent: someone is waiting for the answer, so it is refused at once, saying
// until when — not left waiting for the hold's end (minutes, or hours after a 418), the ticket spinning.

let venue: CcxtVenue | undefined
afterEach(async () => {
  await venue?.close()
  venue = undefined
})

/** The market's book of the symbol, resyncing (its snapshot waits for the hold too). */
const resyncing: LiveBooks = {
  bookFeed: () => ({
    health: { status: 'resyncing', reason: 'awaiting snapshot' },
    book: { bids: { length: 0, priceAt: () => 0, sizeAt: () => 0, priceTextAt: () => undefined, sizeTextAt: () => undefined }, asks: { length: 0, priceAt: () => 0, sizeAt: () => 0, priceTextAt: () => undefined, sizeTextAt: () => undefined } },
  }),
}

describe('a book read for a ticket while the connection is rate-held', () => {
  it('answers at once that the book is not live and why; once the hold ends the next read is sent', async () => {
    const until = Date.UTC(2026, 0, 2, 14, 3, 7)
    let heldMs = 600_000
    venue = createCcxtVenue({
      accountId: 'paper:1',
      exchange: 'binance',
      sandbox: false,
      apiBaseUrl: 'http://127.0.0.1:9', // nothing listens: a request sent would fail as unreachable
      credentials: { apiKey: '', secret: '' },
      hold: () => ({ ms: heldMs, until }),
    })
    let read: Awaited<ReturnType<typeof readBook>> | undefined
    void readBook(resyncing, venue, 'paper:1', 'BTC/USDT').then((r) => (read = r))
    await vi.waitFor(() => expect(read).toBeDefined(), { timeout: 5_000 }) // (held to the end, it would wait 10 minutes)
    expect(read).toMatchObject({ status: 'resyncing', source: 'none', bids: [], asks: [] })
    expect(read!.reason).toBe('Binance is rate-limiting this account (it answered "Retry-After"): nothing is sent to Binance until 14:03:07 UTC (600 more s)')

    // The hold ends: the next read is sent (the markets it loads first were not left refused for good).
    heldMs = 0
    await expect(venue.fetchOrderBook('BTC/USDT', 100)).rejects.toMatchObject({ kind: 'unreachable' })
  })
})

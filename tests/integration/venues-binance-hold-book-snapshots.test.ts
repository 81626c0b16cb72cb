import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'

// A book that must resync while its connection is rate-held (Binance: every connection to the host, the keyless
// one of a paper account too) waits for a snapshot that cannot be sent. Nothing arrives meanwhile, so the book
// feed starts its watch over again, and each start asks ccxt for another snapshot, which waits too. When the
// hold ends, the book needs one snapshot: not every one asked for during the hold, each of Binance's heaviest
// reads (depth, weight 50), sent at once into the limit that just held the machine, ahead of anything else.
// The market runs on short silence thresholds here so that a hold of a few seconds sees many starts.

const ctx = { door: 'test' } as const
const BTC = 'BTC/USDT'
let fx: BinanceFixture
let core: Core

beforeEach(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ market: { staleAfterMs: 300, checkEveryMs: 100, backoffMs: [200, 400] } })
})
afterEach(async () => {
  await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)


/** The book snapshots read (not a live book's quiet-market probe of its top 5 levels). */
const snapshotReads = () => fx.server.faults.requests.filter((r) => r.path === '/api/v3/depth' && r.params['limit'] !== '5')

it('a book resyncing through a rate hold does not send a snapshot per restart once the hold ends', { timeout: 60_000 }, async () => {
  const paper = await call<{ id: string }>('paper.open', { source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: fx.server.restUrl }, balances: [{ asset: 'USDT', amount: '1000' }] })
  const venue = await core.venues.open(paper.id)
  const held = core.market.holdBook(paper.id, BTC)
  try {
    await vi.waitFor(() => expect(held.feed.health.status).toBe('live'), { timeout: 10_000 })
    // A chart's candles meet a 429 asking for 6 s: the host is held.
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/klines', headers: { 'Retry-After': '6' } })
    void venue.fetchCandles(BTC, '1m').catch(() => undefined)
    await vi.waitFor(() => expect(fx.server.faults.requests.some((r) => r.status === 429)).toBe(true), { timeout: 5_000 })
    fx.server.faults.clearLog()
    // The stream drops: the book must resync, and its snapshot waits for the hold.
    fx.server.faults.dropSockets()
    await vi.waitFor(() => expect(held.feed.health.status).not.toBe('live'), { timeout: 5_000 })
    const restartsBefore = held.feed.restarts
    await vi.waitFor(() => expect(held.feed.restarts).toBeGreaterThan(restartsBefore + 3), { timeout: 10_000 })
    expect(fx.server.faults.requests.filter((r) => r.path === '/api/v3/depth')).toEqual([]) // nothing is sent while held

    // The hold ends: the book is live again, from one snapshot.
    await vi.waitFor(() => expect(held.feed.health.status).toBe('live'), { timeout: 20_000 })
    await new Promise((r) => setTimeout(r, 1500)) // any snapshots still queued behind it would go out now
    // One for every start during the hold; at most one more, asked by a start after it ended but before the
    // book was live again (this test's thresholds are short), instead of one per start.
    expect(snapshotReads().length).toBeLessThanOrEqual(2)
  } finally {
    held.release()
  }
})

import { afterAll, beforeAll, expect, it } from 'vitest'
import { createBinanceFixture, startFlow, type BinanceFixture } from '../support/binance/fixture'
import { publicCcxtVenue } from '../../src-main/venues/paper/public-venue'
import type { Venue } from '../../src-main/venues/port'
import { waitFor } from '../support/wait-for'

// A paper account on Binance's public data has no key; ccxt refuses historicalTrades without one, so the
// refill after a reconnect must come from the recent trades (GET /api/v3/trades) instead of failing.

let fx: BinanceFixture
let venue: Venue
beforeAll(async () => {
  fx = await createBinanceFixture()
  venue = await publicCcxtVenue({ id: 'paper-binance', exchange: 'binance', apiBaseUrl: fx.server.restUrl })
})
afterAll(async () => {
  await (venue as { close?: () => Promise<void> }).close?.()
  await fx.close()
})

it('a keyless Binance venue pages the missed trades from its recent ones, starting with the cursor trade', async () => {
  // The flow trades until it has made more trades than the page of recent ones asked for below.
  const before = fx.engine.trades('BTC/USDT').length
  const stop = startFlow(fx.engine, 'BTC/USDT', '95000', '10', 5, 3)
  await waitFor(() => fx.engine.trades('BTC/USDT').length > before + 10, 'more than 10 trades from the flow')
  stop()
  const recent = await venue.fetchTrades('BTC/USDT', 10)
  expect(recent.length).toBeGreaterThan(3)
  const cursor = recent[0]!
  const page = await venue.fetchTradesAfter!('BTC/USDT', { id: cursor.id, timestamp: cursor.timestamp }, 1000)
  const ids = page.map((t) => t.id)
  expect(ids).toContain(cursor.id)
  expect(ids.slice(ids.indexOf(cursor.id))).toEqual(recent.map((t) => t.id))
})

import { expect, it } from 'vitest'
import { T0, krakenVenue } from '../support/kraken-trades'

// The forming candle's seed (CandleFeed) asks a Kraken account's latest candle through ccxt's throttle queue, as
// the trades refill asks its pages: the venue tells it when the request leaves, and sends none it gave up.

/** A Kraken venue (ccxt throttle 50 ms apart) that also answers GET /0/public/OHLC with one candle. */
function pacedKraken() {
  const k = krakenVenue([])
  const ex = (k.venue as unknown as { ex: { throttler: { config: { refillRate: number } }; fetch: (url: string) => Promise<unknown> } }).ex
  ex.throttler.config.refillRate = 1 / 50
  const trades = ex.fetch
  const ohlc: string[] = []
  ex.fetch = async (url: string) => {
    const u = new URL(url)
    if (u.pathname !== '/0/public/OHLC') return trades(url)
    ohlc.push(u.search)
    return { error: [], result: { XXBTZUSD: [[T0 / 1000, '100.0', '101.0', '99.0', '100.5', '100.2', '3.5', 7]], last: T0 / 1000 } }
  }
  return { venue: k.venue, ohlc }
}

it('a candle request tells its caller when it leaves the queue', async () => {
  const { venue, ohlc } = pacedKraken()
  const events: string[] = []
  const first = venue.fetchTrades('BTC/USD', 10) // takes the queue's first slot
  const rows = await venue.fetchCandles('BTC/USD', '1m', undefined, 1, { onQueued: () => events.push('queued'), onSent: () => events.push(`leaves (${ohlc.length} sent)`) })
  await first
  expect(events).toEqual(['queued', 'leaves (0 sent)'])
  expect(ohlc).toHaveLength(1)
  expect(rows.at(-1)).toMatchObject({ time: T0, close: '100.5', volume: '3.5' })
})

it('a candle request given up while it waited in the queue is not sent', async () => {
  const { venue, ohlc } = pacedKraken()
  const stop = new AbortController()
  const first = venue.fetchTrades('BTC/USD', 10)
  const seed = venue.fetchCandles('BTC/USD', '1m', undefined, 1, { signal: stop.signal, onQueued: () => stop.abort() })
  await expect(seed).rejects.toThrow(/given up/)
  await first
  expect(ohlc).toEqual([])
})

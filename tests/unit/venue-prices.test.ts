import { describe, expect, it } from 'vitest'
import { venuePrices, type PriceCache } from '../../src-main/venues/venue-prices'

// Valuing a real or paper venue's balances: a live book the app watches prices its market at once; without
// one, the ticker is read and kept briefly, and the valuation says when a kept price was read.

function setup(mids: Record<string, string> = {}) {
  let t = 1_000_000
  const cache: PriceCache = new Map()
  const fetched: string[] = []
  let last = '100'
  const read = (bookIds: string[] = ['paper:2', 'acc-1']) =>
    venuePrices({
      bookIds,
      liveMid: (id, symbol) => mids[`${id} ${symbol}`] ?? null,
      markets: undefined,
      fetchLast: async (symbol) => {
        fetched.push(symbol)
        return last
      },
      cache,
      now: () => t,
      ttlMs: 10_000,
    })
  return { read, fetched, later: (ms: number) => (t += ms), setLast: (p: string) => (last = p), now: () => t }
}

describe('venue prices for balances', () => {
  it('a price read just now has no "as of"; one kept from earlier says when it was read', async () => {
    const s = setup()
    const first = s.read()
    expect(await first.priceOf('BTC/USDT')).toBe('100')
    expect(first.readAt()).toBeUndefined()
    const readTime = s.now()
    s.later(4_000)
    s.setLast('103')
    const second = s.read()
    expect(await second.priceOf('BTC/USDT')).toBe('100')
    expect(second.readAt()).toBe(readTime)
    expect(s.fetched).toEqual(['BTC/USDT'])
  })

  it('a price read earlier in the same valuation is not "as of" (XMR/BTC × BTC/USDT both need BTC/USDT)', async () => {
    const s = setup()
    const r = s.read()
    expect(await r.priceOf('BTC/USDT')).toBe('100')
    s.later(150) // one round trip for the next market
    expect(await r.priceOf('XMR/BTC')).toBe('100')
    expect(await r.priceOf('BTC/USDT')).toBe('100') // served from the cache this valuation filled
    expect(r.readAt()).toBeUndefined()
    expect(s.fetched).toEqual(['BTC/USDT', 'XMR/BTC'])
  })

  it('a live book of the venue or of its source prices the market at its mid, with no "as of"', async () => {
    const s = setup({ 'acc-1 BTC/USDT': '101.5' })
    const r = s.read()
    expect(await r.priceOf('BTC/USDT')).toBe('101.5')
    expect(r.readAt()).toBeUndefined()
    expect(s.fetched).toEqual([])
  })
})

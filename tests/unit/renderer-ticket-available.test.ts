import { describe, expect, it } from 'vitest'
import { availableOf } from '../../src-renderer/features/trading/available'
import type { BalancesView, VenueBalances } from '../../src-main/api/contract'

const venue = (venueId: string, balances: [string, string][], error: string | null = null): VenueBalances => ({
  venueId,
  label: venueId,
  kind: 'exchange',
  balances: balances.map(([asset, free]) => ({ asset, free, used: '1', total: free, value: null })),
  value: null,
  error,
  updatedAt: 0,
})
const view = (venues: VenueBalances[]): BalancesView => ({ valuationAsset: 'USDT', venues, totals: [], totalValue: '0', unvalued: [] })
const btc = { base: 'BTC', quote: 'USDT' }

describe('what the ticket says is available', () => {
  it('is the free quote for a buy and the free base for a sell, on the ticket’s venue', () => {
    const v = view([venue('sim', [['USDT', '10000'], ['BTC', '0.25']]), venue('binance-1', [['USDT', '5']])])
    expect(availableOf(v, 'sim', 'buy', btc)).toEqual({ state: 'known', asset: 'USDT', free: '10000' })
    expect(availableOf(v, 'sim', 'sell', btc)).toEqual({ state: 'known', asset: 'BTC', free: '0.25' })
    expect(availableOf(v, 'binance-1', 'buy', btc)).toEqual({ state: 'known', asset: 'USDT', free: '5' })
  })

  it('is 0 of an asset the venue does not hold, unknown before the venue reports, and the venue’s error when it failed', () => {
    const v = view([venue('binance-1', [['USDT', '5']]), venue('bad', [], 'Invalid signature')])
    expect(availableOf(v, 'binance-1', 'sell', btc)).toEqual({ state: 'known', asset: 'BTC', free: '0' })
    expect(availableOf(null, 'sim', 'buy', btc)).toEqual({ state: 'unknown', asset: 'USDT' })
    expect(availableOf(v, 'paper:9', 'buy', btc)).toEqual({ state: 'unknown', asset: 'USDT' })
    expect(availableOf(v, 'bad', 'buy', btc)).toEqual({ state: 'error', asset: 'USDT', message: 'Invalid signature' })
  })
})

import { describe, expect, it } from 'vitest'
import { availableOf } from '../../src-renderer/features/trading/available'

const reported = (balances: [string, string][], error: string | null = null) => ({ balances: balances.map(([asset, free]) => ({ asset, free })), error })
const btc = { base: 'BTC', quote: 'USDT' }

describe('what the ticket says is available', () => {
  it('is the free quote for a buy and the free base for a sell', () => {
    const v = reported([['USDT', '10000'], ['BTC', '0.25']])
    expect(availableOf(v, 'buy', btc)).toEqual({ state: 'known', asset: 'USDT', free: '10000' })
    expect(availableOf(v, 'sell', btc)).toEqual({ state: 'known', asset: 'BTC', free: '0.25' })
    expect(availableOf(reported([['ETH', '2'], ['BTC', '1']]), 'sell', { base: 'ETH', quote: 'BTC' })).toEqual({ state: 'known', asset: 'ETH', free: '2' })
  })

  it('is 0 of an asset the venue does not hold, unknown before the venue reports, and the venue’s error when it failed', () => {
    expect(availableOf(reported([['USDT', '5']]), 'sell', btc)).toEqual({ state: 'known', asset: 'BTC', free: '0' })
    expect(availableOf(null, 'buy', btc)).toEqual({ state: 'unknown', asset: 'USDT' })
    expect(availableOf(reported([], 'Invalid signature'), 'buy', btc)).toEqual({ state: 'error', asset: 'USDT', message: 'Invalid signature' })
  })
})

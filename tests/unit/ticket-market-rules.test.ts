import { describe, expect, it } from 'vitest'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import { btcUsdt, fakeVenue, type FakeVenue } from '../support/desk-fakes'

// The ticket's and the risk gate's market rules: loaded once a minute per venue object, so an edited
// account's fresh venue (another URL or the sandbox, with other markets or ticks) is asked at once.

describe('MarketRules', () => {
  it('keeps a venue’s markets for a minute, and loads the fresh venue object’s markets after an account edit', async () => {
    let current: FakeVenue = fakeVenue('binance-1')
    const first = current
    let now = 0
    const rules = new MarketRules({ list: () => [{ id: 'binance-1', label: 'Main' }], open: async () => current }, () => now)
    expect((await rules.resolve('binance-1', 'BTC/USDT')).market.tickSize).toBe('0.01')
    now = 30_000
    await rules.resolve('binance-1', 'BTC/USDT')
    expect(first.calls.filter((c) => c === 'loadMarkets')).toHaveLength(1)
    // The account is edited: the registry hands out a new object whose markets differ.
    current = fakeVenue('binance-1', [{ ...btcUsdt, tickSize: '0.1' }])
    const resolved = await rules.resolve('binance-1', 'BTC/USDT')
    expect(resolved.venue).toBe(current)
    expect(resolved.market.tickSize).toBe('0.1')
    expect(current.calls.filter((c) => c === 'loadMarkets')).toHaveLength(1)
  })
})

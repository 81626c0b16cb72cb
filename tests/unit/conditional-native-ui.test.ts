import { describe, expect, it } from 'vitest'
import type { VenueView } from '../../src-main/api/contract'
import { exchangePlacement } from '../../src-renderer/features/trading/nativePlacement'

// The ticket offers "on exchange" only where the venue holds stop orders itself, and says why not otherwise.

const venue = (over: Partial<VenueView> = {}): VenueView => ({
  id: 'acc1',
  exchange: 'binance',
  label: 'Binance main',
  kind: 'exchange',
  accountId: 'acc1',
  connection: 'live',
  reason: null,
  marketCount: 10,
  nativeStops: true,
  ...over,
})

describe('the ticket\'s "on exchange" choice', () => {
  it('is offered for stop and take-profit orders on the last trade, on an exchange that holds stops', () => {
    for (const mode of ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit'] as const) {
      expect(exchangePlacement(venue(), mode, 'last')).toEqual({ exchange: true, why: null })
    }
  })

  it('is not offered, with the reason, elsewhere', () => {
    expect(exchangePlacement(undefined, 'stop-market', 'last').why).toBe('Choose a market to see whether its exchange can hold the order')
    expect(exchangePlacement(venue({ kind: 'simulated', label: 'Simulated' }), 'stop-market', 'last')).toEqual({
      exchange: false,
      why: 'The simulated exchange holds no stop orders itself: the app holds them',
    })
    expect(exchangePlacement(venue({ kind: 'paper', label: 'Paper on Binance' }), 'stop-market', 'last').why).toBe(
      'Paper on Binance is a paper account, matched in the app: its stops are held in the app',
    )
    expect(exchangePlacement(venue({ exchange: 'mexc', label: 'MEXC', nativeStops: false }), 'stop-market', 'last').why).toBe('MEXC cannot hold stop orders natively (not through ccxt)')
    expect(exchangePlacement(venue({ nativeStops: undefined }), 'stop-market', 'last').exchange).toBe(false)
    expect(exchangePlacement(venue(), 'trailing-stop', 'last').why).toBe('Trailing stops are held in the app: Binance main takes stop and take-profit orders only')
    expect(exchangePlacement(venue(), 'stop-limit', 'mid').why).toBe('Binance main triggers stop orders on its last trade price: choose "Last trade" to place it there')
  })
})

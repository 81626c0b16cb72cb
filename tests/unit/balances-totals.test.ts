import { describe, expect, it } from 'vitest'
import { totalBalances } from '../../src-main/venues/balance-totals'
import type { VenueBalances } from '../../src-main/api/schemas/venues'

// The Balances page's Total: each asset summed over the accounts. One account that cannot price an asset
// (Kraken: no EUR price read) must not take the euros another account values out of the total.
const venue = (venueId: string, rows: [asset: string, total: string, value: string | null][]): VenueBalances => ({
  venueId,
  label: venueId,
  kind: 'exchange',
  balances: rows.map(([asset, total, value]) => ({ asset, free: total, used: '0', total, value })),
  value: null,
  error: null,
  updatedAt: 0,
})

describe('balances totals across accounts', () => {
  it('sums the values it knows; the amount no account could price is named, not the whole currency dropped', () => {
    const view = totalBalances([
      venue('coinbase', [['EUR', '2000', '2200'], ['USDT', '100', '100']]),
      venue('kraken', [['EUR', '1000', null], ['XYZ', '5', null]]),
    ])
    expect(view.totalValue).toBe('2300') // 2,200 for Coinbase's euros + 100 USDT
    expect(view.totals).toEqual([
      { asset: 'EUR', total: '3000', value: '2200', notValued: '1000' },
      { asset: 'USDT', total: '100', value: '100', notValued: '0' },
      { asset: 'XYZ', total: '5', value: null, notValued: '5' },
    ])
    expect(view.unvalued).toEqual(['EUR', 'XYZ'])
  })

  it('everything priced: nothing listed as not valued', () => {
    const view = totalBalances([venue('a', [['BTC', '1', '60000']]), venue('b', [['BTC', '0.5', '30000']])])
    expect(view).toEqual({ totals: [{ asset: 'BTC', total: '1.5', value: '90000', notValued: '0' }], totalValue: '90000', unvalued: [] })
  })
})

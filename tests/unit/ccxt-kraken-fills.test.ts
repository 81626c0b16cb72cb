import { describe, expect, it } from 'vitest'
import { walkFillWindows } from '../../src-main/venues/ccxt/history'
import type { Fill } from '../../src-main/venues/port'
import { stubbedVenue, type Raw } from './ccxt-stub'

// Kraken's TradesHistory returns 50 trades a request, newest first (`ofs` pages back), across ALL pairs
// (docs.kraken.com/api-reference/account-data/get-trades-history); ccxt keeps the asked pair's rows after.
// The stub answers exactly so. A page of fewer than the asked pair's limit is not the end of the window.

const now = Date.now()
const since = now - 6 * 3600_000

function kraken() {
  const trades: Record<string, Raw> = {}
  // 80 fills of one order on BTC/USDT over the last 5 hours, then 40 fills on another pair after them.
  for (let i = 0; i < 80; i++) {
    trades[`TBTC${String(i).padStart(3, '0')}-AAAAA-BBBBBB`] = { ordertxid: 'OQCLML-BW3P3-BUCMWZ', postxid: 'TKH2SE-M7IF5-CFI7LT', pair: 'XXBTZUSD', time: (now - 5 * 3600_000 + i * 60_000) / 1000, type: 'buy', ordertype: 'limit', price: '30010.00000', cost: '30.01000', fee: '0.04802', vol: '0.00100000', margin: '0.00000', misc: '', trade_id: 1000 + i, maker: true }
  }
  for (let i = 0; i < 40; i++) {
    trades[`TETH${String(i).padStart(3, '0')}-AAAAA-BBBBBB`] = { ordertxid: 'OTHER-ORDER-ID', postxid: 'X', pair: 'XETHZUSD', time: (now - 2 * 3600_000 + i * 60_000) / 1000, type: 'sell', ordertype: 'limit', price: '2000.00', cost: '2.00', fee: '0.0032', vol: '0.001', margin: '0', misc: '', trade_id: 5000 + i, maker: true }
  }
  const stub = stubbedVenue('kraken', (s) => {
    if (s.path !== '/0/private/TradesHistory') throw new Error(`unexpected ${s.path}`)
    const start = s.fields.start !== undefined ? Number(s.fields.start) : 0
    const end = s.fields.end !== undefined ? Number(s.fields.end) : Infinity
    const ofs = s.fields.ofs !== undefined ? Number(s.fields.ofs) : 0
    const inWindow = Object.entries(trades)
      .filter(([, t]) => (t.time as number) > start && (t.time as number) <= end)
      .sort((a, b) => (b[1].time as number) - (a[1].time as number))
    return { error: [], result: { trades: Object.fromEntries(inWindow.slice(ofs, ofs + 50)), count: inWindow.length } }
  })
  const byId = stub.ex.markets_by_id as Record<string, unknown>
  byId.XETHZUSD = [{ id: 'XETHZUSD', symbol: 'ETH/USD', base: 'ETH', quote: 'USD', spot: true, type: 'spot', precision: {}, limits: {} }]
  return stub
}

const ids = (fills: Fill[]) => fills.map((f) => f.tradeId)
const expected = Array.from({ length: 80 }, (_, i) => `TBTC${String(i).padStart(3, '0')}-AAAAA-BBBBBB`)

describe('Kraken fills: 50 trades a request, across all pairs', () => {
  it('fetchMyFills returns every fill of the pair since the time asked, oldest first', async () => {
    const { venue, sent } = kraken()
    const fills = await venue.fetchMyFills('BTC/USDT', since)
    expect(ids(fills)).toEqual(expected)
    expect(fills[0]).toMatchObject({ venueOrderId: 'OQCLML-BW3P3-BUCMWZ', price: '30010', amount: '0.001', fee: { amount: '0.04802' } })
    expect(sent.map((s) => s.fields.ofs)).toEqual(['0', '50', '100'])
  })

  it('the history sync reads every fill of a window the way it walks pages', async () => {
    const { venue } = kraken()
    const paging = venue.historyPaging()
    const got: Fill[] = []
    await walkFillWindows((page) => venue.fetchMyFillsPage('BTC/USDT', page), { since, until: now, ...paging.trades }, (fills) => {
      got.push(...fills)
    })
    expect(ids(got)).toEqual(expected)
  })

  it("a window's page holds only fills inside it, so windows side by side never share one", async () => {
    const { venue } = kraken()
    const cut = now - 4 * 3600_000 // fill 60 is at exactly this millisecond
    const before = await venue.fetchMyFillsPage('BTC/USDT', { since, until: cut - 1, limit: 50 })
    const after = await venue.fetchMyFillsPage('BTC/USDT', { since: cut, until: now, limit: 50 })
    expect(ids([...before, ...after])).toEqual(expected)
    expect(before).toHaveLength(60)
  })
})

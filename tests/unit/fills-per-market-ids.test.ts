import { afterEach, describe, expect, it } from 'vitest'
import { applyFill } from '../../src-renderer/features/trading/ordersModel'
import { mergeFills, olderFillsBefore } from '../../src-renderer/features/trading/scopedModel'
import { fill } from '../support/order-views'
import { harness, type Harness } from './orders-support'

// Binance and OKX number trades per market: an ETH/USDT trade may carry the id of a BTC/USDT trade of the
// same account. A fill is one trade of one market of one account: both are recorded, listed and paged.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const base = { clientOrderId: null, side: 'buy' as const, liquidity: 'taker' as const }

describe('fills with the same trade id on two markets of one account', () => {
  it('are both recorded and listed; the same trade again is still recorded once', async () => {
    h = await harness()
    await h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' })) // follows the fake venue's streams
    const at = Date.now()
    const btc = { ...base, tradeId: '4242', venueOrderId: '9001', symbol: 'BTC/USDT', price: '95000', amount: '0.01', fee: { asset: 'BNB', amount: '0.0001' }, timestamp: at }
    const eth = { ...base, tradeId: '4242', venueOrderId: '7001', symbol: 'ETH/USDT', price: '3500', amount: '0.5', fee: { asset: 'BNB', amount: '0.0002' }, timestamp: at }
    h.fake.pushFill(btc)
    h.fake.pushFill(eth)
    h.fake.pushFill(eth)
    const listed = h.manager.fills({ venueId: 'fake', limit: 10 }).map((f) => [f.symbol, f.tradeId, f.amount])
    expect(listed.sort()).toEqual([['BTC/USDT', '4242', '0.01'], ['ETH/USDT', '4242', '0.5']])
    // Paging one at a time walks through both (same millisecond, same trade id).
    const first = h.manager.fills({ venueId: 'fake', limit: 1 })
    const second = h.manager.fills({ venueId: 'fake', limit: 1, before: { timestamp: first[0]!.timestamp, venueId: 'fake', symbol: first[0]!.symbol, tradeId: '4242' } })
    expect([...first, ...second].map((f) => f.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT'])
  })

  it('the screen keeps both (a fills.recorded event, a page merge) and pages on after the right one', () => {
    const btc = fill('4242', 5, 'binance', { symbol: 'BTC/USDT' })
    const eth = fill('4242', 5, 'binance', { symbol: 'ETH/USDT' })
    expect(applyFill(applyFill([], btc), eth).map((f) => f.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT'])
    const merged = mergeFills([btc], [eth], 10).rows
    expect(merged.map((f) => f.symbol)).toEqual(['ETH/USDT', 'BTC/USDT'])
    expect(olderFillsBefore(merged)).toEqual({ timestamp: 5, venueId: 'binance', symbol: 'BTC/USDT', tradeId: '4242' })
  })
})

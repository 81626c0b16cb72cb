import { describe, expect, it } from 'vitest'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'

// A public trade's side is the taker's across the app (port.ts): the paper matcher fills a resting buy only
// from sellers, the tape colours aggression by it. Coinbase reports the MAKER's side on its public trades
// (its Exchange docs: "the side field indicates the maker order side"; its Advanced Trade market_trades the
// same), and ccxt passes it through; so a Coinbase "BUY" print is a seller hitting a bid.

function coinbase(reply: unknown): CcxtVenue {
  const venue = new CcxtVenue({ accountId: 'cb', exchange: 'coinbase', sandbox: false, apiBaseUrl: null, credentials: { apiKey: '', secret: '' } })
  const ex = (venue as unknown as { ex: Record<string, unknown> & { setMarkets(m: unknown[]): void; markets: unknown } }).ex
  ex.setMarkets([
    { id: 'BTC-USDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, contract: false, active: true, precision: { amount: 0.00000001, price: 0.01 }, limits: { amount: {}, price: {}, cost: {} }, info: {} },
  ])
  ex.loadMarkets = async () => ex.markets
  ex.fetch = async () => reply
  return venue
}

describe('public trade side', () => {
  it('Coinbase: a print reported on the buy (maker) side was a taker selling, and the reverse', async () => {
    const venue = coinbase({
      trades: [
        { trade_id: '102', product_id: 'BTC-USDT', price: '95000.01', size: '0.2', time: '2026-11-24T03:00:01.000Z', side: 'SELL', bid: '', ask: '' },
        { trade_id: '101', product_id: 'BTC-USDT', price: '95000.00', size: '0.1', time: '2026-11-24T03:00:00.000Z', side: 'BUY', bid: '', ask: '' },
      ],
      best_bid: '95000.00',
      best_ask: '95000.01',
    })
    const trades = await venue.fetchTrades('BTC/USDT')
    expect(trades.map((t) => [t.id, t.price, t.side])).toEqual([
      ['101', '95000', 'sell'],
      ['102', '95000.01', 'buy'],
    ])
  })
})

import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { ticketSchema } from '../../src-main/api/schemas/trading'
import { evaluateTicket } from '../../src-main/trading/ticket/evaluate'
import type { ExchangeId } from '../../src-main/accounts/exchanges'
import type { Venue } from '../../src-main/venues/port'
import { stubbedVenue } from './ccxt-stub'

// Kraken charges a buy's fee in the quote (AddOrder oflags: "fciq: prefer fee in quote currency, default
// when buying") and Coinbase always does: a 100 % buy there must leave room for the fee in the quote, and
// the preview names the fee in it. Binance charges a buy's fee in the coin bought.

async function hundredPercentBuy(exchange: ExchangeId) {
  const { venue: real } = stubbedVenue(exchange, () => {
    throw new Error('no HTTP expected')
  }, { maker: 0.0025, taker: 0.004 })
  const market = (await real.loadMarkets()).find((m) => m.symbol === 'BTC/USDT')!
  const venue = {
    id: exchange,
    fetchBalances: async () => [{ asset: 'USDT', free: '1000', used: '0', total: '1000' }],
    fetchOrderBook: async () => ({ symbol: 'BTC/USDT', bids: [['29990', '5']], asks: [['30000', '5']], timestamp: Date.now() }),
  } as unknown as Venue
  const ticket = ticketSchema.parse({ venueId: exchange, symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'percent', value: '100' } })
  return { market, ev: await evaluateTicket({ ticket, venue, label: exchange, market, books: undefined }) }
}

describe('fees charged in the quote', () => {
  for (const exchange of ['kraken', 'coinbase'] as const) {
    it(`${exchange}: a 100 % market buy fits the free quote with its fee, and the fee is named in the quote`, async () => {
      const { market, ev } = await hundredPercentBuy(exchange)
      expect(market.feeIn).toBe('quote')
      expect(ev.problems).toEqual([])
      const amount = new Decimal(ev.intent!.amount)
      const cost = amount.times(30000)
      expect(cost.times(1.004).lte(1000)).toBe(true)
      expect(ev.preview).toMatchObject({ feeAsset: 'USDT', estimatedFee: cost.times('0.004').toFixed() })
    })
  }

  it("binance: a buy's fee is in the coin bought", async () => {
    const { market, ev } = await hundredPercentBuy('binance')
    expect(market.feeIn).toBeUndefined()
    expect(ev.preview.feeAsset).toBe('BTC')
  })
})

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createBinanceFixture, MAKER, type BinanceFixture } from '../support/binance/fixture'
import { createCcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { Fill } from '../../src-main/venues/port'
import { waitFor } from '../support/wait-for'

// Our own fills as the user-data stream tells them, through ccxt's real binance class against the local
// Binance server: each with the fee the exchange charged — the same as the REST history says — so the
// ledger, which keeps the first telling of a fill, never stores one without its fee.

const BTC = 'BTC/USDT'
let fx: BinanceFixture

beforeAll(async () => {
  fx = await createBinanceFixture()
})
afterAll(async () => {
  await fx.close()
})

describe('Binance fills on the user-data stream', () => {
  it('carry their fee: a resting order filled once at its own price, and a market order in several fills', async () => {
    const { apiKey, secret } = fx.keys.trader
    const venue = createCcxtVenue({ accountId: 'a', exchange: 'binance', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
    await venue.connect()
    const seen: Fill[] = []
    const subscriptionsBefore = fx.server.userDataSubscriptions('alice')
    const stop = venue.watchMyFills((f) => seen.push(f), () => {})
    try {
      // The server took alice's user-data subscription (its signature checked): her fills go out on it from now.
      await waitFor(() => fx.server.userDataSubscriptions('alice') > subscriptionsBefore, 'the user-data subscription taken')
      const [bid] = fx.engine.book(BTC, 1).bids[0]!
      const price = (Number(bid) + 1).toFixed(2)
      // A maker buy filled in one go at its limit: the stream's amount and price are the order's own, the
      // case where the REST parser's second reading agreed on every number but dropped the fee.
      await venue.placeOrder({ symbol: BTC, side: 'buy', type: 'limit', amount: '0.01', price, timeInForce: 'GTC', clientOrderId: 'c1' } as never)
      fx.engine.placeOrder({ accountId: MAKER, clientOrderId: 'mk1', symbol: BTC, side: 'sell', type: 'limit', amount: '0.01', price, timeInForce: 'GTC', postOnly: false })
      await venue.placeOrder({ symbol: BTC, side: 'sell', type: 'market', amount: '0.05', clientOrderId: 'c2' } as never)
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
      const rest = await venue.fetchMyFillsPage!(BTC, { fromId: '0', limit: 1000 })
      for (const fill of seen) {
        const told = rest.find((r) => r.tradeId === fill.tradeId)
        expect(told, fill.tradeId).toBeDefined()
        expect(fill.fee, `fill ${fill.tradeId}`).toEqual(told!.fee)
        expect(fill.fee.amount).not.toBe('0')
      }
      expect(seen[0]).toMatchObject({ side: 'buy', amount: '0.01', price: String(Number(price)), liquidity: 'maker', fee: { asset: 'BTC', amount: '0.00001' } })
    } finally {
      stop()
      await venue.close()
    }
  })
})

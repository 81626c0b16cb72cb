import { describe, expect, it } from 'vitest'
import { httpError, stubbedVenue } from './ccxt-stub'

// MEXC answers a query or cancel of an order it does not have with HTTP 400 and code -2011 ("Unknown order
// sent.") or -2013 ("Order does not exist."); ccxt reads both as a BadRequest. The venue must say "no such
// order" (null), so an order whose submit timed out before it landed is looked at again and declared lost
// instead of failing every reconciliation of the account.

describe('MEXC: an order the exchange does not know', () => {
  for (const [code, msg] of [
    [-2011, 'Unknown order sent.'],
    [-2013, 'Order does not exist.'],
  ] as const) {
    it(`fetchOrder answers null for ${code} (${msg}), by client id and by venue id`, async () => {
      const { venue, sent } = stubbedVenue('mexc', (s) => {
        if (s.path === '/api/v3/order') return httpError(400, { code, msg })
        throw new Error(`unexpected ${s.path}`)
      })
      await expect(venue.fetchOrder('BTC/USDT', { clientOrderId: 'coabc123' })).resolves.toBeNull()
      await expect(venue.fetchOrder('BTC/USDT', { venueOrderId: 'C02__123' })).resolves.toBeNull()
      expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v3/order', 'GET /api/v3/order'])
    })
  }

  it('a cancel of it says the exchange does not know it', async () => {
    const { venue } = stubbedVenue('mexc', () => httpError(400, { code: -2011, msg: 'Unknown order sent.' }))
    await expect(venue.cancelOrder('BTC/USDT', 'C02__123')).rejects.toMatchObject({ kind: 'order-not-found', message: 'MEXC does not know that order (-2011: Unknown order sent.)' })
  })
})

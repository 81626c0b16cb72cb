import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import type { OrderRequest } from '../../src-main/venues/port'
import { httpError, stubbedVenue, type Sent } from './ccxt-stub'

// ccxt asks Bitget once whether the account is unified (GET /api/v3/account/settings) and keeps the answer.
// A request that did not get through must not be taken for "classic" for good: it fails the call it came
// with, and the next call asks again. Bitget's own refusal (a classic account) is kept.

const order: OrderRequest = { clientOrderId: 'coabc123', symbol: 'BTC/USDT', side: 'sell', type: 'limit', price: '60000', amount: '0.01', timeInForce: 'GTC', postOnly: false }
const SETTINGS = '/api/v3/account/settings'

function bitget(settings: (n: number) => unknown) {
  let probes = 0
  return stubbedVenue('bitget', (s: Sent) => {
    if (s.path === SETTINGS) return settings(++probes)
    if (s.path === '/api/v2/spot/trade/place-order') return { code: '00000', msg: 'success', requestTime: 1, data: { orderId: '1001', clientOid: s.fields.clientOid } }
    if (s.path === '/api/v3/trade/place-order') return { code: '00000', msg: 'success', requestTime: 1, data: { orderId: '2002', clientOid: s.fields.clientOid } }
    throw new Error(`unexpected ${s.path}`)
  })
}

const paths = (sent: Sent[]) => sent.map((s) => s.path)

describe('Bitget: which kind of account', () => {
  it('a probe that timed out fails that order and is asked again; the unified answer then holds', async () => {
    const { venue, sent, ex } = bitget((n) => {
      if (n === 1) throw new ccxt.RequestTimeout('bitget GET https://api.bitget.com/api/v3/account/settings request timed out (10000 ms)')
      return { code: '00000', msg: 'success', requestTime: 1, data: { accountMode: 'unified' } }
    })
    await expect(venue.placeOrder(order)).rejects.toMatchObject({ kind: 'unreachable' })
    expect(ex.options.uta).toBeUndefined()
    await expect(venue.placeOrder(order)).resolves.toMatchObject({ venueOrderId: '2002' })
    await venue.placeOrder({ ...order, clientOrderId: 'coabc124' })
    expect(paths(sent)).toEqual([SETTINGS, SETTINGS, '/api/v3/trade/place-order', '/api/v3/trade/place-order'])
  })

  it('a rate-limited probe is not taken for a classic account either', async () => {
    const { venue, ex } = bitget((n) => (n === 1 ? httpError(429, { code: '429', msg: 'Too Many Requests', requestTime: 1, data: null }) : { code: '00000', msg: 'success', requestTime: 1, data: {} }))
    await expect(venue.placeOrder(order)).rejects.toMatchObject({ kind: 'rate-limited' })
    expect(ex.options.uta).toBeUndefined()
    await expect(venue.placeOrder(order)).resolves.toMatchObject({ venueOrderId: '2002' })
  })

  it("Bitget's refusal (a classic account) is kept: classic endpoints, no second probe", async () => {
    const { venue, sent } = bitget(() => httpError(400, { code: '40084', msg: 'You are in Classic Account mode', requestTime: 1, data: null }))
    await venue.placeOrder(order)
    await venue.placeOrder({ ...order, clientOrderId: 'coabc124' })
    expect(paths(sent)).toEqual([SETTINGS, '/api/v2/spot/trade/place-order', '/api/v2/spot/trade/place-order'])
  })
})

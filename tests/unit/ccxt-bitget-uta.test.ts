import ccxt from 'ccxt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OrderRequest } from '../../src-main/venues/port'
import { httpError, stubbedVenue, type Sent } from './ccxt-stub'
import { tempCore } from '../support/temp-core'
import { recordedExchangeAccount } from '../support/account-records'
import type { Core } from '../../src-main/core'
import { AccountsService } from '../../src-main/accounts/service'
import { silentLogger } from '../../src-main/log'

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

// Which Bitget user a key belongs to: a classic account names it at GET /api/v2/spot/account/info (userId), which
// a unified account is refused; a unified account names it at GET /api/v3/account/info (uid).
const SPOT_INFO = '/api/v2/spot/account/info'
const UTA_INFO = '/api/v3/account/info'
const unified = { code: '00000', msg: 'success', requestTime: 1, data: { accountMode: 'unified' } }
const classicRefusal = httpError(400, { code: '40084', msg: 'You are in Classic Account mode', requestTime: 1, data: null })

function identityStub(settings: () => unknown) {
  return (s: Sent) => {
    if (s.path === SETTINGS) return settings()
    if (s.path === UTA_INFO) return { code: '00000', msg: 'success', requestTime: 1, data: { uid: '123456789', parentId: '', permType: 'read-and-write', permissions: ['uta_trade'] } }
    if (s.path === SPOT_INFO) {
      if (settings() === unified) throw new Error('Bitget refuses a unified account here')
      return { code: '00000', msg: 'success', requestTime: 1, data: { userId: '1864436738', authorities: ['stor'] } }
    }
    throw new Error(`unexpected ${s.path}`)
  }
}

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

describe('Bitget: whose key it is', () => {
  it("a unified account's key names its uid at the unified endpoint, without asking the classic one", async () => {
    const { venue, sent } = stubbedVenue('bitget', identityStub(() => unified))
    expect(await venue.exchangeAccount()).toBe('123456789')
    expect(paths(sent)).toEqual([SETTINGS, UTA_INFO])
  })

  it("a classic account's key names its userId at the classic endpoint", async () => {
    const { venue, sent } = stubbedVenue('bitget', identityStub(() => classicRefusal))
    expect(await venue.exchangeAccount()).toBe('1864436738')
    expect(paths(sent)).toEqual([SETTINGS, SPOT_INFO])
  })

  it('a unified account is learnt once: reconnecting does not ask again whose key it is', async () => {
    const c = (core = tempCore())
    const sent: Sent[] = []
    const service = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
      createVenue: () => {
        const stub = stubbedVenue('bitget', (s) => (sent.push(s), identityStub(() => unified)(s)))
        return stub.venue
      },
    })
    const account = await service.add({ exchange: 'bitget', label: 'Bitget UTA', credentials: { apiKey: 'bg_' + 'a'.repeat(29), secret: 'b'.repeat(64), password: 'pass' } })
    const first = await service.openVenue(account.id)
    await first.connect()
    await vi.waitFor(() => expect(recordedExchangeAccount(c.store.sqlite, account.id)).toBe('123456789'), { timeout: 10_000 })
    await first.close()
    const asked = sent.length
    // a reconnect (an edit elsewhere, the Reconnect button) builds a fresh venue: it asks nothing about the key
    const second = await service.openVenue(account.id)
    await second.connect()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(paths(sent.slice(asked))).toEqual([])
    await second.close()
  })
})

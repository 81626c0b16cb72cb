import { describe, expect, it } from 'vitest'
import { isAppGeneratedClientOrderId } from '../../src-main/venues/app-client-order-ids'
import { newClientOrderId } from '../../src-main/trading/orders/client-ids'
import { IdSource } from '../../src-main/trading/conditional/ids'
import { copyClientOrderId, copyCloseClientOrderId } from '../../src-main/copy/ids'

// The OKX venue skips looking up the orders of fills carrying one of our client ids (they were placed by no
// algo); any other id may be one OKX gave the order a triggered stop placed, and is looked up. The venue
// knows our ids by their shape (venues do not import trading/): a generator whose format changes fails here.

describe('client order ids this app generates', () => {
  const times = [Date.now(), Date.UTC(2020, 0, 1), Date.UTC(2100, 0, 1)]

  it('pass the shape check, from the order manager, the conditional engine and copy trading', () => {
    const source = new IdSource()
    for (const now of times) {
      for (let i = 0; i < 50; i++) {
        expect(isAppGeneratedClientOrderId(newClientOrderId(now))).toBe(true)
        expect(isAppGeneratedClientOrderId(source.clientOrderId(now))).toBe(true)
      }
    }
    for (let i = 0; i < 50; i++) {
      expect(isAppGeneratedClientOrderId(copyClientOrderId(`f${i}`, 'BTC/USDT', String(i)))).toBe(true)
      expect(isAppGeneratedClientOrderId(copyCloseClientOrderId(`f${i}`, 'ETH/USDT'))).toBe(true)
    }
  })

  it('still pass after many conditional orders (the counter grows)', () => {
    const source = new IdSource()
    let last = ''
    for (let i = 0; i < 100_000; i++) last = source.clientOrderId(Date.now())
    expect(isAppGeneratedClientOrderId(last)).toBe(true)
  })

  it('are not ids made up elsewhere', () => {
    for (const id of [
      'okxsrv123',
      '',
      '3f2b8c1e9a7d4e5f8a6b2c3d4e5f6a7b', // a UUID without dashes
      '3f2b8c1e-9a7d-4e5f-8a6b-2c3d4e5f6a7b',
      'ccab12cd34ef56ab78cd90ef12ab34cd', // 32 hex that starts like ours
      'e847386590ce4dBC966d26e514409045', // ccxt's broker-prefixed id
      'algochild700000000',
      'co', 'cc', 'cp',
      'coABCDEFGHIJKLMNOP', // upper case: not generated
    ]) {
      expect(isAppGeneratedClientOrderId(id), id).toBe(false)
    }
  })
})

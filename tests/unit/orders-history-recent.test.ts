import { afterEach, describe, expect, it } from 'vitest'
import { OrderStore } from '../../src-main/trading/orders/store'
import type { OrderIntent } from '../../src-main/trading/model'
import { openStore, type Store } from '../../src-main/store/open'
import { applyOrder, HISTORY_CAP, type OrderLists } from '../../src-renderer/features/trading/ordersModel'
import { migrationsDir, tempDir } from '../support/temp-core'
import { order } from '../support/order-views'

// Order history is capped (200 shown). It is the orders that finished most recently, newest first: an
// order placed long ago that fills or is canceled now must appear at the top, not be cut off below the cap.

let store: Store | null = null
afterEach(() => {
  store?.close()
  store = null
})

const intent: OrderIntent = {
  venueId: 'sim',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  postOnly: false,
  amount: '0.001',
  price: '50000',
  origin: { kind: 'manual', ref: null },
}

describe('order history: the most recently finished first', () => {
  it('the engine lists history by when each order finished', () => {
    store = openStore(tempDir('co-hist-'), migrationsDir)
    const orders = new OrderStore(store.db)
    orders.insertIntent('old', intent, 1_000) // placed first…
    orders.insertIntent('a', intent, 2_000)
    orders.insertIntent('b', intent, 3_000)
    orders.update('a', { status: 'filled' }, 4_000)
    orders.update('b', { status: 'canceled' }, 5_000)
    orders.update('old', { status: 'filled' }, 6_000) // …finished last
    expect(orders.list({ scope: 'history', limit: 10 }).map((o) => o.clientOrderId)).toEqual(['old', 'b', 'a'])
    expect(orders.list({ scope: 'history', limit: 2 }).map((o) => o.clientOrderId)).toEqual(['old', 'b'])
  })

  it('the screen puts an old order finishing now at the top of a full history', () => {
    const full: OrderLists = {
      open: [order('old', { createdAt: 1, updatedAt: 1 })],
      history: Array.from({ length: HISTORY_CAP }, (_, i) => order(`h${i}`, { status: 'filled', createdAt: 1_000 + HISTORY_CAP - i, updatedAt: 10_000 + HISTORY_CAP - i })),
    }
    const after = applyOrder(full, order('old', { status: 'filled', createdAt: 1, updatedAt: 20_000 }))
    expect(after.open).toEqual([])
    expect(after.history).toHaveLength(HISTORY_CAP)
    expect(after.history[0]!.clientOrderId).toBe('old')
  })
})

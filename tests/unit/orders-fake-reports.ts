import { expect } from 'vitest'
import type { Fill, VenueOrder } from '../../src-main/venues/port'
import type { OrderRecord } from '../../src-main/trading/model'
import type { Harness } from './orders-support'

// Made-up venue reports and fills for an order resting on the harness's FakeVenue, to play the venue's
// final word against the fills in any order.

/** A buy at 990 resting on the fake venue; its streams are silenced, so only what a test pushes arrives. */
export async function restingOnFake(h: Harness, amount: string): Promise<OrderRecord> {
  const order = await h.manager.submit(h.intent({ venueId: 'fake', amount, price: '990.00' }))
  expect(order).toMatchObject({ status: 'open', filled: '0' })
  h.fake.silenceStreams()
  return order
}

let trade = 0

/** A fill of `order` at 990. */
export function fakeFill(order: OrderRecord, amount: string): Fill {
  return {
    tradeId: `t${++trade}`, venueOrderId: order.venueOrderId!, clientOrderId: order.clientOrderId, symbol: 'BTC/USDT', side: 'buy',
    price: '990', amount, fee: { asset: 'BTC', amount: '0' }, liquidity: 'maker', timestamp: 1,
  }
}

/** What the venue says about `order`. */
export function fakeReport(order: OrderRecord, status: VenueOrder['status'], filled: string, cost: string): VenueOrder {
  return {
    venueOrderId: order.venueOrderId!, clientOrderId: order.clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '990.00',
    amount: order.amount, filled, cost, status, timeInForce: 'GTC', postOnly: false, createdAt: 0, updatedAt: 0,
  }
}

import { afterEach, expect, it } from 'vitest'
import { VenueError, type VenueOrder } from '../../src-main/venues/port'
import { harness, type Harness } from './orders-support'

// Cancel-all and the kill switch tell apart an order that ended on its own before its cancel reached it. One that
// expired (or was rejected) after part of it filled holds what filled — bought or sold for good — and the result
// says how much, in the base asset, as it does for an order canceled after a part fill ("0.4 of 1 BTC").

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it('an order that expired after a part fill, before cancel-all reached it, is reported ended with what filled in its base asset', async () => {
  h = await harness()
  const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', amount: '1', price: '100.00' }))
  h.other('buy', '0.4', '100.00')
  // The exchange expired the rest (a time-in-force ran out) just before the cancel came: "not there", and its look-up says so.
  h.fake.script('cancelOrder', async () => {
    throw new VenueError('order-not-found', 'Unknown order sent.')
  })
  h.fake.script('fetchOrder', async (real) => ({ ...((await real()) as VenueOrder), status: 'expired' }))
  const result = await h.manager.cancelAll()
  expect(result).toMatchObject({ canceled: 0, partlyFilled: [], failed: [] })
  expect(result.ended).toEqual([
    { clientOrderId: order.clientOrderId, venueId: 'fake', status: 'expired', how: 'expired with 0.4 of 1 BTC filled before the cancel reached it' },
  ])
})

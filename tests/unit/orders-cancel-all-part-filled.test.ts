import { afterEach, expect, it } from 'vitest'
import { commands } from '../../src-main/api/contract'
import { harness, type Harness } from './orders-support'

// Cancel-all (and the kill switch, which runs it) counted an order that had partly filled before it was canceled
// as one more "canceled", saying nothing of what filled: a trader who canceled a 1 BTC sell after 0.4 sold did
// not learn that 0.4 BTC was sold. Such an order is now named in the result with what filled and its amount, as
// the order's row has them (decimal strings).

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

it('cancel-all names an order canceled after part of it filled, with the row’s filled and amount', async () => {
  h = await harness()
  const part = await h.manager.submit(h.intent({ side: 'sell', price: '110.00', amount: '1' }))
  const untouched = await h.manager.submit(h.intent({ side: 'sell', price: '120.00', amount: '0.5' }))
  h.other('buy', '0.4', '110.00')
  const result = await h.manager.cancelAll()
  const row = h.manager.get(part.clientOrderId)!
  expect(row).toMatchObject({ status: 'canceled', filled: '0.4', amount: '1' })
  expect(result).toEqual({
    canceled: 2,
    partlyFilled: [{ clientOrderId: part.clientOrderId, venueId: 'sim', symbol: 'BTC/USDT', filled: row.filled, amount: row.amount }],
    awaiting: [],
    ended: [],
    failed: [],
  })
  expect(h.manager.get(untouched.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0' })
  // The contract carries it to the screen as it is (a schema without it would drop it).
  expect(commands['orders.cancelAll'].output.parse(result)).toEqual(result)
})

it('an order canceled with nothing filled is not named', async () => {
  h = await harness()
  await h.manager.submit(h.intent({ side: 'sell', price: '110.00' }))
  expect(await h.manager.cancelAll()).toMatchObject({ canceled: 1, partlyFilled: [] })
})

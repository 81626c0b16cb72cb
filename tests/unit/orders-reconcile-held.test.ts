import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { harness, waitFor, type Behaviour, type Harness } from './orders-support'

// A cancel's own 429 holds everything sent to that account (Binance bans the IP, HTTP 418, of a client that
// keeps asking inside the window), and the hold outlives a restart. The start-up reconciliation's reads
// (open orders, fills, look-ups) are requests too: they wait for the hold, without holding up the start,
// and run once it ends, so what happened meanwhile (a fill) is still found.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const weightLimited = (retryAfterMs: number): Behaviour => async () => {
  throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, retryAfterMs)
}

const reads = (x: Harness) => ['fetchOpenOrders', 'fetchMyFills', 'fetchOrder'].flatMap((m) => x.fake.callsOf(m as 'fetchOrder'))

it('a restart inside a cancel’s hold reads nothing from that account until it ends, then reconciles what filled meanwhile', async () => {
  const first = await harness()
  h = first
  const order = await first.manager.submit(first.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  first.fake.script('cancelOrder', weightLimited(500))
  await expect(first.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  await first.close()
  h = undefined
  first.other('buy', '1', '110.00') // it fills on the exchange while the app is away

  const second = await harness({ dataDir: first.dataDir, engine: first.engine })
  h = second
  // The start did not wait for the hold; nothing was asked of that account inside it.
  expect(second.manager.rateHoldMs('fake')).toBeGreaterThan(0)
  expect(reads(second)).toEqual([])
  await new Promise((r) => setTimeout(r, 200))
  expect(reads(second)).toEqual([])
  expect(second.manager.get(order.clientOrderId)?.status).toBe('open')
  const filled = await waitFor(() => second.manager.get(order.clientOrderId)?.status === 'filled', 'the fill reconciled after the hold', 3000)
  expect(filled).toBe(true)
  expect(second.manager.rateHoldMs('fake')).toBe(0)
})

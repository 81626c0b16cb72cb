import { afterEach, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { harness, type Harness } from './orders-support'

// A cancel that meets a 429 whose Retry-After outlasts the retries holds every request to that account
// (Binance bans the IP of a client that keeps sending); an order's 429 holds new orders only.

let h: Harness
afterEach(async () => {
  await h?.close()
})

it("cancel-all stops sending cancels once one met a 429 asking to wait 60 s", async () => {
  h = await harness({ retryDelaysMs: [5, 5, 5] })
  for (const p of ['90.00', '91.00', '92.00', '93.00', '94.00']) await h.manager.submit(h.intent({ venueId: 'fake', price: p }))
  const limited = async (): Promise<never> => {
    throw new VenueError('rate-limited', 'binance 429 {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
  }
  h.fake.script('cancelOrder', limited, limited, limited, limited, limited)
  const r = await h.manager.cancelAll({ venueId: 'fake' })
  expect(h.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(r.canceled).toBe(0)
  expect(r.failed).toHaveLength(5)
  expect(r.failed[0]?.error).toContain('no orders or cancels are sent to it until then')
  expect(r.failed[1]?.error).toContain('nothing is sent to fake')
  // New orders are held too.
  await expect(h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))).rejects.toThrow(/no new orders are sent/)
})

import { afterEach, expect, it } from 'vitest'
import ccxt from 'ccxt'
import { installRequestHold } from '../../src-main/venues/ccxt/request-hold'
import { harness, type Harness } from './orders-support'

// A cancel waiting for its account's rate hold (request-hold.ts) when the app quits, or its connection closes, is
// given up unsent. Its row said "the cancel was sent but Fake's answer could not be read (… was not sent)": both
// at once, and the order left 'canceling' as if a cancel were under way. It says the cancel was not sent, and the
// order is shown open, as it is on the exchange.

let h: Harness
afterEach(async () => {
  await h.close()
})

/** What the account's request gate (request-hold.ts) rejects a waiting request with when `how` happens. */
async function givenUp(how: 'quit' | 'close'): Promise<unknown> {
  const ex = new ccxt.binance({ enableRateLimit: true })
  let closing = false
  const gate = installRequestHold(ex, () => ({ ms: 600_000, until: Date.now() + 600_000, ...(closing ? { closing: true as const } : {}) }), 'Fake')
  const waiting = (ex as unknown as { throttle(cost?: number): Promise<unknown> }).throttle(1).catch((err: unknown) => err)
  if (how === 'quit') closing = true
  else gate.close()
  return waiting
}

for (const how of ['quit', 'close'] as const) {
  it(`a cancel given up in the rate hold's wait (${how === 'quit' ? 'the app quits' : 'its connection closes'}) says it was not sent, and the order stays open`, async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
    // The cancel, and any look-up of the order after it, wait for the hold and are given up alike.
    const err = await givenUp(how)
    const givenUpToo = async () => {
      throw await givenUp(how)
    }
    h.fake.script('cancelOrder', async () => {
      throw err
    })
    h.fake.script('fetchOrder', givenUpToo, givenUpToo, givenUpToo)
    h.fake.script('fetchOpenOrders', givenUpToo, givenUpToo, givenUpToo)
    const refused = await h.manager.cancel(order.clientOrderId).catch((e: unknown) => e)
    const message = (refused as Error).message
    expect(message).toMatch(/cancel was not sent/)
    expect(message).not.toMatch(/was sent but/)
    const row = h.manager.get(order.clientOrderId)!
    expect(row.status).toBe('open')
    expect(row.error).toMatch(/cancel was not sent/)
    expect(row.error).not.toMatch(/was sent but/)
  })
}

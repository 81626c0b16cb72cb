import { afterEach, expect, it } from 'vitest'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { harness, type Harness } from './orders-support'

// An account may be held twice at once: its own new-order hold (Binance -1015, the account's order count) and a
// hold of everything (a -1003 or a cancel's 429; on Binance its host's). A new order waits for whichever ends
// last, but its refusal named the hold of everything's time only: "for 30 more s" while new orders stayed held
// for 120 s, so the trader retried at 30 s and was refused again.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** Holds that do not count down meanwhile: the refusal's seconds are the holds' own. */
const still = (sharedBy?: string) => new RateHolds(() => Date.UTC(2026, 0, 2, 14, 0, 0), undefined, () => 0, () => sharedBy)

it("a new order held longer by the account's new-order limit than by the host's hold says the longer wait", async () => {
  const holds = still('ip:host')
  h = await harness({ holds })
  holds.hold('fake', 120_000, 'new-orders') // fake's own -1015
  holds.hold('sim', 30_000, 'all') // sim's -1003: the host's, fake's too
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message:
      "fake is rate-limiting this computer's IP address: no orders or cancels are sent from any account on its exchange for 30 more s (it answered \"Retry-After\": the request weight it allows an IP is used up), and no new orders from this account for 120 more s (this account's new-order limit); nothing was sent",
  })
})

it("a new order held longer by the account's new-order limit than by its own hold of everything says the longer wait", async () => {
  const holds = still()
  h = await harness({ holds })
  holds.hold('fake', 120_000, 'new-orders')
  holds.hold('fake', 30_000, 'all')
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
    code: 'UNAVAILABLE',
    message:
      "fake is rate-limiting this account: no orders or cancels are sent to fake for 30 more s (it answered \"Retry-After\"), and no new orders for 120 more s (this account's new-order limit); nothing was sent",
  })
})

it('a hold of everything ending last is the one stated, as before', async () => {
  const holds = still()
  h = await harness({ holds })
  holds.hold('fake', 10_000, 'new-orders')
  holds.hold('fake', 30_000, 'all')
  await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({
    message: 'fake is rate-limiting this account: no orders or cancels are sent to fake for 30 more s (it answered "Retry-After"); nothing was sent',
  })
})

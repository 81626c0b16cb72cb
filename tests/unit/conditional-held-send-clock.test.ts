import { afterEach, expect, it } from 'vitest'
import { RateHoldRefusal } from '../../src-main/trading/rate-refusal'
import type { OrderIntent, OrderRecord } from '../../src-main/trading/model'
import { closeStores, harness, single, viewOf } from './conditional-harness'

// A stop waiting for the account's rate hold says when it will be sent. The app's other times are UTC and
// say so ("no message since 14:03:21 UTC"); this one was the engine machine's local time with no zone.

afterEach(closeStores)

it("a held stop's 'sends at' time is UTC and says so", async () => {
  const h = await harness() // its clock starts at 1_700_000_000_000 (22:13:20 UTC) and moves a ms per read
  h.gateway.rateHoldMs = () => 30_000
  h.gateway.submit = (_i: OrderIntent): Promise<OrderRecord> => Promise.reject(new RateHoldRefusal('held; nothing was sent'))
  h.ticks.price('100')
  const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
  h.ticks.price('94')
  await h.settle()
  const sendsAt = new Date(1_700_000_000_000 + 30_000).toISOString().slice(11, 19)
  expect(viewOf(h, id).reason).toContain(`sends at ${sendsAt} UTC`)
})

import { afterEach, expect, it } from 'vitest'
import { closeStores, FakeGateway, harness, oco, rowOf, SELL_OCO, single, viewOf } from './conditional-harness'

// The kill switch disarms every armed conditional order and cancels a triggered one whose order is not out
// (conditional/engine.ts disarmAll). A restart while it still holds trading must do the same: a leg that
// triggered but whose order never reached the order manager (the app died between trigger and send) was
// sent at start, refused by the halt, and failed; an armed one re-armed and would fire into the halt.

afterEach(closeStores)

const HALT = 'Trading is halted by the kill switch since 10:00:00 UTC; resume it in Risk'

it('a triggered stop never sent is canceled by the kill switch at a start while halted, not sent; its partner does not re-arm once resumed', async () => {
  let halted: string | null = null
  const h = await harness({ halted: () => halted })
  h.ticks.price('100')
  const [tp, sl] = await oco(h, SELL_OCO)
  h.gateway.hangNext = true // the process dies while sending: the gateway wrote nothing
  h.ticks.price('94')
  expect(viewOf(h, sl).status).toBe('triggered')
  halted = HALT // the kill switch was pulled (persisted) before the restart
  const fresh = new FakeGateway(h.bus)
  const h2 = await h.restart({ gateway: fresh })
  expect(fresh.submits).toHaveLength(0)
  expect(viewOf(h2, sl)).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
  expect(rowOf(h2, sl).client_order_id).toBeNull()
  halted = null // resumed; another start re-arms nothing and sends nothing
  const h3 = await h2.restart()
  h3.ticks.price('93')
  h3.ticks.price('120')
  expect(fresh.submits).toHaveLength(0)
  expect(viewOf(h3, tp).status).toBe('canceled')
  expect(viewOf(h3, sl).status).toBe('canceled')
})

it('an armed stop found at a start while halted is disarmed by the kill switch, and a tick through its trigger sends nothing', async () => {
  let halted: string | null = null
  const h = await harness({ halted: () => halted })
  h.ticks.price('100')
  const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
  halted = HALT // halted, and the app ended before the disarm was written
  const h2 = await h.restart()
  expect(viewOf(h2, id)).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
  h2.ticks.price('94')
  await h2.settle()
  expect(h2.gateway.submits).toHaveLength(0)
})

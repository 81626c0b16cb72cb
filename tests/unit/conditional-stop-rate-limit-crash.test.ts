import { afterEach, expect, it } from 'vitest'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { armStopAt95, closeDesk, onlyView, openDesk, restartDesk, settled, tickAt, type Desk, type DeskOptions } from './conditional-desk-support'

// A stop's own send meets the rate limit (-1015, Retry-After 60 s): the order manager writes that order
// 'rejected' (not placed) and the engine then writes the stop's new client id and the hold's end on its row.
// The app can end between those two writes; at the next start the stop must still wait for the hold and go
// out under a new id, not fail on the refused order and leave the position unguarded. The crash point is
// made by a SQLite trigger on this connection only: the engine's write of the new id aborts, as if the
// process had died there. The real order manager and conditional engine (conditional-desk-support.ts).

let desk: Desk | undefined
afterEach(async () => {
  if (desk !== undefined) await closeDesk(desk)
  desk = undefined
})

const options: DeskOptions = { dirPrefix: 'co-429-crash-', risk: { check: async () => {} } }
const tooManyNewOrders = () => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000)

it('the app ends after the refused send is written, before the stop’s new id: at start it waits for the hold and sells under a new id', async () => {
  let d = await openDesk(options)
  desk = d
  await armStopAt95(d)
  const place = d.venue.placeOrder.bind(d.venue)
  let refuse = true
  d.venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    if (!refuse) return place(r)
    refuse = false
    d.venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return Promise.reject(tooManyNewOrders())
  }
  d.store.sqlite.exec(`CREATE TEMP TRIGGER crash_at_renew BEFORE UPDATE OF client_order_id ON conditional_orders
    WHEN OLD.client_order_id IS NOT NEW.client_order_id AND OLD.status = 'triggered' BEGIN SELECT RAISE(ABORT, 'the process died here'); END`)
  tickAt(d, '94')
  await settled()
  const refusedId = d.venue.calls.find((c) => c.startsWith('placeOrder '))?.slice('placeOrder '.length) as string
  expect(d.orders.get(refusedId)?.status).toBe('rejected')
  expect((d.store.sqlite.prepare('select client_order_id from conditional_orders').get() as { client_order_id: string }).client_order_id).toBe(refusedId)

  d.clock.t += 10_000
  d = await restartDesk(d, options)
  desk = d
  await settled()
  const view = onlyView(d)
  expect(view).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  expect(view.clientOrderId).not.toBe(refusedId)
  expect(d.venue.orders).toEqual([])

  // Another restart inside the hold: still waiting, same id.
  d.clock.t += 10_000
  d = await restartDesk(d, options)
  desk = d
  await settled()
  expect(onlyView(d)).toMatchObject({ status: 'triggered', clientOrderId: view.clientOrderId })
  expect(d.venue.orders).toEqual([])

  d.clock.t += 41_000
  d.timers.forEach((fn) => fn())
  await settled()
  expect(d.venue.orders.map((o) => [o.clientOrderId, o.side, o.amount])).toEqual([[view.clientOrderId, 'sell', '0.5']])
  expect(onlyView(d)).toMatchObject({ status: 'triggered', reason: null, clientOrderId: view.clientOrderId })
})

import { afterEach, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import type { RiskGate } from '../../src-main/trading/model'
import { VenueError, type VenueOrder } from '../../src-main/venues/port'
import { harness, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch's re-cancel (halted-recancel.ts) must end with the order manager: a re-cancel the venue
// refuses while the manager stops must not start asking again on a manager that no longer runs (every 30 s
// for the life of the process, on a store that may be closed).

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const ASKING_AGAIN = 'kill switch: an order whose cancel was accepted is still open; asking again'

it('a re-cancel refused while the manager stops schedules nothing more', async () => {
  let halted = false
  const killSwitch: RiskGate = {
    check: async () => {},
    assertOpen: () => {
      if (halted) throw new AppError('CONFLICT', 'Trading is halted by the kill switch')
    },
  }
  const acceptedNotDone: Behaviour = async (_real, args) => {
    const [symbol, venueOrderId] = args as [string, string]
    return (await h!.fake.fetchOrder(symbol, { venueOrderId })) as VenueOrder
  }
  let refuse: (() => void) | undefined
  const refusedLater: Behaviour = () =>
    new Promise((_resolve, reject) => {
      refuse = () => reject(new VenueError('invalid-order', 'order is being processed'))
    })
  const local = await harness({ risk: killSwitch, cancelFollowMs: [10, 10], haltedRecancelMs: [20] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  halted = true
  local.fake.script('cancelOrder', acceptedNotDone, refusedLater)
  await local.manager.cancelAll()
  // Back to open (the reconcile after the looks), asked again: that cancel is on its way when the app stops.
  await waitFor(() => refuse !== undefined, 'the second cancel sent')
  const stopping = local.manager.stop()
  refuse!()
  await stopping
  const after = local.warnings.length
  await new Promise((r) => setTimeout(r, 120))
  expect(local.warnings.slice(after).filter((w) => w === ASKING_AGAIN)).toEqual([])
  expect(local.manager.get(order.clientOrderId)?.status).toBe('open')
})

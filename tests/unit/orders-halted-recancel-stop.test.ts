import { afterEach, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import type { RiskGate } from '../../src-main/trading/model'
import { VenueError, type VenueOrder } from '../../src-main/venues/port'
import { harness, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch's re-cancel (halted-recancel.ts) asks again only while it is needed: not once the order
// manager stops (a re-cancel the venue refuses while it stops must not start asking again, every 30 s for
// the life of the process, on a store that may be closed), and not while a cancel of the order is already
// accepted and on its way (the trader's own, made during the wait): its outcome decides.

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

it('a re-cancel that comes due while another cancel of the order is accepted and on its way sends nothing', async () => {
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
  // Looks 1 s after an accepted cancel; a re-cancel 0.2 s after the order is back to open.
  const local = await harness({ risk: killSwitch, cancelFollowMs: [1000], haltedRecancelMs: [200] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  halted = true
  local.fake.script('cancelOrder', acceptedNotDone, acceptedNotDone)
  await local.manager.cancelAll()
  await waitFor(() => local.warnings.includes(ASKING_AGAIN), 'the order back to open, a re-cancel due', 3000)
  // The trader cancels it meanwhile: accepted, on its way.
  expect((await local.manager.cancel(order.clientOrderId)).status).toBe('canceling')
  await new Promise((r) => setTimeout(r, 500))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(local.manager.get(order.clientOrderId)?.status).toBe('canceling')
})

it('one that comes due while the trader’s own cancel is on its way, which the venue then refuses, still asks again', async () => {
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
  const local = await harness({ risk: killSwitch, cancelFollowMs: [10, 10], haltedRecancelMs: [100] })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  halted = true
  local.fake.script('cancelOrder', acceptedNotDone, refusedLater)
  await local.manager.cancelAll()
  await waitFor(() => local.warnings.includes(ASKING_AGAIN), 'the order back to open, a re-cancel due', 3000)
  const own = local.manager.cancel(order.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => refuse !== undefined, 'the trader’s cancel sent')
  await new Promise((r) => setTimeout(r, 200)) // the re-cancel came due meanwhile
  refuse!()
  await own
  const done = await waitFor(() => (local.manager.get(order.clientOrderId)?.status === 'canceled' ? true : undefined), 'the order canceled', 3000)
  expect(done).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(3)
})

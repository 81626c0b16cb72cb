import { afterEach, expect, it, vi } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { acceptedNotDone as acceptedOnly, fail, fakeTime, haltable, harness, until, waitFor, type Behaviour, type Harness } from './orders-support'

// The kill switch's re-cancel (halted-recancel.ts) asks again only while it is needed: not once the order
// manager stops (a re-cancel the venue refuses while it stops must not start asking again, every 30 s for
// the life of the process, on a store that may be closed), and not while a cancel of the order is already
// accepted and on its way (the trader's own, made during the wait): its outcome decides. But one whose own
// answer was lost is no cancel on its way: the order may be live, and is asked again.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.useRealTimers()
})

const ASKING_AGAIN = 'kill switch: an order whose cancel was accepted is still open; asking again'

/** A cancel the venue accepts without carrying it out: the order stays open (on the harness made later). */
const acceptedNotDone: Behaviour = (real, args) => acceptedOnly(h!.fake)(real, args)

/** A cancel the venue refuses only when the test calls `refuse()`. */
function refusedLater() {
  let refuse: (() => void) | undefined
  const behaviour: Behaviour = () =>
    new Promise((_resolve, reject) => {
      refuse = () => reject(new VenueError('invalid-order', 'order is being processed'))
    })
  return { behaviour, sent: () => refuse !== undefined, refuse: () => refuse!() }
}

/** An open sell; then the kill switch halts trading and cancels all, the venue answering the cancels with
 * `cancels` in turn. */
async function haltedCancelAll(delays: { cancelFollowMs: number[]; haltedRecancelMs: number[] }, ...cancels: Behaviour[]) {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, ...delays })
  h = local
  const order = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' }))
  ks.halt(true)
  local.fake.script('cancelOrder', ...cancels)
  await local.manager.cancelAll()
  return { local, order }
}

it('a re-cancel refused while the manager stops schedules nothing more', async () => {
  const later = refusedLater()
  const { local, order } = await haltedCancelAll({ cancelFollowMs: [10, 10], haltedRecancelMs: [20] }, acceptedNotDone, later.behaviour)
  // Back to open (the reconcile after the looks), asked again: that cancel is on its way when the app stops.
  await waitFor(() => later.sent(), 'the second cancel sent')
  const stopping = local.manager.stop()
  later.refuse()
  await stopping
  const after = local.warnings.length
  await new Promise((r) => setTimeout(r, 120))
  expect(local.warnings.slice(after).filter((w) => w === ASKING_AGAIN)).toEqual([])
  expect(local.manager.get(order.clientOrderId)?.status).toBe('open')
})

it('a re-cancel that comes due while another cancel of the order is accepted and on its way sends nothing', async () => {
  // Looks 1 s after an accepted cancel; a re-cancel 0.2 s after the order is back to open. On faked time: a busy
  // machine's sleep overrunning to the trader's cancel's look (1 s) made the look the test's subject instead.
  fakeTime()
  const { local, order } = await haltedCancelAll({ cancelFollowMs: [1000], haltedRecancelMs: [200] }, acceptedNotDone, acceptedNotDone)
  await until(() => local.warnings.includes(ASKING_AGAIN)) // the order back to open, a re-cancel due
  // The trader cancels it meanwhile: accepted, on its way.
  expect((await local.manager.cancel(order.clientOrderId)).status).toBe('canceling')
  await vi.advanceTimersByTimeAsync(500) // the re-cancel came due; the look at the trader's cancel not yet
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
  expect(local.manager.get(order.clientOrderId)?.status).toBe('canceling')
})

it('one that comes due while the trader’s own cancel is on its way, which the venue then refuses, still asks again', async () => {
  const later = refusedLater()
  const { local, order } = await haltedCancelAll({ cancelFollowMs: [10, 10], haltedRecancelMs: [100] }, acceptedNotDone, later.behaviour)
  await waitFor(() => local.warnings.includes(ASKING_AGAIN), 'the order back to open, a re-cancel due', 15_000)
  const own = local.manager.cancel(order.clientOrderId).catch((err: unknown) => err)
  await waitFor(() => later.sent(), 'the trader’s cancel sent')
  await new Promise((r) => setTimeout(r, 200)) // the re-cancel came due meanwhile
  later.refuse()
  await own
  const done = await waitFor(() => (local.manager.get(order.clientOrderId)?.status === 'canceled' ? true : undefined), 'the order canceled', 15_000)
  expect(done).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(3)
})

it('a re-cancel whose answer is lost (the look after it failing too) is asked again: the order may still be live', async () => {
  // The answer cannot be read and the look right after it cannot reach the venue: the order is left 'canceling'.
  const lostAnswer: Behaviour = async () => {
    h!.fake.script('fetchOrder', fail('unreachable', 'request timed out'))
    throw new VenueError('bad-reply', 'Fake sent an unexpected reply for an order: no amount')
  }
  const { local, order } = await haltedCancelAll({ cancelFollowMs: [10, 10], haltedRecancelMs: [20] }, acceptedNotDone, lostAnswer)
  await waitFor(() => local.fake.callsOf('cancelOrder').length >= 2, 'the re-cancel sent')
  const done = await waitFor(() => (local.manager.get(order.clientOrderId)?.status === 'canceled' ? true : undefined), 'the order canceled', 15_000)
  expect(done).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(3)
})

import { afterEach, beforeEach, expect, it } from 'vitest'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import type { EventBus } from '../../src-main/bus'
import type { FakeVenue } from '../support/desk-fakes'
import { armStopAt95, closeDesk, onlyView, openHaltableDesk, settled, tickAt, type Desk } from './conditional-desk-support'

// The kill switch is pulled while a triggered stop's send is in flight; that send then comes back refused
// by the rate limit it met (-1015, Retry-After 60 s), or by a hold (nothing sent). The stop must not wait
// for the hold and sell once the trader resumes trading: it is canceled by the kill switch, like the stops
// the switch disarmed. The real order manager and conditional engine over a hand-made venue (conditional-desk-support.ts).

let desk: Desk, venue: FakeVenue, clock: { t: number }, bus: EventBus
let halt: (on: boolean) => void

beforeEach(async () => {
  ;({ desk, halt } = await openHaltableDesk({ dirPrefix: 'co-held-ks-' }))
  ;({ venue, clock, bus } = desk)
})
afterEach(() => closeDesk(desk))

const tick = (last: string) => tickAt(desk, last)
const runTimers = () => desk.timers.forEach((fn) => fn())
const stopView = () => onlyView(desk)

/** The stop's first send hangs until the returned function refuses it with `err`. */
function hangFirstSend(err: () => unknown): () => void {
  let refuse!: () => void
  const place = venue.placeOrder.bind(venue)
  let first = true
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    if (!first) return place(r)
    first = false
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return new Promise((_res, rej) => {
      refuse = () => rej(err())
    })
  }
  return () => refuse()
}

async function triggerThenKill(err: () => unknown): Promise<void> {
  await armStopAt95(desk)
  const refuse = hangFirstSend(err)
  tick('94')
  await settled()
  expect(stopView().status).toBe('triggered')
  halt(true)
  bus.emit('killSwitchEngaged', { at: clock.t } as never)
  await settled()
  refuse()
  await settled()
}

it('a stop whose in-flight send meets its own rate limit after the kill switch is canceled, and sells nothing once trading resumes', async () => {
  await triggerThenKill(() => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
  clock.t += 30_000
  halt(false) // the trader resumes trading before the hold ends
  clock.t += 31_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
})

it('a stop whose held send comes due while trading is halted is canceled, not sent', async () => {
  await armStopAt95(desk)
  const refuse = hangFirstSend(() => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders"}', undefined, 60_000))
  tick('94')
  await settled()
  refuse()
  await settled()
  expect(stopView().reason).toMatch(/waiting for the exchange's rate limit/)
  // Halted without the kill switch's event reaching the engine (e.g. a risk limit's halt): the send is due.
  halt(true)
  clock.t += 61_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
  expect(stopView().status).toBe('canceled')
  halt(false)
  clock.t += 60_000
  runTimers()
  await settled()
  expect(venue.orders).toEqual([])
})

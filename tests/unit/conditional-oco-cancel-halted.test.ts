import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ConditionalView } from '../../src-main/api/schemas/trading'
import { allLegs, closeDesk, openHaltableDesk, settled, tickAt, type Desk } from './conditional-desk-support'

// An OCO's stop triggers while its take-profit's limit order rests: the stop waits for that order's cancel, which
// the engine asks again when it fails (cancel-retries.ts). The kill switch then halts trading and its own cancel of
// that order fails too, so the order manager asks it again while halted (halted-recancel.ts). The two must not
// fight: the waiting stop is disarmed (it never sells), the engine stops asking, and the order is canceled once
// the exchange takes the cancel — with no second cancel sent alongside each of the order manager's.
// The real order manager and conditional engine over a hand-made venue (conditional-desk-support.ts).

let desk: Desk
let halt: (on: boolean) => void

beforeEach(async () => {
  ;({ desk, halt } = await openHaltableDesk({ dirPrefix: 'co-oco-halt-', haltedRecancelMs: [300, 30] }))
})
afterEach(() => closeDesk(desk))

const legs = (): ConditionalView[] => allLegs(desk)
const cancelCalls = () => desk.venue.calls.filter((c) => c.startsWith('cancelOrder'))

it("an OCO take-profit whose cancel keeps failing while halted is canceled by the kill switch's asking again; the stop never sells", async () => {
  tickAt(desk, '100')
  await desk.conditional.create({
    type: 'oco',
    venueId: 'a',
    symbol: 'BTC/USDT',
    legs: [
      { kind: 'take-profit-limit', side: 'sell', amount: '0.5', triggerPrice: '110.00', limitPrice: '110.00', trigger: 'last' },
      { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' },
    ],
  })
  tickAt(desk, '110')
  await settled()
  expect(desk.venue.orders).toHaveLength(1)
  const tp = desk.venue.orders[0]!
  desk.venue.refuseCancel.add(tp.venueOrderId)
  tickAt(desk, '95') // the stop triggers and waits for the take-profit's cancel, which is refused
  await settled()
  expect(cancelCalls()).toHaveLength(1)

  // The kill switch, as the risk service pulls it: halt, disarm, cancel all.
  halt(true)
  expect(desk.conditional.disarmAll()).toBe(1)
  const result = await desk.orders.cancelAll()
  expect(result.failed.map((f) => f.error)).toEqual([expect.stringMatching(/not canceled yet: .+; it is asked again while trading stays halted/)])
  const afterSwitch = cancelCalls().length

  // The engine's own retry comes due (before the order manager's first asking again): it no longer asks, its
  // stop was disarmed.
  desk.clock.t += 60_000
  desk.timers.forEach((fn) => fn())
  tickAt(desk, '94')
  await settled()
  expect(cancelCalls().length).toBe(afterSwitch)
  await new Promise((r) => setTimeout(r, 400))
  const asksWhileRefused = cancelCalls().length - afterSwitch
  expect(asksWhileRefused).toBeGreaterThan(0) // the order manager's asking again

  desk.venue.refuseCancel.delete(tp.venueOrderId)
  for (let i = 0; i < 50 && tp.status !== 'canceled'; i++) await settled()
  expect(tp.status).toBe('canceled')
  await settled()
  // Canceled once: no more cancels after it, and no order but the take-profit was ever placed.
  const calls = cancelCalls().length
  desk.clock.t += 60_000
  desk.timers.forEach((fn) => fn())
  await new Promise((r) => setTimeout(r, 100))
  expect(cancelCalls().length).toBe(calls)
  expect(desk.venue.orders).toHaveLength(1)
  expect(legs().map((l) => [l.kind, l.status])).toEqual(expect.arrayContaining([
    ['take-profit-limit', 'canceled'],
    ['stop-market', 'canceled'],
  ]))
  expect(legs().find((l) => l.kind === 'stop-market')?.reason).toBe('disarmed by the kill switch')
})

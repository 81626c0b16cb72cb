import { afterEach, expect, it } from 'vitest'
import { RateHoldRefusal } from '../../src-main/trading/rate-refusal'
import type { OrderIntent, OrderRecord } from '../../src-main/trading/model'
import { closeStores, harness, oco, single, viewOf, type Harness } from './conditional-harness'

// A stop whose order the order manager refuses because the account's new orders are held for a rate limit
// (Retry-After) must not fail and leave the position unguarded: it waits for the hold to end, says until
// when, and is sent then. The case that bit: a hold that starts between the cancel of an OCO's resting
// take-profit order and the send of the stop that waited for that cancel.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

/** The account's hold as the order manager keeps it: submits are refused (nothing stored) while it lasts. */
function rateHold(h: Harness): { start(ms: number): void; end(): void } {
  let until = 0
  let clock = 0
  h.gateway.rateHoldMs = () => Math.max(0, until - clock)
  const realSubmit = h.gateway.submit.bind(h.gateway)
  h.gateway.submit = (intent: OrderIntent): Promise<OrderRecord> => {
    const left = Math.max(0, until - clock)
    if (left === 0) return realSubmit(intent)
    h.gateway.submits.push(intent)
    return Promise.reject(new RateHoldRefusal(`Sim is rate-limiting this account: no new orders are sent to Sim for ${Math.ceil(left / 1000)} more s; nothing was sent`))
  }
  return {
    start: (ms) => {
      until = clock + ms
    },
    end: () => {
      clock = until
    },
  }
}

/** HH:MM:SS in this machine's zone. */
const clockPattern = /sends at \d{2}:\d{2}:\d{2}/

it("a hold starting between the take-profit order's cancel and the stop's send: the stop waits for it, then sells", async () => {
  const h = await harness()
  const hold = rateHold(h)
  h.ticks.price('100')
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.ticks.price('110')
  await h.settle()
  const tpOrder = h.gateway.last.clientOrderId as string
  h.gateway.fill(tpOrder, '0.4', '110')
  // The cancel goes out with no hold; the exchange answers an order of the account 429 meanwhile.
  const realCancel = h.gateway.cancel.bind(h.gateway)
  h.gateway.cancel = (id) => {
    hold.start(30_000)
    return realCancel(id)
  }
  h.ticks.price('95')
  await h.settle()
  expect(h.gateway.get(tpOrder)?.status).toBe('canceled')
  expect(viewOf(h, tp).status).toBe('canceled')
  const stop = viewOf(h, sl)
  expect(stop.status).toBe('triggered')
  expect(stop.reason).toContain("waiting for the exchange's rate limit")
  expect(stop.reason).toMatch(clockPattern)
  // Not sent again while the hold lasts (timer, ticks).
  h.timers.run(1000)
  h.ticks.price('94')
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.6'])
  hold.end()
  h.advance(31_000)
  h.timers.run(1000)
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.6', 'sell market 0.6'])
  expect(h.gateway.get(h.gateway.last.clientOrderId as string)?.status).toBe('open')
  expect(viewOf(h, sl)).toMatchObject({ status: 'triggered', reason: null })
  h.gateway.fill(h.gateway.last.clientOrderId as string, '0.6', '94')
  expect(viewOf(h, sl).status).toBe('done')
})

it('a single stop firing during a hold is sent on the first tick after the hold ends; canceling it meanwhile sends nothing', async () => {
  const h = await harness()
  const hold = rateHold(h)
  h.ticks.price('100')
  const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
  hold.start(10_000)
  h.ticks.price('94')
  await h.settle()
  expect(viewOf(h, id)).toMatchObject({ status: 'triggered' })
  expect(viewOf(h, id).reason).toMatch(clockPattern)
  hold.end()
  h.advance(11_000)
  h.ticks.price('93')
  await h.settle()
  expect(sent(h)).toEqual(['sell market 1', 'sell market 1'])
  expect(viewOf(h, id).status).toBe('triggered')

  const other = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '90' })
  hold.start(10_000)
  h.ticks.price('89')
  await h.settle()
  expect(viewOf(h, other).status).toBe('triggered')
  await h.engine.cancel(other)
  expect(viewOf(h, other)).toMatchObject({ status: 'canceled', reason: 'canceled by you' })
  hold.end()
  h.advance(11_000)
  h.timers.run(1000)
  await h.settle()
  expect(sent(h)).toHaveLength(3)
})

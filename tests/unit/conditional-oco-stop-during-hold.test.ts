import { afterEach, expect, it } from 'vitest'
import { RateHoldRefusal } from '../../src-main/trading/rate-refusal'
import { closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// A stop that triggers while its take-profit's limit order rests, during a rate hold of new orders (e.g.
// Binance -1015): cancels still go out, but the stop would be refused — so the take-profit keeps resting
// until the hold ends, then is canceled and the stop sent.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

it('a stop triggering during a new-order rate hold leaves its take-profit resting until the hold ends, then sells', async () => {
  const h = await harness()
  h.ticks.price('100')
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.ticks.price('110')
  await h.settle()
  const tpOrder = h.gateway.last.clientOrderId as string
  let holdMs = 60_000
  h.gateway.rateHoldMs = () => holdMs
  const realSubmit = h.gateway.submit.bind(h.gateway)
  h.gateway.submit = (intent) => {
    if (holdMs === 0) return realSubmit(intent)
    h.gateway.submits.push(intent)
    return Promise.reject(new RateHoldRefusal('Sim is rate-limiting this account: no new orders for 60 more s; nothing was sent'))
  }
  h.ticks.price('95')
  await h.settle()
  // During the hold: the take-profit still guards the position; the stop waits, not failed.
  expect(h.gateway.get(tpOrder)?.status).toBe('open')
  expect(viewOf(h, sl).status).toBe('triggered')
  expect(viewOf(h, sl).reason).toContain('held')
  holdMs = 0
  h.advance(61_000)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.get(tpOrder)?.status).toBe('canceled')
  expect(viewOf(h, tp).status).toBe('canceled')
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
  expect(viewOf(h, sl).status).not.toBe('failed')
})

import { afterEach, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// One burst of trades crosses the take-profit-limit and then the stop: the stop waits for the take-profit's
// order to be canceled. When that order is refused (never placed), the stop must not wait for it forever.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

it('same batch crossing both, the take-profit order refused: the stop sells at once', async () => {
  const h = await harness({ defer: 'microtask' })
  h.ticks.price('100')
  await h.settle()
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.gateway.refuseNext = new AppError('UNAVAILABLE', 'Sim is rate-limiting this account: no new orders for 42 more s; nothing was sent')
  h.ticks.price('110')
  h.ticks.price('94')
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
  expect(viewOf(h, tp).status).toBe('failed')
  expect(viewOf(h, sl).status).toBe('triggered')
  expect(viewOf(h, sl).reason).toBeNull()
  // No cancel of the never-placed order is asked again.
  const cancels = h.gateway.cancels.length
  h.advance(31_000)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels.length).toBe(cancels)
})

it('control: the same refusal across two batches also sells', async () => {
  const h = await harness({ defer: 'microtask' })
  h.ticks.price('100')
  await h.settle()
  await oco(h, TP_LIMIT_OCO)
  h.gateway.refuseNext = new AppError('UNAVAILABLE', 'rate-limited; nothing was sent')
  h.ticks.price('110')
  await h.settle()
  h.ticks.price('94')
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
})

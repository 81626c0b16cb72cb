import { afterEach, expect, it } from 'vitest'
import type { OrderRecord } from '../../src-main/trading/model'
import { closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// OKX/Bybit: an accepted cancel leaves the order 'canceling' until the venue shows its end. When the cancel
// does not go through (the order is open again), the stop waiting for it must not wait forever.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

it('an accepted cancel that does not go through is asked again; the stop then sells', async () => {
  const h = await harness()
  const real = h.gateway.cancel.bind(h.gateway)
  // The first cancel is accepted but the order stays open there ('canceling', as OrderManager answers).
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    h.gateway.end(id, 'canceling')
    h.gateway.cancel = real
    return Promise.resolve(h.gateway.get(id) as OrderRecord)
  }
  h.ticks.price('100')
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.ticks.price('110')
  const tpOrder = h.gateway.last.clientOrderId as string
  h.ticks.price('95')
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder])
  // Not asked again while it is 'canceling'.
  h.advance(31_000)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder])
  // The reconcile finds it still open: the cancel did not go through.
  h.gateway.end(tpOrder, 'open', 'the cancel did not go through: the venue still has the order open')
  await h.settle()
  expect(viewOf(h, sl).reason).toContain('still open after its cancel')
  h.advance(1_500)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder, tpOrder])
  expect(viewOf(h, tp).status).toBe('canceled')
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
})

import { afterEach, expect, it } from 'vitest'
import { closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// One market-data message can carry a spike through the take-profit and a crash through the stop. When the
// take-profit is a limit order (it may rest unfilled), the stop must still guard the position, exactly as
// when the two come in separate messages: it waits for that order's cancel and sells what it left.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

it('one batch crossing 110 then 94: the TP limit is sent, then canceled, and the stop sells what it left', async () => {
  const h = await harness({ defer: 'microtask' })
  h.ticks.price('100')
  await h.settle()
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.ticks.price('110')
  h.ticks.price('94')
  await h.settle()
  const tpOrder = h.gateway.submits[0]?.clientOrderId as string
  expect(h.gateway.cancels).toEqual([tpOrder])
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
  expect(viewOf(h, tp).status).toBe('canceled')
  expect(viewOf(h, sl).status).toBe('triggered')
})

it('…and when the TP limit filled part before its cancel landed, the stop sells only the rest', async () => {
  const h = await harness({ defer: 'microtask' })
  h.ticks.price('100')
  await h.settle()
  await oco(h, TP_LIMIT_OCO)
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    h.gateway.fill(id, '0.3', '110')
    h.gateway.end(id, 'canceled')
    return Promise.resolve(h.gateway.get(id) as NonNullable<ReturnType<typeof h.gateway.get>>)
  }
  h.ticks.price('110')
  h.ticks.price('94')
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 0.7'])
})

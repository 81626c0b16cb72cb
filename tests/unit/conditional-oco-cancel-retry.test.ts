import { afterEach, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// A stop that triggers while its take-profit's limit order rests waits for that order's cancel. When that
// cancel fails (a rate hold, a timeout), it is asked again until the order ends — the stop is not left unsent.

afterEach(closeStores)

const TP_LIMIT_OCO = [
  { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
  { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' },
]

const sent = (h: Harness): string[] => h.gateway.submits.map((s) => `${s.side} ${s.type} ${s.amount}${s.price ? ' @' + s.price : ''}`)

/** The first `n` cancels are refused as the order manager's rate hold refuses them (the order stays open). */
function refuseCancels(h: Harness, n: number, message = 'Sim is rate-limiting this account: nothing was sent'): void {
  const real = h.gateway.cancel.bind(h.gateway)
  let left = n
  h.gateway.cancel = (id: string) => {
    if (left > 0) {
      left--
      h.gateway.cancels.push(id)
      return Promise.reject(new AppError('UNAVAILABLE', message))
    }
    return real(id)
  }
}

async function triggeredStop(h: Harness): Promise<{ tp: string; sl: string; tpOrder: string }> {
  h.ticks.price('100')
  const [tp, sl] = await oco(h, TP_LIMIT_OCO)
  h.ticks.price('110')
  const tpOrder = h.gateway.last.clientOrderId as string
  h.ticks.price('95')
  await h.settle()
  return { tp, sl, tpOrder }
}

it('a refused cancel is asked again after a backoff (timer): the stop then sells what the take-profit left', async () => {
  const h = await harness()
  refuseCancels(h, 1)
  const { tp, sl, tpOrder } = await triggeredStop(h)
  expect(sent(h)).toEqual(['sell limit 1 @110'])
  expect(viewOf(h, sl).reason).toMatch(/could not cancel .* asked again in \d+ s/)
  h.advance(1_500)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder, tpOrder])
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
  expect(viewOf(h, tp).status).toBe('canceled')
  expect(viewOf(h, sl).status).toBe('triggered')
})

it('a retry is also asked on a tick of that market once due, and not before its backoff', async () => {
  const h = await harness()
  refuseCancels(h, 2)
  const { tpOrder } = await triggeredStop(h)
  h.ticks.price('90') // not due yet (1 s backoff)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder])
  h.advance(1_500)
  h.ticks.price('89') // due: asked, refused again (next wait 2 s)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder, tpOrder])
  h.advance(2_500)
  h.ticks.price('88')
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
})

it("waits out the account's rate hold before asking again", async () => {
  const h = await harness()
  let holdMs = 0
  h.gateway.rateHoldMs = () => holdMs
  // The cancel itself meets a 429 with Retry-After 60 s.
  const real = h.gateway.cancel.bind(h.gateway)
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    holdMs = 60_000
    return Promise.reject(new AppError('UNAVAILABLE', 'Sim is rate-limiting this account: nothing was sent'))
  }
  const { tpOrder } = await triggeredStop(h)
  h.gateway.cancel = real
  h.advance(30_000)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder])
  holdMs = 0
  h.advance(31_000)
  h.timers.run(1000)
  await h.settle()
  expect(sent(h)).toEqual(['sell limit 1 @110', 'sell market 1'])
})

it('a retry that finds the take-profit filled before it could be canceled ends the stop unsent', async () => {
  const h = await harness()
  refuseCancels(h, 1)
  const { sl, tpOrder } = await triggeredStop(h)
  // It fills meanwhile but the update is missed; the next cancel answers "already filled".
  const rec = h.gateway.records.get(tpOrder)
  if (rec === undefined) throw new Error('no TP order')
  rec.filled = '1'
  rec.status = 'filled'
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return Promise.reject(new AppError('CONFLICT', `order ${id} is already filled`))
  }
  h.advance(1_500)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder, tpOrder])
  expect(sent(h)).toEqual(['sell limit 1 @110'])
  expect(viewOf(h, sl).status).toBe('canceled')
  expect(viewOf(h, sl).reason).toMatch(/filled before its order could be canceled/)
})

it('no retry once the waiting stop is canceled by the user', async () => {
  const h = await harness()
  refuseCancels(h, 5)
  const { sl, tpOrder } = await triggeredStop(h)
  await h.engine.cancel(sl)
  h.advance(60_000)
  h.timers.run(1000)
  await h.settle()
  expect(h.gateway.cancels).toEqual([tpOrder])
  expect(sent(h)).toEqual(['sell limit 1 @110'])
})

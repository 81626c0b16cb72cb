import { afterEach, describe, expect, it } from 'vitest'
import { conditionalAmendSchema } from '../../src-main/api/schemas/trading'
import { applyConditional, applyConditionalLive, type ConditionalLists } from '../../src-renderer/features/trading/ordersModel'
import { closeStores, harness, single, type Harness } from './conditional-harness'

// The conditionalLive batch is built a slice of orders at a time (conditional-live-slices.test.ts). An
// order amended or triggered between two slices has its new view sent at once; the batch, finished later,
// must not then overwrite that row with the figures it computed before the change.

afterEach(closeStores)

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r))

/** The conditional-orders screen as the renderer keeps it from the bus. */
function screenOf(h: Harness): () => ConditionalLists {
  let screen: ConditionalLists = { active: [], ended: [] }
  for (const v of h.events) screen = applyConditional(screen, v)
  h.bus.on('conditionalChanged', (e) => (screen = applyConditional(screen, e.view)))
  h.bus.on('conditionalLive', (e) => (screen = { ...screen, active: applyConditionalLive(screen.active, e.figures) }))
  return () => screen
}

/** Lets the sliced batch finish, then lets the timer run a few more passes (the price does not move). */
async function settle(h: Harness): Promise<void> {
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < 5; i++) await nextTurn()
    h.timers.run(250)
  }
  for (let i = 0; i < 5; i++) await nextTurn()
}

async function manyOrders(h: Harness, first: Parameters<typeof single>[1]): Promise<string> {
  h.ticks.price('100')
  const id = await single(h, first)
  for (let i = 0; i < 600; i++) await single(h, { kind: 'take-profit-market', side: 'sell', amount: '0.1', triggerPrice: `${200 + i}` })
  return id
}

describe('live figures of an order that changed while the batch was being built', () => {
  it('a stop amended 95 → 90 between slices keeps showing trigger 90 and its distance to 90', async () => {
    const h = await harness()
    const stop = await manyOrders(h, { kind: 'stop-limit', side: 'sell', amount: '0.1', triggerPrice: '95', limitPrice: '94' })
    const screen = screenOf(h)
    h.ticks.price('99')
    h.timers.run(250) // the first slice, with the stop in it, is computed now
    await h.engine.amend(conditionalAmendSchema.parse({ id: stop, triggerPrice: '90', limitPrice: '89', expected: { triggerPrice: '95', limitPrice: '94' } }))
    const amended = screen().active.find((v) => v.id === stop)
    expect(amended).toMatchObject({ triggerPrice: '90', limitPrice: '89' })
    await settle(h)
    const row = screen().active.find((v) => v.id === stop)
    expect(row).toMatchObject({ triggerPrice: '90', limitPrice: '89', currentPrice: amended?.currentPrice, distancePct: amended?.distancePct })
  }, 30_000)

  it('a stop-limit triggered at 94 between slices keeps showing price 94, not the 96 of the slice before', async () => {
    const h = await harness()
    const stop = await manyOrders(h, { kind: 'stop-limit', side: 'sell', amount: '0.1', triggerPrice: '95', limitPrice: '90' })
    const screen = screenOf(h)
    h.ticks.price('96')
    h.timers.run(250) // the first slice computes the stop's figures at 96
    h.ticks.price('94') // between slices: the stop triggers, its limit sell at 90 rests
    for (let i = 0; i < 5 && screen().active.find((v) => v.id === stop)?.status !== 'triggered'; i++) await Promise.resolve()
    const triggered = screen().active.find((v) => v.id === stop)
    expect(triggered).toMatchObject({ status: 'triggered', currentPrice: '94' })
    await settle(h)
    expect(screen().active.find((v) => v.id === stop)).toMatchObject({ status: 'triggered', currentPrice: '94', distancePct: triggered?.distancePct })
  }, 30_000)
})

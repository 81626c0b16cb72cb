import { afterEach, describe, expect, it } from 'vitest'
import type { ConditionalCreate } from '../../src-main/api/schemas/trading'
import { closeStores, harness, input, rejection, single, VENUE } from './conditional-harness'

// A sell trailing stop whose distance is the price or more would have a trigger at or below zero: it
// could never fire. It is refused (at creation, alone or in an OCO, and when amended), never armed.

afterEach(closeStores)

const trail = (value: string, extra: Record<string, unknown> = {}) => ({ kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'price', value }, ...extra })

describe('a sell trailing stop wider than the price', () => {
  it('is refused at creation, from the price now or from its activation price', async () => {
    const h = await harness()
    h.ticks.price('102.2')
    const create = (leg: Record<string, unknown>) => h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg }) as ConditionalCreate)
    await expect(create(trail('600'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trailing distance 600 is not below the price it trails from (102.2): its trigger would be -497.8 and it could never fire. Choose a distance under 102.2',
    })
    await expect(create(trail('102.2'))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('its trigger would be 0 and it could never fire') })
    await expect(create(trail('150', { activationPrice: '120' }))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trailing distance 150 is not below the activation price it trails from (120): its trigger would be -30 and it could never fire. Choose a distance under 120',
    })
    expect(h.rows()).toBe(0)
    // A buy trailing stop's trigger is above the price: any distance is fine.
    await expect(create({ ...trail('600'), side: 'buy' })).resolves.toHaveLength(1)
  })

  it('is refused as an OCO leg', async () => {
    const h = await harness()
    h.ticks.price('100')
    const legs = [{ kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' }, trail('300')]
    await expect(h.engine.create(input({ type: 'oco', venueId: VENUE, symbol: 'BTC/USDT', legs }))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('its trigger would be -200 and it could never fire'),
    })
    expect(h.rows()).toBe(0)
  })

  it('is refused when amended to such a distance; the order keeps its distance', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, trail('5'))
    h.ticks.price('120')
    expect(await rejection(h.engine.amend({ id, trailingValue: '130' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The trailing distance 130 is not below the price it trails from (120): its trigger would be -10 and it could never fire. Choose a distance under 120',
    })
    expect(h.engine.list({ scope: 'active', limit: 10 })[0]).toMatchObject({ trailing: { value: '5' }, triggerPrice: '115' })
  })
})

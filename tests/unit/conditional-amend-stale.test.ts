import { afterEach, describe, expect, it } from 'vitest'
import { conditionalAmendSchema } from '../../src-main/api/schemas/trading'
import { closeStores, harness, rejection, rowOf, single, viewOf } from './conditional-harness'

// Two windows show the same conditional order. One moves it; the other, still showing the old terms,
// amends one field: the engine must not mix the stored terms with the stale window's (terms nobody chose).
// The editor sends the terms it saw (`expected`); when the stored ones differ the amendment is refused.

afterEach(closeStores)

/** Through the contract's schema, as the router does. */
const amendOf = (raw: unknown) => conditionalAmendSchema.parse(raw)

describe('conditional.amend from a window with a stale view', () => {
  it('a stop-limit moved elsewhere: the stale window’s limit-only amend is refused with the terms it is now; nothing changes', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-limit', side: 'buy', amount: '1', triggerPrice: '105', limitPrice: '106' })
    // Window A moves both.
    await h.engine.amend(amendOf({ id, triggerPrice: '110', limitPrice: '111', expected: { triggerPrice: '105', limitPrice: '106' } }))
    // Window B still shows 105 / 106 and raises the limit to 106.5.
    const refused = await rejection(h.engine.amend(amendOf({ id, triggerPrice: '105', limitPrice: '106.5', expected: { triggerPrice: '105', limitPrice: '106' } })))
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: 'This conditional order was changed elsewhere: it is now trigger 110 limit 111; check it and amend again',
    })
    expect(viewOf(h, id)).toMatchObject({ triggerPrice: '110', limitPrice: '111' })
    expect(rowOf(h, id)).toMatchObject({ trigger_price: '110', limit_price: '111' })
  })

  it('terms that are the same number written differently are not a change; a trailing stop compares its distance', async () => {
    const h = await harness()
    h.ticks.price('100')
    const id = await single(h, { kind: 'stop-limit', side: 'sell', amount: '1', triggerPrice: '95', limitPrice: '94.5' })
    const [v] = await h.engine.amend(amendOf({ id, triggerPrice: '94', limitPrice: '93.5', expected: { triggerPrice: '95.00', limitPrice: '94.50' } }))
    expect(v).toMatchObject({ triggerPrice: '94', limitPrice: '93.5' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '10' } })
    await h.engine.amend(amendOf({ id: trail, trailingValue: '8', expected: { trailingValue: '10' } }))
    expect(await rejection(h.engine.amend(amendOf({ id: trail, trailingValue: '6', expected: { trailingValue: '10' } })))).toMatchObject({
      code: 'CONFLICT',
      message: 'This conditional order was changed elsewhere: it is now distance 8 %; check it and amend again',
    })
    expect(rowOf(h, trail)).toMatchObject({ trailing_value: '8' })
  })

  it('the contract refuses expected terms that are not prices', () => {
    expect(conditionalAmendSchema.safeParse({ id: 'c1', triggerPrice: '1', expected: { triggerPrice: 'abc' } }).success).toBe(false)
    expect(conditionalAmendSchema.safeParse({ id: 'c1', triggerPrice: '1', expected: { triggerPrice: '1', other: '2' } }).success).toBe(false)
  })
})

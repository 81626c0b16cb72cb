import { afterEach, describe, expect, it } from 'vitest'
import { conditionalCreateSchema, type ConditionalCreate } from '../../src-main/api/schemas/trading'
import { closeStores, harness, input, VENUE, type Harness } from './conditional-harness'

// Bad input is refused with a specific message, and nothing is stored, sent or announced.

afterEach(closeStores)

const stop = (leg: Record<string, unknown> = {}) => ({ kind: 'stop-market', side: 'sell', amount: '1', trigger: 'last', triggerPrice: '95', ...leg })

async function refused(h: Harness, raw: unknown, code: string, message: string): Promise<void> {
  const before = h.events.length
  await expect(h.engine.create(raw as ConditionalCreate)).rejects.toMatchObject({ code, message })
  expect(h.rows()).toBe(0)
  expect(h.gateway.submits).toHaveLength(0)
  expect(h.events.length).toBe(before)
  expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
}

const single = (leg: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', placement: 'app', leg, ...extra })

describe('refusals', () => {
  it('an unknown venue or market', async () => {
    const h = await harness()
    await refused(h, single(stop(), { venueId: 'nope' }), 'NOT_FOUND', 'No venue "nope"')
    await refused(h, single(stop(), { symbol: 'DOGE/USDT' }), 'NOT_FOUND', 'No market DOGE/USDT on Sim')
  })

  it('a zero or negative amount (also refused by the contract before it reaches the engine)', async () => {
    const h = await harness()
    await refused(h, single(stop({ amount: '0' })), 'BAD_INPUT', 'The amount must be greater than zero (got 0)')
    await refused(h, single(stop({ amount: '-1' })), 'BAD_INPUT', 'The amount must be greater than zero (got -1)')
    const parsed = conditionalCreateSchema.safeParse(single(stop({ amount: '0' })))
    expect(parsed.success).toBe(false)
  })

  it('an amount off the step or below the minimum', async () => {
    const h = await harness()
    await refused(h, single(stop({ amount: '0.00015' })), 'BAD_INPUT', 'The amount 0.00015 is not a multiple of the step 0.0001 BTC of BTC/USDT: use 0.0001 or 0.0002')
    await refused(h, single(stop({ amount: '0.005' }), { symbol: 'ETH/USDT' }), 'BAD_INPUT', 'The amount 0.005 ETH is below the minimum 0.01 ETH of ETH/USDT')
  })

  it('a trigger or limit price off the tick, naming the two nearest valid prices', async () => {
    const h = await harness()
    await refused(h, single(stop({ triggerPrice: '100.005' })), 'BAD_INPUT', 'The trigger price 100.005 is not on the tick 0.01 of BTC/USDT: the nearest valid prices are 100.00 and 100.01')
    await refused(
      h,
      single({ kind: 'stop-limit', side: 'sell', amount: '1', trigger: 'last', triggerPrice: '95', limitPrice: '94.999' }),
      'BAD_INPUT',
      'The limit price 94.999 is not on the tick 0.01 of BTC/USDT: the nearest valid prices are 94.99 and 95.00',
    )
  })

  it('an order worth less than the market minimum at its trigger', async () => {
    const h = await harness()
    await refused(h, single(stop({ amount: '0.01' })), 'BAD_INPUT', 'The order value 0.95 USDT at the trigger price is below the minimum 5 USDT of BTC/USDT')
  })

  it('a trailing stop worth less than the market minimum where it would trigger (from the price now, or its activation)', async () => {
    const h = await harness()
    h.ticks.push({ last: '100', bid: '99.99', ask: '100.01', health: 'live', reason: null })
    const trail = (extra: Record<string, unknown>) => single({ kind: 'trailing-stop', side: 'sell', amount: '0.01', trigger: 'last', distance: { unit: 'percent', value: '1' }, ...extra })
    // 1 % under 100: a trigger at 99, and 0.01 × 99 = 0.99 USDT.
    await refused(h, trail({}), 'BAD_INPUT', 'The order value 0.99 USDT at the trailing trigger 99 is below the minimum 5 USDT of BTC/USDT')
    // From its activation price 200: a trigger at 198, 1.98 USDT.
    await refused(h, trail({ activationPrice: '200' }), 'BAD_INPUT', 'The order value 1.98 USDT at the trailing trigger 198 is below the minimum 5 USDT of BTC/USDT')
    // Enough of it is armed.
    await expect(h.engine.create(input(trail({ amount: '0.06' }) as never))).resolves.toMatchObject([{ kind: 'trailing-stop', amount: '0.06' }])
  })

  it('a trailing distance of 0, or a price distance off the tick', async () => {
    const h = await harness()
    const trail = (distance: unknown) => single({ kind: 'trailing-stop', side: 'sell', amount: '1', trigger: 'last', distance })
    await refused(h, trail({ unit: 'percent', value: '0' }), 'BAD_INPUT', 'The trailing distance must be greater than zero (got 0)')
    await refused(h, trail({ unit: 'price', value: '0' }), 'BAD_INPUT', 'The trailing distance must be greater than zero (got 0)')
    await refused(h, trail({ unit: 'price', value: '0.015' }), 'BAD_INPUT', 'The trailing distance 0.015 is not on the tick 0.01 of BTC/USDT: the nearest valid prices are 0.01 and 0.02')
    expect(conditionalCreateSchema.safeParse(trail({ unit: 'percent', value: '0' })).success).toBe(false)
  })

  it('OCO legs on the wrong side of the current price, on different sides, or both firing the same way', async () => {
    const h = await harness()
    h.ticks.price('100')
    const oco = (legs: unknown[]) => input({ type: 'oco', venueId: VENUE, symbol: 'BTC/USDT', legs })
    const tp = (price: string, side = 'sell') => ({ kind: 'take-profit-market', side, amount: '1', triggerPrice: price })
    const sl = (price: string, side = 'sell') => ({ kind: 'stop-market', side, amount: '1', triggerPrice: price })
    await refused(h, oco([tp('95'), sl('90')]), 'BAD_INPUT', 'The take-profit leg (95) must be above the current price (100) for a sell OCO')
    await refused(h, oco([tp('110'), sl('105')]), 'BAD_INPUT', 'The stop leg (105) must be below the current price (100) for a sell OCO')
    await refused(h, oco([tp('105', 'buy'), sl('110', 'buy')]), 'BAD_INPUT', 'The take-profit leg (105) must be below the current price (100) for a buy OCO')
    await refused(h, oco([tp('110'), sl('90', 'buy')]), 'BAD_INPUT', 'Both legs of an OCO must be on the same side (both sells or both buys); here one sells and one buys')
    await refused(
      h,
      oco([sl('95'), sl('90')]),
      'BAD_INPUT',
      'Both legs of this sell OCO fire when the price falls: a sell OCO needs a take-profit above and a stop below the current price',
    )
    await refused(h, oco([tp('110'), { ...sl('90'), amount: '2' }]), 'BAD_INPUT', 'Both legs of an OCO close the same position: give them the same amount (1 and 2)')
  })

  it('an OCO when there is no live price to check it against', async () => {
    const h = await harness()
    h.ticks.push({ last: '100', bid: '99.99', ask: '100.01', health: 'stale', reason: 'no message for 12 s' })
    const raw = input({
      type: 'oco',
      venueId: VENUE,
      symbol: 'BTC/USDT',
      legs: [
        { kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' },
        { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '90' },
      ],
    })
    await refused(
      h,
      raw,
      'UNAVAILABLE',
      'No live price for BTC/USDT on Sim (book stale: no message for 12 s): the OCO legs cannot be checked against the current price; try again in a moment',
    )
    expect(h.ticks.watchers()).toBe(0)
  })

  it('bracket exits on the wrong side of the entry price, or an entry sized in percent', async () => {
    const h = await harness()
    h.ticks.price('100')
    const bracket = (tp: string, sl: string, side = 'buy', size: unknown = { unit: 'base', value: '1' }) =>
      input({
        type: 'bracket',
        venueId: VENUE,
        symbol: 'BTC/USDT',
        entry: { side, type: 'limit', size, price: '100' },
        takeProfit: { triggerPrice: tp },
        stopLoss: { triggerPrice: sl },
      })
    await refused(h, bracket('95', '90'), 'BAD_INPUT', 'The take-profit (95) must be above the entry price (100) for a buy bracket')
    await refused(h, bracket('110', '101'), 'BAD_INPUT', 'The stop-loss (101) must be below the entry price (100) for a buy bracket')
    await refused(h, bracket('105', '110', 'sell'), 'BAD_INPUT', 'The take-profit (105) must be below the entry price (100) for a sell bracket')
    await refused(
      h,
      bracket('110', '90', 'buy', { unit: 'percent', value: '10' }),
      'BAD_INPUT',
      'A bracket entry is sized in base or quote units; a percentage of the balance is for the order ticket',
    )
  })

  it('"on exchange" on a venue that cannot hold it', async () => {
    const h = await harness()
    await refused(h, single(stop(), { placement: 'exchange' }), 'BAD_INPUT', 'Sim cannot hold this order natively; choose in app')
  })
})

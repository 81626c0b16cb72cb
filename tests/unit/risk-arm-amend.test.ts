import { describe, expect, it } from 'vitest'
import { notionalCore } from '../support/notional-core'
import type { CommandInput, ConditionalView } from '../../src-main/api/contract'

// Amending an armed conditional order is held to the max order notional as arming it was: a stop-limit buy
// armed at a limit within the limit cannot be moved to a limit far above it (refused then, not when it
// fires). Through the contract, on a real engine with the simulated exchange held still (BTC/USDT near
// 94800) and a max order notional of 100 USDT.

const { ok, refused, single } = notionalCore()
const active = async () => (await ok('conditional.list', {})) as ConditionalView[]
const create = async (input: CommandInput<'conditional.create'>) => (await ok('conditional.create', input)) as ConditionalView[]

describe('max order notional: checked again when an armed conditional order is amended', () => {
  it('a stop-limit buy moved to a limit over the limit is refused, naming the limit; nothing changes', async () => {
    const [leg] = await create(single({ kind: 'stop-limit', side: 'buy', amount: '0.001', triggerPrice: '120000.00', limitPrice: '95000.00', trigger: 'mid' }))
    const id = (leg as ConditionalView).id
    expect(await refused('conditional.amend', { id, limitPrice: '130000.00' })).toBe(
      'Order value 130 USDT of this stop-limit buy (0.001 BTC at its limit price 130000.00) is above the max order notional 100 USDT',
    )
    expect((await active()).map((c) => [c.id, c.triggerPrice, c.limitPrice, c.status])).toEqual([[id, '120000', '95000', 'armed']])
    // Within the limit, the amendment is stored.
    expect((await ok('conditional.amend', { id, limitPrice: '99000' })) as ConditionalView[]).toMatchObject([{ limitPrice: '99000' }])
  })

  it('a stop-market moved to a trigger over the limit is refused; an OCO leg too', async () => {
    const [stop] = await create(single({ kind: 'stop-market', side: 'buy', amount: '0.0008', triggerPrice: '120000.00', trigger: 'mid' }))
    expect(await refused('conditional.amend', { id: (stop as ConditionalView).id, triggerPrice: '130000.00' })).toBe(
      'Order value 104 USDT of this stop-market buy (0.0008 BTC at its trigger price 130000.00) is above the max order notional 100 USDT',
    )
    const legs = await create({
      type: 'oco',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      legs: [
        { kind: 'take-profit-market', side: 'buy', amount: '0.0008', triggerPrice: '80000.00', trigger: 'mid' },
        { kind: 'stop-market', side: 'buy', amount: '0.0008', triggerPrice: '120000.00', trigger: 'mid' },
      ],
    })
    const second = legs.find((l) => l.kind === 'stop-market') as ConditionalView
    expect(await refused('conditional.amend', { id: second.id, triggerPrice: '126000.00' })).toBe(
      'Order value 100.8 USDT of this stop-market buy (0.0008 BTC at its trigger price 126000.00) is above the max order notional 100 USDT',
    )
  })

  it("a bracket's exit, before its entry fills, is checked for the whole entry amount", async () => {
    const legs = await create({
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', price: '80000.00', size: { unit: 'base', value: '0.0009' } },
      takeProfit: { triggerPrice: '110000.00' },
      stopLoss: { triggerPrice: '70000.00' },
    })
    const tp = legs.find((l) => l.kind === 'take-profit-market') as ConditionalView
    expect(await refused('conditional.amend', { id: tp.id, triggerPrice: '115000.00' })).toBe(
      "Order value 103.5 USDT of the bracket's take-profit (0.0009 BTC at its trigger price 115000.00) is above the max order notional 100 USDT",
    )
    expect((await active()).find((c) => c.id === tp.id)?.triggerPrice).toBe('110000')
  })
})

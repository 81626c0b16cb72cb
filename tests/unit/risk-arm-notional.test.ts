import { describe, expect, it } from 'vitest'
import { notionalCore } from '../support/notional-core'
import type { CommandInput, ConditionalView, OrderView } from '../../src-main/api/contract'

// The max order notional is checked when a conditional order is armed, for every order it may send (any
// side), not only when it fires: at its trigger price, its limit price for a stop-limit, the price it trails
// from for a trailing stop; a bracket's entry and its exits, sized to the entry. Through the contract, on a
// real engine with the simulated exchange held still (BTC/USDT near 94800) and a max order notional of
// 100 USDT.

const { ok, refused, single } = notionalCore()
const stored = async () => [...((await ok('conditional.list', {})) as ConditionalView[]), ...((await ok('conditional.list', { scope: 'history' })) as ConditionalView[])]
const orders = async () => (await ok('orders.list', { scope: 'open' })) as OrderView[]

describe('max order notional: checked when a conditional order is armed', () => {
  it('a stop buy over the limit at its trigger price is refused when armed, nothing stored', async () => {
    expect(await refused('conditional.create', single({ kind: 'stop-market', side: 'buy', amount: '0.005', triggerPrice: '120000.00', trigger: 'mid' }))).toBe(
      'Order value 600 USDT of this stop-market buy (0.005 BTC at its trigger price 120000.00) is above the max order notional 100 USDT',
    )
    // Sells too; a stop-limit at its limit price.
    expect(
      await refused('conditional.create', single({ kind: 'stop-limit', side: 'sell', amount: '0.002', triggerPrice: '60000.00', limitPrice: '55000.00', trigger: 'mid' })),
    ).toBe('Order value 110 USDT of this stop-limit sell (0.002 BTC at its limit price 55000.00) is above the max order notional 100 USDT')
    // A trailing stop at the price it trails from now.
    expect(
      await refused('conditional.create', single({ kind: 'trailing-stop', side: 'sell', amount: '0.002', distance: { unit: 'percent', value: '5' }, trigger: 'mid' })),
    ).toMatch(/^Order value 1\d\d(\.\d+)? USDT of this trailing-stop sell \(0\.002 BTC at its reference price 9\d{4}\.\d\d\) is above the max order notional 100 USDT$/)
    expect(await stored()).toEqual([])
  })

  it('conditional orders within the limit are armed', async () => {
    await ok('conditional.create', single({ kind: 'stop-market', side: 'buy', amount: '0.0008', triggerPrice: '120000.00', trigger: 'mid' }))
    await ok('conditional.create', single({ kind: 'take-profit-limit', side: 'sell', amount: '0.001', triggerPrice: '99000.00', limitPrice: '98000.00', trigger: 'mid' }))
    await ok('conditional.create', single({ kind: 'trailing-stop', side: 'sell', amount: '0.001', distance: { unit: 'percent', value: '5' }, trigger: 'mid' }))
    expect((await stored()).map((c) => c.status)).toEqual(['armed', 'armed', 'armed'])
  })

  it('an OCO with one leg over the limit is refused, naming that leg', async () => {
    const oco = (amount: string): CommandInput<'conditional.create'> => ({
      type: 'oco',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      legs: [
        { kind: 'take-profit-market', side: 'buy', amount, triggerPrice: '80000.00', trigger: 'mid' },
        { kind: 'stop-market', side: 'buy', amount, triggerPrice: '120000.00', trigger: 'mid' },
      ],
    })
    expect(await refused('conditional.create', oco('0.001'))).toBe(
      'Order value 120 USDT of OCO leg 2 (stop-market buy) (0.001 BTC at its trigger price 120000.00) is above the max order notional 100 USDT',
    )
    expect(await stored()).toEqual([])
    expect(await ok('conditional.create', oco('0.0008'))).toHaveLength(2)
  })

  it("a bracket whose exit would be over the limit is refused before its entry is sent", async () => {
    const bracket = (amount: string): CommandInput<'conditional.create'> => ({
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', price: '80000.00', size: { unit: 'base', value: amount } },
      takeProfit: { triggerPrice: '110000.00' },
      stopLoss: { triggerPrice: '70000.00' },
    })
    // The entry (80 USDT) fits; its take-profit sells the same 0.001 BTC at 110000 (110 USDT).
    expect(await refused('conditional.create', bracket('0.001'))).toBe(
      "Order value 110 USDT of the bracket's take-profit (0.001 BTC at its trigger price 110000.00) is above the max order notional 100 USDT",
    )
    expect(await stored()).toEqual([])
    expect(await orders()).toEqual([])
    expect(await ok('conditional.create', bracket('0.0009'))).toHaveLength(2)
    expect(await orders()).toHaveLength(1)
  })
})

import { describe, expect, it } from 'vitest'
import { offRangeLines, orderLines, type OrderLine } from '../../src-renderer/features/trade/orderLines'
import { cond, order } from '../support/order-views'

// The candle chart's order lines: which of the engine's orders and triggers are drawn on a market, where,
// and with what label.

describe('orderLines', () => {
  it('a resting limit order at its price; a live trigger at its trigger; only this venue and market', () => {
    const lines = orderLines(
      [
        order('o1', { side: 'buy', price: '90000.50', amount: '0.0100' }),
        order('o2', { side: 'sell', price: '99000', status: 'partially-filled', filled: '0.004' }),
        order('other-market', { symbol: 'ETH/USDT', price: '3000' }),
        order('other-venue', { venueId: 'binance-main' }),
      ],
      [
        cond('c1', { kind: 'stop-market', side: 'sell', triggerPrice: '88000', amount: '0.5' }),
        cond('c2', { kind: 'take-profit-limit', side: 'sell', triggerPrice: '105000', placement: 'exchange', status: 'waiting' }),
      ],
      'sim',
      'BTC/USDT',
    )
    expect(lines).toEqual([
      { id: 'o1', price: 90000.5, side: 'buy', style: 'order', title: 'Buy 0.01', drag: 'price' },
      { id: 'o2', price: 99000, side: 'sell', style: 'order', title: 'Sell 0.01', drag: 'price' },
      { id: 'c1', price: 88000, side: 'sell', style: 'trigger', title: 'Stop sell 0.5', drag: 'trigger', trigger: '88000' },
      { id: 'c2', price: 105000, side: 'sell', style: 'trigger', title: 'TP limit sell 0.01 (exchange)', drag: 'trigger', trigger: '105000' },
    ])
  })

  it('nothing for a market order, an order being sent or canceled, a fired or ended trigger, or a trail not yet started', () => {
    const lines = orderLines(
      [order('m', { type: 'market', price: null }), order('s', { status: 'submitting' }), order('x', { status: 'canceling' }), order('f', { status: 'filled' })],
      [
        cond('t', { status: 'triggered' }),
        cond('d', { status: 'done' }),
        cond('trail', { kind: 'trailing-stop', triggerPrice: null, trailing: { unit: 'percent', value: '1', activationPrice: '99000', activated: false, reference: null } }),
      ],
      'sim',
      'BTC/USDT',
    )
    expect(lines).toEqual([])
  })

  it('a trailing stop moves with its trigger; a bracket exit waiting for its entry says it is sized on fill', () => {
    const trailing = { unit: 'percent' as const, value: '1', activationPrice: null, activated: true, reference: '95000' }
    const before = orderLines([], [cond('tr', { kind: 'trailing-stop', triggerPrice: '94050', trailing })], 'sim', 'BTC/USDT')
    const after = orderLines([], [cond('tr', { kind: 'trailing-stop', triggerPrice: '95040', trailing: { ...trailing, reference: '96000' } })], 'sim', 'BTC/USDT')
    // Not draggable: a trailing stop's trigger follows its reference (its distance is amended in the table).
    expect(before[0]).toMatchObject({ id: 'tr', price: 94050, title: 'Trailing sell 0.01', drag: null })
    expect(after[0]).toMatchObject({ id: 'tr', price: 95040 })
    const exit = orderLines([], [cond('sl', { groupType: 'bracket', amount: '0', status: 'waiting', triggerPrice: '93000' })], 'sim', 'BTC/USDT')
    expect(exit[0]).toMatchObject({ title: 'Stop sell on fill', style: 'trigger' })
  })
})

describe('offRangeLines', () => {
  it('names the lines beyond the top and the bottom of the visible range, nearest first', () => {
    const line = (id: string, price: number): OrderLine => ({ id, price, side: 'sell', style: 'order', title: id, drag: 'price' })
    // A pane 400 px high showing 90,000 (y 400) to 100,000 (y 0): 25 px a hundred.
    const yOf = (p: number) => (p === 123 ? null : (100_000 - p) / 25)
    const off = offRangeLines([line('in', 95_000), line('far-up', 120_000), line('up', 100_500), line('down', 89_000), line('far-down', 50_000), line('edge', 100_000), line('no-y', 123)], yOf, 400)
    expect(off.above.map((l) => l.id)).toEqual(['up', 'far-up'])
    expect(off.below.map((l) => l.id)).toEqual(['down', 'far-down'])
    expect(offRangeLines([line('in', 95_000)], yOf, 400)).toEqual({ above: [], below: [] })
  })
})

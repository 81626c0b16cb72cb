import { describe, expect, it } from 'vitest'
import { amendOf, drawnY, GRAB_PX, lineAt, onTick } from '../../src-renderer/features/trade/lineDrag'
import { alertLines, orderLines, type OrderLine } from '../../src-renderer/features/trade/orderLines'
import { alertView, cond } from '../support/order-views'

const line = (id: string, price: number, drag: OrderLine['drag']): OrderLine => ({ id, price, side: 'buy', style: drag === 'price' ? 'order' : 'trigger', title: id, drag })
// A price scale of 1 px per unit, 100 at the top (y 0).
const yOf = (price: number): number | null => (price > 100 || price < 0 ? null : 100 - price)

describe('dragging an order line on the chart', () => {
  it('picks up the draggable line nearest the press, within a few pixels', () => {
    const lines = [line('a', 50, 'price'), line('b', 47, 'trigger'), line('t', 60, null), line('off', 150, 'price')]
    expect(lineAt(lines, 50, yOf)?.id).toBe('a')
    expect(lineAt(lines, 53, yOf)?.id).toBe('b')
    expect(lineAt(lines, 52.5, yOf)?.id).toBe('b')
    expect(lineAt(lines, 49, yOf)?.id).toBe('a')
    expect(lineAt(lines, 50 - GRAB_PX - 0.5, yOf)).toBeNull()
    // A trailing stop (not draggable) is not picked up, nor a line off the scale.
    expect(lineAt(lines, 40, yOf)).toBeNull()
    expect(lineAt([line('off', 150, 'price')], 0, yOf)).toBeNull()
  })

  it('cannot pick up a line the price range leaves out, where it would have been (below the pane: the time axis)', () => {
    // The library maps any price to a y, inside the pane or not; only those inside are drawn.
    const chartY = (price: number): number | null => 100 - price
    const paneHeight = 100
    const shown = (price: number) => drawnY(chartY(price), paneHeight)
    const lines = [line('low', -3, 'price'), line('high', 104, 'price'), line('in', 20, 'price')]
    expect(lineAt(lines, 103, chartY)?.id).toBe('low')
    expect(lineAt(lines, 103, shown)).toBeNull()
    expect(lineAt(lines, -4, shown)).toBeNull()
    expect(lineAt(lines, 81, shown)?.id).toBe('in')
    expect(drawnY(0, paneHeight)).toBe(0)
    expect(drawnY(100, paneHeight)).toBe(100)
    expect(drawnY(null, paneHeight)).toBeNull()
  })

  it('ends on the market’s tick, as the decimal text the engine takes', () => {
    expect(onTick(95012.3456, '0.01')).toBe('95012.35')
    expect(onTick(2.20478, '0.0001')).toBe('2.2048')
    expect(onTick(101.26, '0.5')).toBe('101.5')
    expect(onTick(0.001, '0.01')).toBeNull()
    expect(onTick(Number.NaN, '0.01')).toBeNull()
  })

  it('asks the engine to move an order’s price or a stop’s trigger; a trailing stop is not moved by dragging', () => {
    expect(amendOf(line('o1', 1, 'price'), '95000.10')).toEqual({ command: 'orders.amend', input: { clientOrderId: 'o1', price: '95000.10' } })
    expect(amendOf(line('c1', 1, 'trigger'), '94000.00')).toEqual({ command: 'conditional.amend', input: { id: 'c1', triggerPrice: '94000.00' } })
    expect(amendOf(line('t', 1, null), '94000.00')).toBeNull()
  })

  it('draws the market’s active price alerts at their levels and moves one by its level', () => {
    const lines = alertLines(
      [alertView('up', {}), alertView('down', { condition: 'below', price: '94000.5' }), alertView('eth', { symbol: 'ETH/USDT' }), alertView('done', { status: 'fired' }), alertView('okx', { venueId: 'okx' })],
      'sim',
      'BTC/USDT',
    )
    expect(lines).toEqual([
      { id: 'up', price: 95500, side: 'buy', style: 'alert', title: 'Alert ≥ 95,500', drag: 'alert' },
      { id: 'down', price: 94000.5, side: 'sell', style: 'alert', title: 'Alert ≤ 94,000.5', drag: 'alert' },
    ])
    expect(amendOf(lines[0]!, '95600.00')).toEqual({ command: 'alerts.amend', input: { id: 'up', price: '95600.00' } })
    expect(lineAt(lines.map((l) => ({ ...l, price: 50 })), 51, yOf)?.drag).toBe('alert')
  })

  it('moves a stop-limit’s limit with its trigger, keeping their distance, exactly', () => {
    // Sell stop at 94,000.00, limit 93,950.00: dragged to 94,120.50, the limit goes to 94,070.50.
    const stopLimit: OrderLine = { ...line('sl', 94000, 'trigger'), limit: { trigger: '94000.00', price: '93950.00' } }
    expect(amendOf(stopLimit, '94120.50')).toEqual({ command: 'conditional.amend', input: { id: 'sl', triggerPrice: '94120.50', limitPrice: '94070.50', expected: { triggerPrice: '94000.00', limitPrice: '93950.00' } } })
    // A limit that would reach zero or below: not sent.
    expect(amendOf({ ...line('x', 1, 'trigger'), limit: { trigger: '1.00', price: '0.20' } }, '0.80')).toBeNull()
  })

  it('knows a stop-limit’s limit from the engine’s view of it', () => {
    const lines = orderLines([], [cond('sl', { kind: 'stop-limit', side: 'sell', triggerPrice: '94000.00', limitPrice: '93950.00' })], 'sim', 'BTC/USDT')
    expect(lines[0]).toMatchObject({ id: 'sl', drag: 'trigger', limit: { trigger: '94000.00', price: '93950.00' } })
    const plain = orderLines([], [cond('sm', { kind: 'stop-market', side: 'sell', triggerPrice: '94000.00' })], 'sim', 'BTC/USDT')
    expect(plain[0]!.limit).toBeUndefined()
    // Dragged, it says which trigger it moves from (another window may have moved it meanwhile).
    expect(amendOf(plain[0]!, '93900.00')).toEqual({ command: 'conditional.amend', input: { id: 'sm', triggerPrice: '93900.00', expected: { triggerPrice: '94000.00' } } })
  })
})

import { describe, expect, it } from 'vitest'
import {
  applyConditional,
  applyConditionalLive,
  applyFill,
  applyOrder,
  FILLS_CAP,
  forMarket,
  forVenue,
  lastOpenOrder,
  type OrderLists,
} from '../../src-renderer/features/trading/ordersModel'
import type { FillView } from '../../src-main/api/schemas/trading'
import { cond, fill, order } from '../support/order-views'

const empty: OrderLists = { open: [], history: [] }

describe('applyOrder', () => {
  it('adds an open order to the open list, newest first', () => {
    let lists = applyOrder(empty, order('a', { createdAt: 1 }))
    lists = applyOrder(lists, order('b', { createdAt: 2 }))
    expect(lists.open.map((o) => o.clientOrderId)).toEqual(['b', 'a'])
    expect(lists.history).toEqual([])
  })

  it('moves a canceled (or filled, rejected, expired, lost, left on the exchange) order to history', () => {
    let lists = applyOrder(empty, order('a'))
    lists = applyOrder(lists, order('a', { status: 'canceling', updatedAt: 1100 }))
    expect(lists.open[0]!.status).toBe('canceling')
    lists = applyOrder(lists, order('a', { status: 'canceled', updatedAt: 1200 }))
    expect(lists.open).toEqual([])
    expect(lists.history.map((o) => [o.clientOrderId, o.status])).toEqual([['a', 'canceled']])
    for (const status of ['filled', 'rejected', 'expired', 'lost', 'left-on-exchange'] as const) {
      const l = applyOrder(applyOrder(empty, order('x')), order('x', { status, updatedAt: 2000 }))
      expect(l.open).toEqual([])
      expect(l.history[0]!.status).toBe(status)
    }
  })

  it('ignores an update older than the row it has (events may cross a list reply)', () => {
    const lists = applyOrder(empty, order('a', { status: 'filled', updatedAt: 2000 }))
    const after = applyOrder(lists, order('a', { status: 'open', updatedAt: 1500 }))
    expect(after).toBe(lists)
  })
})

describe('applyFill', () => {
  it('adds each fill once (by venue and trade id), newest first', () => {
    let fills = applyFill([], fill('t1', 1))
    fills = applyFill(fills, fill('t2', 2))
    fills = applyFill(fills, fill('t1', 1))
    expect(fills.map((f) => f.tradeId)).toEqual(['t2', 't1'])
    // The same trade id on another venue is another fill.
    expect(applyFill(fills, fill('t1', 3, 'paper:1'))).toHaveLength(3)
  })

  it('a fill held without its order takes the order when it is sent again tied to it', () => {
    const fills = applyFill(applyFill([], { ...fill('t1', 1), clientOrderId: null }), fill('t2', 2))
    const linked = applyFill(fills, { ...fill('t1', 1), clientOrderId: 'co-1' })
    expect(linked.map((f) => [f.tradeId, f.clientOrderId])).toEqual([
      ['t2', fill('t2', 2).clientOrderId],
      ['t1', 'co-1'],
    ])
  })

  it('keeps the newest FILLS_CAP', () => {
    let fills: FillView[] = []
    for (let i = 0; i < FILLS_CAP + 5; i++) fills = applyFill(fills, fill(`t${i}`, i))
    expect(fills).toHaveLength(FILLS_CAP)
    expect(fills[0]!.tradeId).toBe(`t${FILLS_CAP + 4}`)
  })
})

describe('applyConditional', () => {
  it('updates live prices in place and moves an ended order out of the active list', () => {
    let lists = applyConditional({ active: [], ended: [] }, cond('a', { createdAt: 1 }))
    lists = applyConditional(lists, cond('b', { createdAt: 2 }))
    lists = applyConditional(lists, cond('a', { createdAt: 1, currentPrice: '94000', distancePct: '-4.26', updatedAt: 1100 }))
    expect(lists.active.map((c) => [c.id, c.currentPrice])).toEqual([
      ['b', '95000'],
      ['a', '94000'],
    ])
    lists = applyConditional(lists, cond('a', { status: 'waiting', reason: 'book stale: no message for 12 s', updatedAt: 1200 }))
    expect(lists.active.find((c) => c.id === 'a')!.reason).toBe('book stale: no message for 12 s')
    lists = applyConditional(lists, cond('a', { status: 'canceled', updatedAt: 1300 }))
    expect(lists.active.map((c) => c.id)).toEqual(['b'])
    expect(lists.ended.map((c) => [c.id, c.status])).toEqual([['a', 'canceled']])
  })
})

describe('applyConditionalLive', () => {
  it('puts a batch of live figures on the active rows it names, in place; unknown ids change nothing', () => {
    const trail = cond('t', {
      kind: 'trailing-stop',
      triggerPrice: '85500',
      trailing: { unit: 'percent', value: '10', activationPrice: null, activated: true, reference: '95000' },
      createdAt: 2,
    })
    const active = [trail, cond('a', { createdAt: 1 })]
    const next = applyConditionalLive(active, [
      { id: 'a', currentPrice: '94000', distancePct: '4.26', triggerPrice: '90000', reference: null },
      { id: 't', currentPrice: '96000', distancePct: '10.00', triggerPrice: '86400', reference: '96000' },
      { id: 'gone', currentPrice: '1', distancePct: '1.00', triggerPrice: '1', reference: null },
    ])
    expect(next.map((c) => [c.id, c.currentPrice, c.distancePct, c.triggerPrice])).toEqual([
      ['t', '96000', '10.00', '86400'],
      ['a', '94000', '4.26', '90000'],
    ])
    expect(next[0]?.trailing).toEqual({ unit: 'percent', value: '10', activationPrice: null, activated: true, reference: '96000' })
    // Nothing it knows: the same list (no re-render).
    expect(applyConditionalLive(next, [{ id: 'gone', currentPrice: '1', distancePct: null, triggerPrice: null, reference: null }])).toBe(next)
  })
})

describe('forVenue, forMarket and lastOpenOrder', () => {
  it('filters rows by venue; an empty filter is every account', () => {
    const rows = [order('a'), order('b', { venueId: 'paper:1' })]
    expect(forVenue(rows, '')).toHaveLength(2)
    expect(forVenue(rows, 'paper:1').map((o) => o.clientOrderId)).toEqual(['b'])
  })

  it('keeps the rows of one market of one venue (the workspace’s My orders view), in their order', () => {
    const rows = [order('a'), order('b', { symbol: 'ETH/USDT' }), order('c', { venueId: 'paper:1' }), order('d')]
    expect(forMarket(rows, { venueId: 'sim', symbol: 'BTC/USDT' }).map((o) => o.clientOrderId)).toEqual(['a', 'd'])
    expect(forMarket(rows, { venueId: 'paper:1', symbol: 'BTC/USDT' }).map((o) => o.clientOrderId)).toEqual(['c'])
    expect(forMarket([cond('s1', { symbol: 'ETH/USDT' })], { venueId: 'sim', symbol: 'ETH/USDT' })).toHaveLength(1)
    expect(forMarket(rows, { venueId: 'sim', symbol: 'SOL/USDT' })).toEqual([])
  })

  it('cancels first what this ticket sent last, else the newest open order on the ticket’s market', () => {
    const open = [order('x', { createdAt: 5 }), order('a', { createdAt: 1 }), order('b', { createdAt: 2, symbol: 'ETH/USDT' })]
    expect(lastOpenOrder(open, ['a', 'gone'], null)?.clientOrderId).toBe('a')
    expect(lastOpenOrder(open, ['gone'], { venueId: 'sim', symbol: 'BTC/USDT' })?.clientOrderId).toBe('x')
    expect(lastOpenOrder(open, [], { venueId: 'sim', symbol: 'SOL/USDT' })).toBeNull()
  })
})

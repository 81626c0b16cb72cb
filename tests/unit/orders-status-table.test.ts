import { describe, expect, it } from 'vitest'
import { orderStatuses, type OrderStatus } from '../../src-main/api/schemas/trading'
import { isTerminal, orderEvents, transition, type OrderEvent } from '../../src-main/trading/orders/status-table'

// The order status table, checked cell by cell against this independent list of every allowed move:
// anything not listed here must be refused.

type Expected = Partial<Record<OrderEvent, OrderStatus | 'open|partially-filled'>>
const outcomes: Expected = { 'partially-filled': 'partially-filled', filled: 'filled', canceled: 'canceled', expired: 'expired' }
const allowed: Record<OrderStatus, Expected> = {
  pending: { send: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost' },
  submitting: { retry: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost' },
  open: { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost' },
  'partially-filled': { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost' },
  canceling: {
    'partially-filled': 'canceling',
    filled: 'filled',
    canceled: 'canceled',
    expired: 'expired',
    'cancel-failed': 'open|partially-filled',
    'not-found': 'lost',
  },
  filled: {},
  canceled: {},
  rejected: {},
  expired: {},
  lost: { found: 'open|partially-filled' },
}

describe('order status table', () => {
  const cells = orderStatuses.flatMap((from) => orderEvents.map((event) => [from, event] as const))

  it.each(cells)('%s + %s', (from, event) => {
    const expected = allowed[from][event]
    for (const filledSome of [false, true]) {
      const t = transition(from, event, filledSome)
      if (expected === undefined) {
        expect(t.ok).toBe(false)
        if (!t.ok) expect(t.reason).toBe(`event "${event}" is not allowed for an order that is ${from}`)
      } else {
        const to = expected === 'open|partially-filled' ? (filledSome ? 'partially-filled' : 'open') : expected
        expect(t).toEqual({ ok: true, from, event, to })
      }
    }
  })

  it('allows exactly the listed moves', () => {
    const count = cells.filter(([from, event]) => transition(from, event, false).ok).length
    const listed = Object.values(allowed).reduce((n, events) => n + Object.keys(events).length, 0)
    expect(count).toBe(listed)
    expect(count).toBe(35)
  })

  it('refuses going back: a filled order cannot be accepted again, a canceled one cannot fill', () => {
    expect(transition('filled', 'accepted', false)).toMatchObject({ ok: false })
    expect(transition('canceled', 'partially-filled', true)).toMatchObject({ ok: false })
    expect(transition('rejected', 'retry', false)).toMatchObject({ ok: false })
    expect(transition('open', 'send', false)).toMatchObject({ ok: false })
    expect(transition('expired', 'cancel-requested', false)).toMatchObject({ ok: false })
  })

  it('knows the terminal statuses', () => {
    expect(orderStatuses.filter(isTerminal)).toEqual(['filled', 'canceled', 'rejected', 'expired', 'lost'])
  })
})

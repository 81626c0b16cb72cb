import { describe, expect, it } from 'vitest'
import { orderStatuses, type OrderStatus } from '../../src-main/api/schemas/trading'
import { isTerminal, orderEvents, transition, type OrderEvent } from '../../src-main/trading/orders/status-table'

// The order status table, checked cell by cell against this independent list of every allowed move:
// anything not listed here must be refused.

type Expected = Partial<Record<OrderEvent, OrderStatus | 'open|partially-filled'>>
const outcomes: Expected = { 'partially-filled': 'partially-filled', filled: 'filled', canceled: 'canceled', expired: 'expired' }
const left: Expected = { 'account-removed': 'left-on-exchange' }
const allowed: Record<OrderStatus, Expected> = {
  pending: { send: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost', ...left },
  submitting: { retry: 'submitting', accepted: 'open', ...outcomes, rejected: 'rejected', 'not-found': 'lost', ...left },
  open: { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost', ...left },
  'partially-filled': { ...outcomes, 'cancel-requested': 'canceling', 'not-found': 'lost', ...left },
  canceling: {
    'partially-filled': 'canceling',
    filled: 'filled',
    canceled: 'canceled',
    expired: 'expired',
    'cancel-failed': 'open|partially-filled',
    'not-found': 'lost',
    ...left,
  },
  filled: {},
  canceled: {},
  rejected: {},
  expired: {},
  lost: { found: 'open|partially-filled' },
  'left-on-exchange': {},
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
    expect(count).toBe(40)
  })

  it('refuses going back: a filled order cannot be accepted again, a canceled one cannot fill', () => {
    expect(transition('filled', 'accepted', false)).toMatchObject({ ok: false })
    expect(transition('canceled', 'partially-filled', true)).toMatchObject({ ok: false })
    expect(transition('rejected', 'retry', false)).toMatchObject({ ok: false })
    expect(transition('open', 'send', false)).toMatchObject({ ok: false })
    expect(transition('expired', 'cancel-requested', false)).toMatchObject({ ok: false })
  })

  it('leaves an order on the exchange only while it is unfinished, and for good', () => {
    // A filled order stays filled when its account goes; one left there takes no news (the key is gone).
    expect(transition('filled', 'account-removed', true)).toMatchObject({ ok: false })
    expect(transition('lost', 'account-removed', false)).toMatchObject({ ok: false })
    for (const event of ['accepted', 'filled', 'canceled', 'found', 'cancel-failed'] as const) {
      expect(transition('left-on-exchange', event, true)).toMatchObject({ ok: false })
    }
  })

  it('knows the terminal statuses', () => {
    expect(orderStatuses.filter(isTerminal)).toEqual(['filled', 'canceled', 'rejected', 'expired', 'lost', 'left-on-exchange'])
  })
})

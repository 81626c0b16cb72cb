import { describe, expect, it } from 'vitest'
import { tradingHandlers, type TradingModules } from '../../src-main/api/handlers/trading'

// Cancel-all on a removed exchange account said "Binance main was closed: it has no orders to cancel", but
// removing an exchange account leaves its open orders live on the exchange. Now it says so.

const handlers = (former: Record<string, 'exchange' | 'paper'>) =>
  tradingHandlers({
    ticket: {},
    conditional: {},
    risk: {},
    orders: { cancelAll: () => ({ canceled: 0, failed: [] }) },
    venueLabel: (id: string) => ({ 'acc-1': 'Binance main', 'paper:1': 'Rehearsal' })[id] ?? id,
    venueExists: () => false,
    formerKind: (id: string) => former[id],
  } as unknown as TradingModules) as unknown as Record<string, (input: object) => unknown>

describe('orders.cancelAll on an account that is gone', () => {
  it('a removed exchange account: its orders are left on the exchange, to cancel there', () => {
    expect(() => handlers({ 'acc-1': 'exchange' })['orders.cancelAll']!({ venueId: 'acc-1', symbol: 'BTC/USDT' })).toThrow(
      'Binance main was removed; its orders left on the exchange must be canceled there',
    )
  })

  it('a closed paper account: it was closed (its orders went with it)', () => {
    expect(() => handlers({ 'paper:1': 'paper' })['orders.cancelAll']!({ venueId: 'paper:1', symbol: 'BTC/USDT' })).toThrow(
      'Rehearsal was closed: it has no orders to cancel',
    )
  })
})

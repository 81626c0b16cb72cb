import Decimal from 'decimal.js'
import { splitSymbol } from '../../portfolio/symbols'
import type { OrderRecord } from '../model'

/** How an order that a cancel found ended on its own had ended ("filled before the cancel reached it"). */
export interface EndedFirst {
  status: 'filled' | 'expired' | 'rejected'
  how: string
}

/**
 * How an order that a cancel found ended on its own had ended, or null when it may still be open (or is not
 * ended). The engine's words for it in cancel-all's result, and the audit log's for a trader's cancel it beat.
 */
export function endedBeforeCancel(order: Pick<OrderRecord, 'status' | 'symbol' | 'filled' | 'amount' | 'error'>): EndedFirst | null {
  // What filled stays bought or sold: said in the base asset, as a cancel after a part fill is ("0.4 of 1 BTC").
  const base = splitSymbol(order.symbol)?.base ?? order.symbol
  const part = new Decimal(order.filled).gt(0) ? ` with ${new Decimal(order.filled).toFixed()} of ${new Decimal(order.amount).toFixed()} ${base} filled` : ''
  if (order.status === 'filled') return { status: 'filled', how: 'filled before the cancel reached it' }
  if (order.status === 'expired') return { status: 'expired', how: `expired${part} before the cancel reached it` }
  // Not every rejection is the exchange's: one the kill switch's halt kept from being sent again, or whose retries
  // ran out unsent, was never placed — its own words say which.
  if (order.status === 'rejected') return { status: 'rejected', how: `rejected${part} before the cancel reached it (${order.error ?? 'the exchange refused it'})` }
  return null
}

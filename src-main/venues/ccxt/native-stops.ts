import type { Exchange } from 'ccxt'
import type { DecimalString, OrderTrigger } from '../port'

// Native stop / take-profit orders through ccxt's unified createOrder params: `stopLossPrice` for a stop-loss
// and `takeProfitPrice` for a take-profit, the order type (market / limit) and price staying the order's
// own. ccxt turns them into each exchange's order type (Binance spot: STOP_LOSS / STOP_LOSS_LIMIT /
// TAKE_PROFIT / TAKE_PROFIT_LIMIT with `stopPrice`; binance.js createOrderRequest). Whether an exchange
// takes them is ccxt's own description of its spot createOrder (`features.spot.createOrder`), which names
// both params exchange by exchange (MEXC spot, for one, takes neither).

type Raw = Record<string, unknown>

/** Whether ccxt's spot createOrder of this exchange object takes both stopLossPrice and takeProfitPrice. */
export function holdsNativeStops(ex: Exchange): boolean {
  const features = (ex as unknown as { features?: Raw }).features
  const spot = features?.spot as Raw | undefined
  const create = spot?.createOrder as Raw | undefined
  return create?.stopLossPrice === true && create?.takeProfitPrice === true
}

/** The createOrder params that make the order a native stop-loss or take-profit. */
export function triggerParams(trigger: OrderTrigger, price: number): Raw {
  return trigger.kind === 'stop-loss' ? { stopLossPrice: price } : { takeProfitPrice: price }
}

/** A parsed order's trigger price (ccxt's `triggerPrice`, "0" and absent meaning none). */
export function triggerPriceOf(value: unknown, toDecimal: (v: unknown) => DecimalString | null): DecimalString | null {
  const d = toDecimal(value)
  return d === null || /^0+(\.0+)?$/.test(d) ? null : d
}

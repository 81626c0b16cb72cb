import { InvalidOrder, NotSupported, type Exchange } from 'ccxt'
import { VenueError, nativeStopKindOf, type DecimalString, type OrderRequest, type OrderTrigger } from '../port'
import { sanitize } from './classify'

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

/**
 * ccxt refused the order itself, before any request (NotSupported, or an InvalidOrder in its own words:
 * "bitget createOrder() does not support ..."); an exchange's refusal carries its reply instead.
 */
export function refusedByCcxt(err: unknown): boolean {
  if (err instanceof NotSupported) return true
  return err instanceof InvalidOrder && /\bcreateOrder\(\)/.test(err.message) && !err.message.includes('{')
}

/** The refusal of a native stop ccxt cannot place, worded as this app's limit (the order is refused). */
export function cannotPlaceStop(name: string, request: OrderRequest, err: unknown, redact: readonly string[]): VenueError {
  const kind = nativeStopKindOf(request.trigger as OrderTrigger, request.type)
  const detail = sanitize(err instanceof Error ? err.message : String(err), redact)
  return new VenueError('invalid-order', `This app cannot place a ${kind} order on ${name} (ccxt: ${detail}); choose in app`, err)
}

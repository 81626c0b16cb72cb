import type { ExchangeId } from '../../accounts/exchanges'
import { nativeStopKinds, type NativeStopKind } from '../port'

// Which native stop orders ("on exchange") this app places on each exchange's spot market, as plain data so
// the venue list can say it without loading ccxt. An exchange is listed only where ccxt's spot createOrder
// takes the order (`features.spot.createOrder.stopLossPrice / takeProfitPrice`, see native-stops.ts) AND
// the app can follow it afterwards with the regular order calls. tests/unit/conditional-native.test.ts
// checks it against ccxt itself. A connected account's own venue (capabilities) has the last word.

export interface NativeStopSupport {
  /** The kinds the app places on the exchange; [] = none ("in app" only). */
  kinds: readonly NativeStopKind[]
  /** Why it takes none, or not all of them, in words; null when it takes all. */
  note: string | null
}

const all: NativeStopSupport = { kinds: nativeStopKinds, note: null }

export const nativeStopSupport: Record<ExchangeId, NativeStopSupport> = {
  binance: all,
  // ccxt turns a Coinbase stop into stop_limit_stop_limit_gtc and refuses a market one (NotSupported).
  coinbase: { kinds: ['stop-limit', 'take-profit-limit'], note: 'Coinbase takes stop-limit and take-profit-limit orders only (ccxt places no market stops there)' },
  kraken: all,
  okx: all,
  // ccxt places a Gate spot stop as a price-triggered order (spot/price_orders) and a Bybit one under a stop
  // order filter; the regular order look-ups and cancels this app follows orders with do not see them.
  gate: { kinds: [], note: 'Gate keeps stop orders apart from its regular orders, and this app cannot follow them there' },
  // ccxt's Bitget createOrder refuses stop-loss / take-profit on spot markets ("only swap market").
  bitget: { kinds: [], note: 'ccxt places stop and take-profit orders on Bitget swaps only, not on its spot markets' },
  bybit: { kinds: [], note: 'Bybit keeps stop orders apart from its regular orders, and this app cannot follow them there' },
  mexc: { kinds: [], note: 'ccxt places no stop or take-profit orders on MEXC spot markets' },
}

/** Whether the exchange takes any native stop order from this app (the venue list's flag). */
export const nativeStopExchanges: Record<ExchangeId, boolean> = Object.fromEntries(
  Object.entries(nativeStopSupport).map(([id, s]) => [id, s.kinds.length > 0]),
) as Record<ExchangeId, boolean>

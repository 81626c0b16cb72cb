import type { ExchangeId } from '../../accounts/exchanges'

// Which exchanges hold stop-loss and take-profit orders natively through ccxt (its spot createOrder takes
// both `stopLossPrice` and `takeProfitPrice`: `features.spot.createOrder`, see native-stops.ts), as plain
// data so the venue list can say it without loading ccxt. tests/unit/conditional-native-exchanges.test.ts
// checks it against ccxt itself. A connected account's own venue (capabilities.nativeStops) has the last word.
export const nativeStopExchanges: Record<ExchangeId, boolean> = {
  binance: true,
  coinbase: true,
  kraken: true,
  okx: true,
  gate: true,
  bitget: true,
  bybit: true,
  mexc: false,
}

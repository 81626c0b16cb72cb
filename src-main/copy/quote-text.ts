import Decimal from 'decimal.js'

/**
 * An amount of a market's quote in words: two decimals from 1 up (4.90 USDT), below that its first four
 * significant digits — a BTC-quoted order of 0.0000716 BTC must not read "0.00 BTC".
 */
export function quoteText(value: Decimal): string {
  if (value.abs().gte(1) || value.isZero()) return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)
  return value.toSignificantDigits(4, Decimal.ROUND_HALF_UP).toFixed()
}

import Decimal from 'decimal.js'

/**
 * An amount of a market's quote in words: two decimals from 1 up (4.90 USDT), below that its first four
 * significant digits — a BTC-quoted order of 0.0000716 BTC must not read "0.00 BTC".
 */
export function quoteText(value: Decimal, rounding: Decimal.Rounding = Decimal.ROUND_HALF_UP): string {
  if (value.abs().gte(1) || value.isZero()) return value.toDecimalPlaces(2, rounding).toFixed(2)
  return value.toSignificantDigits(4, rounding).toFixed()
}

/**
 * A value said to be below a minimum, rounded down: 0.000099996 BTC reads 0.00009999 (not 0.0001, the
 * minimum itself), 4.996 USDT 4.99 (not 5.00), so the text never shows it at or above the minimum.
 */
export function quoteBelowText(value: Decimal): string {
  return quoteText(value, Decimal.ROUND_DOWN)
}

import Decimal from 'decimal.js'

// The engine's own decimal constructor: 64 significant digits, so sums of balances, costs and fees stay
// exact (prices are tick multiples and amounts step multiples, so every product is a finite decimal well
// inside that precision). Instances are ordinary decimal.js Decimals.
export const Dec = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -64, toExpPos: 64 })
export type Dec = Decimal

export const ZERO: Dec = new Dec(0)

/** A finite decimal, or null for anything else (garbage, NaN, Infinity, non-strings that are not numbers). */
export function parseDec(value: unknown): Dec | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  if (typeof value === 'string' && value.trim() === '') return null
  try {
    const d = new Dec(value)
    return d.isFinite() ? d : null
  } catch {
    return null
  }
}

/** Plain notation, never exponential; `dp` pads/rounds to that many decimal places. */
export function fmt(value: Dec, dp?: number): string {
  return dp === undefined ? value.toFixed() : value.toFixed(dp)
}

export function isMultipleOf(value: Dec, unit: Dec): boolean {
  return value.mod(unit).isZero()
}

/** Largest multiple of `unit` that is <= value (value >= 0). */
export function floorTo(value: Dec, unit: Dec): Dec {
  return value.div(unit).floor().times(unit)
}

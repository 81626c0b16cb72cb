import Decimal from 'decimal.js'

// The paper module's decimals: 64 significant digits, so balances, costs and fees stay exact (prices are
// tick multiples, amounts step multiples and fee rates short decimals, so every product is finite and
// far inside that precision). Output is plain notation, never exponential.
export const D = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -64, toExpPos: 64 })
export type D = Decimal

export const ZERO: D = new D(0)

export function dec(value: string | number | Decimal): D {
  return new D(value)
}

/** A finite decimal from a venue string, or null. */
export function parseDec(value: string | undefined | null): D | null {
  if (typeof value !== 'string' || value.trim() === '') return null
  try {
    const d = new D(value)
    return d.isFinite() ? d : null
  } catch {
    return null
  }
}

export function fmt(value: Decimal): string {
  return value.toFixed()
}

export function minD(a: D, b: D): D {
  return a.lte(b) ? a : b
}

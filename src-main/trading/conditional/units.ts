import Decimal from 'decimal.js'

// Prices inside the trigger index are plain numbers in "units" of one tenth of the market's tick decimals:
// with a tick of 0.01 a unit is 0.001, so 100.25 is 100250. Every price on the tick is then an exact
// integer, and so is the mid of two of them ((a + b) / 2 needs one more decimal). Exact integers up to
// 2^53 compare exactly as doubles, so the index compares without decimal.js and without rounding.
//
// A venue price with more decimals than that (never expected: venues quote on the tick) is placed between
// its two neighbouring units (floor + 0.5): every comparison with a unit threshold stays exact.

export interface UnitScale {
  /** Decimals of a unit (tick decimals + 1). */
  digits: number
  /** 10^digits. */
  factor: number
  /** 10^digits as a Decimal (for conversions back to text). */
  factorDec: Decimal
}

export function unitScale(tickSize: string): UnitScale {
  const digits = new Decimal(tickSize).decimalPlaces() + 1
  return { digits, factor: 10 ** digits, factorDec: new Decimal(10).pow(digits) }
}

/** A decimal price string in units (NaN when it is not a plain positive decimal). Hot path: no allocation. */
export function toUnits(text: string, digits: number): number {
  let v = 0
  let frac = -1 // decimals read after the dot; -1 before it
  let extra = false
  const n = text.length
  if (n === 0) return NaN
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 46) {
      if (frac >= 0) return NaN
      frac = 0
      continue
    }
    const d = c - 48
    if (d < 0 || d > 9) return slowUnits(text, digits)
    if (frac < 0) v = v * 10 + d
    else if (frac < digits) {
      v = v * 10 + d
      frac++
    } else if (d !== 0) extra = true
  }
  for (let f = frac < 0 ? 0 : frac; f < digits; f++) v *= 10
  return extra ? v + 0.5 : v
}

/** Exponent notation and the like, through decimal.js. */
function slowUnits(text: string, digits: number): number {
  let d: Decimal
  try {
    d = new Decimal(text)
  } catch {
    return NaN
  }
  if (!d.isFinite() || d.isNegative()) return NaN
  const scaled = d.times(new Decimal(10).pow(digits))
  const floor = scaled.floor()
  return floor.eq(scaled) ? floor.toNumber() : floor.toNumber() + 0.5
}

/** Units back to a decimal string (for views and rows; not the hot path). */
export function unitsToText(units: number, scale: UnitScale): string {
  return new Decimal(units).div(scale.factorDec).toFixed()
}

/** A price (on the tick) in exact units; throws if it is not representable (callers validate first). */
export function exactUnits(price: string | Decimal, scale: UnitScale): number {
  const scaled = new Decimal(price).times(scale.factorDec)
  if (!scaled.isInteger()) throw new Error(`price ${String(price)} has more decimals than the market's tick`)
  const n = scaled.toNumber()
  if (!Number.isSafeInteger(n)) throw new Error(`price ${String(price)} is too large for the trigger index`)
  return n
}

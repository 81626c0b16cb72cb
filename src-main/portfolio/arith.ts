import Decimal from 'decimal.js'
import { AppError } from '../api/errors'

// The exact arithmetic behind lots and P&L, in two interchangeable implementations with ONE definition:
//
//   - every number is held to LEDGER_SCALE (18) decimal places; an input with more is rounded half-even;
//   - sums and differences are exact;
//   - a product, a quotient and a proportional share (a × b ÷ c, used when part of a lot is sold) are
//     computed exactly and then rounded half-even to 18 places, once.
//
// `fixedArith` does this with BigInt integers scaled by 10^18 (fast: 1M fills in about a second);
// `decimalArith` does it with decimal.js (precision 100, far beyond what the rounding needs, so the single
// rounding to 18 places is the only one). Tests run both over the same data and require equal strings to
// the last digit; computePortfolio uses the fixed one unless asked otherwise.

export const LEDGER_SCALE = 18

/** decimal.js for the portfolio module: its own clone, so nobody else's Decimal settings change. */
export const LedgerDecimal = Decimal.clone({
  precision: 100,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -1000,
  toExpPos: 1000,
})
export type LedgerDecimal = InstanceType<typeof LedgerDecimal>

export interface Arith<N> {
  readonly name: 'fixed' | 'decimal'
  readonly zero: N
  readonly one: N
  /** A decimal string (plain or exponent notation), rounded to 18 places; throws BAD_INPUT otherwise. */
  parse(text: string): N
  add(a: N, b: N): N
  sub(a: N, b: N): N
  neg(a: N): N
  /** a × b, rounded. */
  mul(a: N, b: N): N
  /** a × b ÷ c, rounded once; c must not be zero. */
  mulDiv(a: N, b: N, c: N): N
  /** a ÷ b, rounded; b must not be zero. */
  div(a: N, b: N): N
  cmp(a: N, b: N): number
  sign(a: N): number
  /** Canonical text: plain notation, no trailing zeros, "0" for zero. */
  format(a: N): string
}

export type ArithName = Arith<unknown>['name']

function badNumber(text: string): AppError {
  return new AppError('BAD_INPUT', `"${String(text)}" is not a decimal number`)
}

const PLAIN = /^-?\d+(\.\d+)?$/
const SCALE = 10n ** BigInt(LEDGER_SCALE)
const ZEROS = Array.from({ length: LEDGER_SCALE + 1 }, (_, i) => '0'.repeat(i))
const POW10 = Array.from({ length: LEDGER_SCALE + 1 }, (_, i) => 10n ** BigInt(i))

/** n ÷ d rounded half-even to an integer; d > 0. */
function roundDiv(n: bigint, d: bigint): bigint {
  const q = n / d
  const r = n % d
  if (r === 0n) return q
  const twice = (r < 0n ? -r : r) * 2n
  if (twice > d || (twice === d && (q & 1n) !== 0n)) return n < 0n ? q - 1n : q + 1n
  return q
}

function fixedParseSlow(text: string): bigint {
  let d: LedgerDecimal
  try {
    d = new LedgerDecimal(text)
  } catch {
    throw badNumber(text)
  }
  if (!d.isFinite()) throw badNumber(text)
  return BigInt(d.toDecimalPlaces(LEDGER_SCALE).times(SCALE.toString()).toFixed(0))
}

export const fixedArith: Arith<bigint> = {
  name: 'fixed',
  zero: 0n,
  one: SCALE,
  parse(text) {
    if (typeof text !== 'string') return fixedParseSlow(text)
    // Fast path (nearly every ledger number): plain digits with at most 15 of them, read into a double
    // exactly (< 2^53) with no allocation, then scaled once.
    const len = text.length
    if (len <= 16) {
      let i = text.charCodeAt(0) === 45 ? 1 : 0
      const negative = i === 1
      let v = 0
      let digits = 0
      let dot = -1
      for (; i < len; i++) {
        const c = text.charCodeAt(i)
        if (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48)
          digits++
        } else if (c === 46 && dot === -1 && digits > 0) {
          dot = i
        } else {
          break
        }
      }
      if (i === len && digits > 0 && digits <= 15 && dot !== len - 1) {
        const fraction = dot === -1 ? 0 : len - dot - 1
        const scaled = BigInt(negative ? -v : v) * (POW10[LEDGER_SCALE - fraction] as bigint)
        return scaled
      }
    }
    if (!PLAIN.test(text)) return fixedParseSlow(text)
    const dot = text.indexOf('.')
    if (dot === -1) return BigInt(text) * SCALE
    const fraction = text.length - dot - 1
    if (fraction > LEDGER_SCALE) return fixedParseSlow(text)
    return BigInt(text.slice(0, dot) + text.slice(dot + 1) + (ZEROS[LEDGER_SCALE - fraction] as string))
  },
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  neg: (a) => -a,
  mul(a, b) {
    const p = a * b
    const q = p / SCALE
    return q * SCALE === p ? q : roundDiv(p, SCALE)
  },
  mulDiv(a, b, c) {
    if (c === 0n) throw new RangeError('division by zero')
    return c < 0n ? roundDiv(-(a * b), -c) : roundDiv(a * b, c)
  },
  div(a, b) {
    if (b === 0n) throw new RangeError('division by zero')
    return b < 0n ? roundDiv(-a * SCALE, -b) : roundDiv(a * SCALE, b)
  },
  cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  sign: (a) => (a < 0n ? -1 : a > 0n ? 1 : 0),
  format(a) {
    if (a === 0n) return '0'
    const neg = a < 0n
    const digits = (neg ? -a : a).toString().padStart(LEDGER_SCALE + 1, '0')
    const int = digits.slice(0, digits.length - LEDGER_SCALE)
    let end = digits.length
    while (end > int.length && digits.charCodeAt(end - 1) === 48) end--
    const text = end > int.length ? `${int}.${digits.slice(int.length, end)}` : int
    return neg ? `-${text}` : text
  },
}

const dZero = new LedgerDecimal(0)
const dOne = new LedgerDecimal(1)
const round = (d: LedgerDecimal): LedgerDecimal => d.toDecimalPlaces(LEDGER_SCALE, LedgerDecimal.ROUND_HALF_EVEN)

export const decimalArith: Arith<LedgerDecimal> = {
  name: 'decimal',
  zero: dZero,
  one: dOne,
  parse(text) {
    let d: LedgerDecimal
    try {
      d = new LedgerDecimal(text)
    } catch {
      throw badNumber(text)
    }
    if (!d.isFinite()) throw badNumber(text)
    return d.decimalPlaces() > LEDGER_SCALE ? round(d) : d
  },
  add: (a, b) => a.plus(b),
  sub: (a, b) => a.minus(b),
  neg: (a) => a.negated(),
  mul: (a, b) => round(a.times(b)),
  mulDiv(a, b, c) {
    if (c.isZero()) throw new RangeError('division by zero')
    // Exact product, one division at precision 100 (error < 1e-79 here, far below any half-unit of the
    // 18th place the operands can produce), then the one rounding to 18 places.
    return round(a.times(b).dividedBy(c))
  },
  div(a, b) {
    if (b.isZero()) throw new RangeError('division by zero')
    return round(a.dividedBy(b))
  },
  cmp: (a, b) => a.comparedTo(b),
  sign: (a) => (a.isZero() ? 0 : a.isNegative() ? -1 : 1),
  format: (a) => (a.isZero() ? '0' : a.toFixed()),
}

export function arithmetic(name: ArithName): Arith<unknown> {
  return (name === 'decimal' ? decimalArith : fixedArith) as Arith<unknown>
}

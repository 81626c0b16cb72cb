// Decimal strings for the screen. The engine sends money and quantities as exact decimal strings; these
// helpers format them without ever going through a float: digits are grouped, padded with zeros or have
// trailing zeros trimmed, and only an explicit round (for valuations, marked as approximate) drops digits.
// Pure (no DOM), so it is tested in Node.

export type Sign = -1 | 0 | 1

interface Parts {
  negative: boolean
  int: string
  frac: string
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/

function parse(value: string): Parts | null {
  const m = DECIMAL.exec(value.trim())
  if (!m) return null
  const int = m[2]!.replace(/^0+(?=\d)/, '')
  return { negative: m[1] === '-', int, frac: m[3] ?? '' }
}

const isZero = (p: Parts) => /^0*$/.test(p.int) && /^0*$/.test(p.frac)

/**
 * A non-negative decimal moved to a multiple of `step`, exactly (integer arithmetic on the digits): 'down'
 * to the multiple at or below it, 'up' to the one at or above. ('94048.9902', '0.01', 'down') → '94048.99'.
 * Null when either is not a plain non-negative decimal, or the step is zero.
 */
export function toStep(value: string, step: string, dir: 'down' | 'up'): string | null {
  const v = parse(value)
  const s = parse(step)
  if (!v || !s || v.negative || s.negative || isZero(s)) return null
  const scale = Math.max(v.frac.length, s.frac.length)
  const units = (p: Parts) => BigInt(p.int + p.frac.padEnd(scale, '0'))
  const V = units(v)
  const S = units(s)
  let q = V / S
  if (dir === 'up' && q * S !== V) q += 1n
  // A multiple of the step has no digits past the step's own decimals: shown with those.
  const digits = (q * S).toString().padStart(scale + 1, '0')
  const int = digits.slice(0, digits.length - scale)
  const frac = digits.slice(digits.length - scale, digits.length - scale + s.frac.length)
  return frac === '' ? int : `${int}.${frac}`
}

/**
 * `value` moved by as much as `from` → `to`, exactly: value + (to − from). For a stop-limit dragged on the
 * chart (its limit keeps its distance from the trigger). Null when any is not a plain decimal.
 */
export function shiftBy(value: string, from: string, to: string): string | null {
  const parts = [parse(value), parse(from), parse(to)]
  if (parts.some((p) => p === null)) return null
  const ps = parts as Parts[]
  const scale = Math.max(...ps.map((p) => p.frac.length))
  const units = (p: Parts) => (p.negative ? -1n : 1n) * BigInt(p.int + p.frac.padEnd(scale, '0'))
  const [v, f, t] = ps.map(units) as [bigint, bigint, bigint]
  const r = v + t - f
  const digits = (r < 0n ? -r : r).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`
  return r < 0n ? `-${text}` : text
}

/**
 * (a + b) / 2 exactly — what the engine calls a mid price: the sum, taken with one more decimal digit,
 * halves without remainder. Trailing zeros trimmed. Null when either is not a plain decimal.
 */
export function midpoint(a: string, b: string): string | null {
  const pa = parse(a)
  const pb = parse(b)
  if (!pa || !pb) return null
  const scale = Math.max(pa.frac.length, pb.frac.length) + 1
  const units = (p: Parts) => (p.negative ? -1n : 1n) * BigInt(p.int + p.frac.padEnd(scale, '0'))
  const r = (units(pa) + units(pb)) / 2n
  const digits = (r < 0n ? -r : r).toString().padStart(scale + 1, '0')
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '')
  const text = `${digits.slice(0, digits.length - scale)}${frac ? `.${frac}` : ''}`
  return r < 0n ? `-${text}` : text
}

/** Thousands separators on an integer digit string: '1234567' → '1,234,567'. */
export function groupDigits(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Decimal places that matter in a step such as a tick size: '0.01' → 2, '0.010' → 2, '1' → 0, '5' → 0. */
export function decimalsOf(step: string): number {
  const p = parse(step)
  if (!p) return 0
  return p.frac.replace(/0+$/, '').length
}

/** The sign of a decimal string; '-0.00' is zero. Unparseable input counts as zero. */
export function signOf(value: string | null | undefined): Sign {
  if (value == null) return 0
  const p = parse(value)
  if (!p || isZero(p)) return 0
  return p.negative ? -1 : 1
}

export interface DecimalFormat {
  /** At least this many decimals (zeros are added); trailing zeros beyond it are trimmed. Default 0. */
  minDecimals?: number
  /** Thousands separators. Default true. */
  group?: boolean
  /** Show '+' before positive numbers. Default false. */
  plus?: boolean
}

/**
 * Formats a decimal string exactly: no digit other than a trailing zero is ever dropped.
 * `formatDecimal('3398.800', { minDecimals: 2 })` → '3,398.80'; `formatDecimal('0.5', { minDecimals: 2 })`
 * → '0.50'; `formatDecimal('0.00630369', { minDecimals: 2 })` → '0.00630369'. Input that is not a plain
 * decimal is returned unchanged (the screen shows what the engine sent rather than hiding it).
 */
export function formatDecimal(value: string, format: DecimalFormat = {}): string {
  const p = parse(value)
  if (!p) return value
  const min = Math.max(0, format.minDecimals ?? 0)
  let frac = p.frac.replace(/0+$/, '')
  if (frac.length < min) frac = frac.padEnd(min, '0')
  const int = format.group === false ? p.int : groupDigits(p.int)
  const zero = isZero(p)
  const sign = zero ? '' : p.negative ? '-' : format.plus ? '+' : ''
  return `${sign}${int}${frac ? `.${frac}` : ''}`
}

/** A price or amount at its market's step: padded to the step's decimals, extra trailing zeros trimmed. */
export function formatAtStep(value: string, step: string): string {
  return formatDecimal(value, { minDecimals: decimalsOf(step) })
}

/**
 * An average fill price: at its market's tick decimals plus two (rounded; the exact figure belongs in a
 * title), since an average of several fills is rarely on the tick and its exact quotient runs to 12
 * decimals. Without a tick (market unknown yet), 8 decimals at most.
 */
export function formatAvgPrice(value: string, tick: string | null): string {
  const tickDecimals = tick === null ? 0 : decimalsOf(tick)
  return formatDecimal(roundDecimal(value, tick === null ? 8 : tickDecimals + 2), { minDecimals: tickDecimals })
}

/** '+1.25%', '-0.04%', '0.00%' (the engine's decimals kept, at least two). */
export function formatPercent(value: string): string {
  return `${formatDecimal(value, { minDecimals: 2, plus: true })}%`
}

/** The most decimals any of these values has once trailing zeros are trimmed (for aligning a column). */
export function maxDecimals(values: readonly (string | null | undefined)[], cap = 18): number {
  let most = 0
  for (const v of values) {
    if (v == null) continue
    const p = parse(v)
    if (p) most = Math.max(most, p.frac.replace(/0+$/, '').length)
  }
  return Math.min(most, cap)
}

/**
 * Rounds half away from zero to `decimals` places, on the digit string (no float). For display of
 * valuations only, which the screen marks as approximate and shows exactly on hover.
 */
export function roundDecimal(value: string, decimals: number): string {
  const p = parse(value)
  if (!p) return value
  const frac = p.frac.padEnd(decimals + 1, '0')
  const keep = `${p.int}${frac.slice(0, decimals)}`
  const roundUp = Number(frac[decimals]) >= 5
  let digits = keep
  if (roundUp) {
    // Add one to the last kept digit, carrying leftwards.
    const chars = digits.split('')
    let i = chars.length - 1
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0'
      else {
        chars[i] = String(Number(chars[i]) + 1)
        break
      }
    }
    digits = (i < 0 ? '1' : '') + chars.join('')
  }
  const intLen = digits.length - decimals
  const int = digits.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0'
  const fracOut = digits.slice(intLen)
  const out = `${p.negative ? '-' : ''}${int}${decimals > 0 ? `.${fracOut}` : ''}`
  return out
}

/** A valuation for the screen: rounded to `decimals` and grouped ('10,000.00'); '—' when unknown. */
export function formatValue(value: string | null | undefined, decimals = 2): string {
  if (value == null) return '—'
  return formatDecimal(roundDecimal(value, decimals), { minDecimals: decimals })
}

/** Compares two decimal strings exactly: -1, 0 or 1. Unparseable input sorts as zero. */
export function compareDecimal(a: string, b: string): Sign {
  const pa = parse(a) ?? { negative: false, int: '0', frac: '' }
  const pb = parse(b) ?? { negative: false, int: '0', frac: '' }
  const sa = isZero(pa) ? 0 : pa.negative ? -1 : 1
  const sb = isZero(pb) ? 0 : pb.negative ? -1 : 1
  if (sa !== sb) return sa < sb ? -1 : 1
  if (sa === 0) return 0
  const width = Math.max(pa.frac.length, pb.frac.length)
  const ia = pa.int.replace(/^0+/, '')
  const ib = pb.int.replace(/^0+/, '')
  let magnitude: Sign = 0
  if (ia.length !== ib.length) magnitude = ia.length < ib.length ? -1 : 1
  else {
    const da = ia + pa.frac.padEnd(width, '0')
    const db = ib + pb.frac.padEnd(width, '0')
    magnitude = da === db ? 0 : da < db ? -1 : 1
  }
  return (sa < 0 ? -magnitude : magnitude) as Sign
}

/**
 * A chart's price scale and labels (lightweight-charts' custom price format): `decimals` places, grouped
 * as every other figure on screen ('95,120.00', not the library's '95120.00'). Chart values are plain
 * numbers already (house rule 7), so toFixed is the exact text of what is drawn.
 */
export function chartPriceFormat(decimals: number, minMove: number): { type: 'custom'; minMove: number; formatter: (price: number) => string } {
  return { type: 'custom', minMove, formatter: (price) => formatDecimal(price.toFixed(decimals), { minDecimals: decimals }) }
}

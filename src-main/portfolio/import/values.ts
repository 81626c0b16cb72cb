import Decimal from 'decimal.js'
import { CsvImportError } from './errors'

// Cells to exact values. Numbers never pass through a float: a cell is checked against a pattern, then
// normalised by decimal.js (which is exact) so that "1.50" and "1.5" are the same amount.

export interface Where {
  line: number
  column: string
}

export interface DecimalOptions {
  /** Allow "1,234.56" (only where the format writes thousands separators). */
  thousands?: boolean
  /** Strip a leading currency sign ($, €, £), as Coinbase's newer reports write prices. */
  currencySign?: boolean
  /** 'positive' (amounts, prices), 'non-negative' (fees), 'signed' (the caller checks the sign). */
  sign?: 'positive' | 'non-negative' | 'signed'
}

const PLAIN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
// A group never starts with "0,": "0,125" is a decimal comma (0.125 in a German spreadsheet), not 125.
const GROUPED = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?$/

export function decimalCell(raw: string, where: Where, options: DecimalOptions = {}): string {
  const sign = options.sign ?? 'positive'
  let text = raw.trim()
  if (text === '') throw new CsvImportError('a number is required here, the cell is empty', where.line, where.column, raw)
  if (options.currencySign) text = text.replace(/^([+-]?)[$€£]/, '$1')
  if (options.thousands && GROUPED.test(text)) text = text.replace(/,/g, '')
  if (!PLAIN.test(text)) throw new CsvImportError(`"${raw}" is not a number`, where.line, where.column, raw)
  const value = new Decimal(text)
  if (sign !== 'signed' && value.isNegative() && !value.isZero())
    throw new CsvImportError(`"${raw}" is negative`, where.line, where.column, raw)
  if (sign === 'positive' && value.isZero()) throw new CsvImportError(`"${raw}" must be above zero`, where.line, where.column, raw)
  return value.toFixed()
}

/**
 * Checks a row's stated total against price × amount, allowing only for each value's own rounding or
 * truncation (one unit in its last written digit: Binance truncates totals). Catches decimal commas read as thousands separators ("1,500" for 1.5),
 * which would otherwise import an amount a thousand times too big.
 */
export function checkTotal(price: string, amount: string, total: string, where: Where): void {
  const p = new Decimal(price)
  const a = new Decimal(amount)
  const t = new Decimal(total)
  const product = p.times(a)
  const unit = (d: Decimal) => new Decimal(10).pow(-d.decimalPlaces())
  const slack = unit(t).plus(unit(p).times(a)).plus(unit(a).times(p))
  if (product.minus(t).abs().greaterThan(slack))
    throw new CsvImportError(
      `the total ${t.toFixed()} does not match price ${p.toFixed()} × amount ${a.toFixed()} = ${product.toFixed()} (is a decimal comma read as a thousands separator?)`,
      where.line, where.column, total,
    )
}

/**
 * One unit in the last digit written in a cell whose decimal point is '.' ("$1,200.00" → 0.01, "1200" → 1):
 * what the cell's own rounding may be off by. Read from the text, since its parsed value drops trailing zeros.
 */
export function writtenUnit(raw: string): Decimal {
  const places = /\.(\d+)\D*$/.exec(raw.trim())?.[1]?.length ?? 0
  return new Decimal(10).pow(-places)
}

/** An optional fee cell: '' → null, zero → null, else a non-negative decimal. */
export function feeCell(raw: string, where: Where, options: Omit<DecimalOptions, 'sign'> = {}): string | null {
  if (raw.trim() === '') return null
  const value = decimalCell(raw, where, { ...options, sign: 'non-negative' })
  return new Decimal(value).isZero() ? null : value
}

// "2024-01-15 10:23:45", "2024-01-15T10:23:45.123Z", "2024-01-15 10:23:45 UTC", "2024-01-15T10:23:45+01:00"
const DATE_TIME =
  /^(\d{4}|\d{2})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i

export interface DateOptions {
  /** What a time without a zone means: 'utc' for exports whose header says UTC; 'reject' where a zone is required. */
  noZone: 'utc' | 'reject'
  /** With noZone 'utc': the offset from UTC (ms) that a time without a zone is in, when the header names one. */
  noZoneOffsetMs?: number
  /** Accept "yy-mm-dd" (some Binance exports) as 20yy. */
  twoDigitYear?: boolean
  /** Accept integer epoch milliseconds. */
  epochMs?: boolean
  /** What the user is told the column holds, e.g. "YYYY-MM-DD HH:MM:SS (UTC)". */
  expected: string
  /** Take times after now (a query's own date, not an export's row); else later than a day ahead is refused. */
  allowFuture?: boolean
}

/** An export holds what happened: a row more than this ahead of the clock (zones, skew) is a misread date. */
const FUTURE_GRACE_MS = 86_400_000

export function dateCell(raw: string, where: Where, options: DateOptions): number {
  const text = raw.trim()
  const bad = (why = `is not a date in a known format (expected ${options.expected})`) =>
    new CsvImportError(`"${raw}" ${why}`, where.line, where.column, raw)
  if (options.epochMs && /^\d+$/.test(text)) {
    const ms = Number(text)
    // 10-digit values are seconds; as milliseconds they would land in January 1970.
    if (ms < 1e11) throw bad('looks like epoch seconds; this column takes epoch milliseconds')
    // 16- and 19-digit values are micro- and nanoseconds; as milliseconds they land tens of millennia ahead.
    // Named so only by their length and a plausible time (not 1970): a 13-digit time ahead is in the future.
    const latest = Date.now() + FUTURE_GRACE_MS
    if (!options.allowFuture && ms > latest) {
      for (const [unit, per, digits] of [['nanoseconds', 1e6, 19], ['microseconds', 1e3, 16]] as const) {
        const at = Math.floor(ms / per)
        if (text.length >= digits && at >= 1e11 && at <= latest) throw bad(`looks like epoch ${unit} (${new Date(at).toISOString()}); this column takes epoch milliseconds`)
      }
    }
    if (!Number.isSafeInteger(ms) || ms > 8.64e15) throw bad()
    if (!options.allowFuture && ms > latest) throw bad(future(ms))
    return ms
  }
  const m = DATE_TIME.exec(text)
  if (!m) throw bad()
  const [, y, mo, d, h, mi, s, frac, zone] = m
  if (y!.length === 2 && !options.twoDigitYear) throw bad()
  if (!zone && options.noZone === 'reject') throw bad('has no time zone (add Z or an offset like +01:00)')
  const year = y!.length === 2 ? 2000 + Number(y) : Number(y)
  const parts = [year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)] as const
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  const utc = Date.UTC(...parts, ms)
  const check = new Date(utc)
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] ||
    check.getUTCDate() !== parts[2] ||
    check.getUTCHours() !== parts[3] ||
    check.getUTCMinutes() !== parts[4] ||
    check.getUTCSeconds() !== parts[5]
  )
    throw bad('is not a valid date')
  const at = utc - (zone ? offsetMs(zone) : (options.noZoneOffsetMs ?? 0))
  if (!options.allowFuture && at > Date.now() + FUTURE_GRACE_MS) throw bad(future(at))
  return at
}

const future = (at: number) => `is in the future (${new Date(at).toISOString()}); an export holds what already happened — is the year or the time zone wrong?`

function offsetMs(zone: string | undefined): number {
  if (!zone || /^(Z|UTC)$/i.test(zone)) return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000
}

/** buy/sell in any case; anything else is an error naming the cell. */
export function sideCell(raw: string, where: Where): 'buy' | 'sell' {
  const side = raw.trim().toLowerCase()
  if (side === 'buy' || side === 'sell') return side
  throw new CsvImportError(`"${raw}" is not a side (expected buy or sell)`, where.line, where.column, raw)
}

/** An asset code as the ledger keeps it: upper case, no spaces. */
export function assetCell(raw: string, where: Where): string {
  const asset = raw.trim().toUpperCase()
  if (!/^[A-Z0-9][A-Z0-9._-]*$/.test(asset))
    throw new CsvImportError(raw.trim() === '' ? 'an asset is required here' : `"${raw}" is not an asset code`, where.line, where.column, raw)
  return asset
}

/**
 * A signed balance change (a ledger or statement row) read as a transfer of `kind`: its size, or
 * 'taken back' for income that left (a reward reversed, which the caller skips). The sign must fit the
 * kind — a withdrawal leaves (negative), a deposit or income arrives (positive) — or the file is rejected
 * naming the row's type.
 */
export function transferAmount(raw: string, kind: 'deposit' | 'withdrawal' | 'income', rowType: string, where: Where): string | 'taken back' {
  const change = new Decimal(decimalCell(raw, where, { sign: 'signed' }))
  const outgoing = kind === 'withdrawal'
  if (!change.isZero() && change.isNegative() === outgoing) return change.abs().toFixed()
  if (kind === 'income' && change.isNegative()) return 'taken back'
  const want = outgoing ? 'negative (money leaving)' : 'positive (money arriving)'
  throw new CsvImportError(`"${raw}" should be ${want} on a ${rowType} row`, where.line, where.column, raw)
}

import Decimal from 'decimal.js'
import type { DecimalString } from '../port'
import { VenueError } from '../port'

// How numbers leave ccxt exactly.
//
// ccxt parses every exchange reply with safeString() and string arithmetic (Precise), and only at the
// very end turns each value into a JS number via `exchange.number` (Number by default; ccxt allows
// String). A float is exact for what exchanges send as long as the decimal has at most 15 significant
// digits, but not beyond (21000000.00000001 has 16) and never for sums done in floats.
//
// So for account data — balances, orders, fills and tickers — CcxtVenue re-runs ccxt's own parser on the
// raw reply (`info`) with `exchange.number = String` (see withStringNumbers): the values come out as the
// exchange's own decimal strings, or ccxt's exact string arithmetic on them. The swap is synchronous, so
// no other ccxt call can observe it. Where ccxt keeps no raw reply (order books, candles, market limits),
// the float is turned back into the shortest decimal that round-trips — the exchange's own text whenever
// it had ≤ 15 significant digits, which holds for every price level and candle seen on these exchanges.
// Either way the result is validated as a finite decimal and written without exponent ("0.00000001").

/** A finite decimal string from a ccxt value (string or number); null for absent values. */
export function toDecimalOrNull(value: unknown, what: string): DecimalString | null {
  if (value === undefined || value === null || value === '') return null
  return toDecimal(value, what)
}

export function toDecimal(value: unknown, what: string): DecimalString {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badNumber(what, String(value))
    // String(value) is the shortest decimal that reads back as the same float. Without an exponent it is
    // already what Decimal's toFixed() writes, and order books pass every level through here per message.
    const text = String(value)
    return text.includes('e') ? new Decimal(text).toFixed() : text
  }
  if (typeof value === 'string') {
    const text = value.trim()
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw badNumber(what, text.slice(0, 40))
    return new Decimal(text).toFixed()
  }
  throw badNumber(what, typeof value)
}

function badNumber(what: string, got: string): VenueError {
  return new VenueError('bad-reply', `The exchange sent ${got} for ${what}, which is not a number`)
}

/** Anything with ccxt's `number` switch. */
interface NumberSwitch {
  number: unknown
}

/** Runs a synchronous ccxt parser with numbers kept as strings. */
export function withStringNumbers<T>(exchange: NumberSwitch, parse: () => T): T {
  const previous = exchange.number
  exchange.number = String
  try {
    return parse()
  } finally {
    exchange.number = previous
  }
}

export function sumDecimals(values: DecimalString[]): DecimalString {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toFixed()
}

export function isZero(value: DecimalString): boolean {
  return new Decimal(value).isZero()
}

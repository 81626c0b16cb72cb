import { LedgerDecimal } from './arith'

// Canonical decimal strings for the ledger: plain notation, no leading zeros, no trailing fractional
// zeros, no "-0". Two spellings of one number ("1.50", "01.5", "1.5e0") store and hash alike. The common
// plain form is handled with string operations (this runs once per imported row); anything else goes
// through decimal.js.

const PLAIN = /^-?\d+(\.\d+)?$/

/** The canonical spelling of a decimal, or null when `text` is not a finite decimal number. */
export function canonicalDecimal(text: string): string | null {
  if (typeof text !== 'string') return null
  if (PLAIN.test(text)) return trimPlain(text)
  const m = /^[-+]?(\d+\.?\d*|\.\d+)(e([-+]?\d+))?$/i.exec(text.trim())
  // An exponent this large is no amount of money (and would spell out a million digits).
  if (m === null || (m[3] !== undefined && Math.abs(Number(m[3])) > 100)) return null
  const d = new LedgerDecimal(text.trim())
  if (!d.isFinite()) return null
  return d.isZero() ? '0' : d.toFixed()
}

function trimPlain(text: string): string {
  let neg = false
  let s = text
  if (s.charCodeAt(0) === 45 /* - */) {
    neg = true
    s = s.slice(1)
  }
  let dot = s.indexOf('.')
  if (dot !== -1) {
    let end = s.length
    while (s.charCodeAt(end - 1) === 48 /* 0 */) end--
    if (end === dot + 1) end = dot
    s = s.slice(0, end)
    if (end === dot) dot = -1
  }
  let start = 0
  const intEnd = dot === -1 ? s.length : dot
  while (start < intEnd - 1 && s.charCodeAt(start) === 48) start++
  if (start > 0) s = s.slice(start)
  if (s === '0') return '0'
  return neg ? `-${s}` : s
}

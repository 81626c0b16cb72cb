import Decimal from 'decimal.js'

// Idempotency keys of the order ticket: a key names one order (or conditional order) the ticket means to
// place, so a resend after a lost answer gets the first answer back instead of placing it twice.

/** How long the engine remembers a key: a resend comes seconds or minutes after the drop, never days. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000

export const KEY_REUSED = 'this idempotency key was already used for a different order'

const DECIMAL = /^-?\d+(\.\d+)?$/

/**
 * One text for one order as asked for: object keys sorted, decimal strings written one way ("0.0010" and
 * "0.001" are the same amount), absent and undefined fields alike.
 */
export function fingerprintOf(value: unknown): string {
  return JSON.stringify(canonical(value))
}

function canonical(value: unknown): unknown {
  if (typeof value === 'string') return DECIMAL.test(value) ? new Decimal(value).toFixed() : value
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = canonical(v)
    }
    return out
  }
  return value
}

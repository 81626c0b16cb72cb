import type { Exchange } from 'ccxt'
import { binanceWaitFromReply } from './binance-ban'

// An exchange that rate-limits says how long to wait in its reply's Retry-After header (Binance: seconds,
// and an IP ban (418) for a client that keeps sending meanwhile). ccxt throws without it, so the error
// ccxt builds from that very reply gets the wait attached here, read from the headers ccxt was handed.

const RETRY_AFTER = Symbol('retryAfterMs')
const WAIT_SAID = Symbol('waitSaid')

type Handlers = {
  id: string
  handleErrors(...args: unknown[]): unknown
  handleHttpStatusCode(...args: unknown[]): unknown
  last_response_headers?: Record<string, unknown>
}

export function installRetryAfter(ex: Exchange): void {
  const h = ex as unknown as Handlers
  const handleErrors = h.handleErrors.bind(ex)
  const handleHttpStatusCode = h.handleHttpStatusCode.bind(ex)
  // handleErrors(code, reason, url, method, responseHeaders, body, ...); handleHttpStatusCode(code, reason, url,
  // method, body) has no headers, but runs right after ccxt stored them as last_response_headers.
  h.handleErrors = (...args: unknown[]) => tagged(h.id, () => handleErrors(...args), args[0], args[4], args[5])
  h.handleHttpStatusCode = (...args: unknown[]) => tagged(h.id, () => handleHttpStatusCode(...args), args[0], h.last_response_headers, args[4])
}

/** The wait the exchange asked for with the reply this error came from, in ms; undefined if it did not say. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined
  const ms = (err as Record<symbol, unknown>)[RETRY_AFTER]
  return typeof ms === 'number' ? ms : undefined
}

/**
 * How that wait was read when not from Retry-After (Binance's reply itself: binance-ban.ts), in words for the
 * hold's message; undefined for a Retry-After.
 */
export function waitSaidOf(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined
  const said = (err as Record<symbol, unknown>)[WAIT_SAID]
  return typeof said === 'string' ? said : undefined
}

function tagged(exchange: string, handle: () => unknown, status: unknown, headers: unknown, body: unknown): unknown {
  try {
    return handle()
  } catch (err) {
    if (!err || typeof err !== 'object') throw err
    const tag = err as Record<symbol, unknown>
    const ms = parseRetryAfter(headerOf(headers, 'retry-after'))
    if (ms !== undefined) tag[RETRY_AFTER] = ms
    else if (exchange === 'binance' && typeof status === 'number' && tag[RETRY_AFTER] === undefined) {
      // No Retry-After: Binance's reply says the time itself (an IP ban's end, the weight's window).
      const date = Date.parse(headerOf(headers, 'date') ?? '')
      const derived = binanceWaitFromReply(status, body, Number.isNaN(date) ? undefined : date, Date.now())
      if (derived) {
        tag[RETRY_AFTER] = derived.ms
        tag[WAIT_SAID] = derived.said
      }
    }
    throw err
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return typeof value === 'string' ? value : undefined
  return undefined
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

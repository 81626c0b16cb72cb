import type { Exchange } from 'ccxt'

// An exchange that rate-limits says how long to wait in its reply's Retry-After header (Binance: seconds,
// and an IP ban (418) for a client that keeps sending meanwhile). ccxt throws without it, so the error
// ccxt builds from that very reply gets the wait attached here, read from the headers ccxt was handed.

const RETRY_AFTER = Symbol('retryAfterMs')

type Handlers = {
  handleErrors(...args: unknown[]): unknown
  handleHttpStatusCode(...args: unknown[]): unknown
  last_response_headers?: Record<string, unknown>
}

export function installRetryAfter(ex: Exchange): void {
  const h = ex as unknown as Handlers
  const handleErrors = h.handleErrors.bind(ex)
  const handleHttpStatusCode = h.handleHttpStatusCode.bind(ex)
  // handleErrors(code, reason, url, method, responseHeaders, ...); handleHttpStatusCode has no headers,
  // but runs right after ccxt stored them as last_response_headers.
  h.handleErrors = (...args: unknown[]) => tagged(() => handleErrors(...args), args[4])
  h.handleHttpStatusCode = (...args: unknown[]) => tagged(() => handleHttpStatusCode(...args), h.last_response_headers)
}

/** The wait the exchange asked for with the reply this error came from, in ms; undefined if it did not say. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined
  const ms = (err as Record<symbol, unknown>)[RETRY_AFTER]
  return typeof ms === 'number' ? ms : undefined
}

function tagged(handle: () => unknown, headers: unknown): unknown {
  try {
    return handle()
  } catch (err) {
    const ms = parseRetryAfter(headerOf(headers, 'retry-after'))
    if (ms !== undefined && err && typeof err === 'object') (err as Record<symbol, unknown>)[RETRY_AFTER] = ms
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

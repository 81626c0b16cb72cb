// Delivers a fired alert to a webhook: one JSON POST, retried on a network error, 429 or 5xx (the receiver
// may be restarting; after its Retry-After when it gives one, up to a minute), never on another 4xx (it said
// no), and never after a timeout: a slow receiver may have acted on it already (a bot placing an order), and
// sending it again could make it act twice. Every attempt carries the same Idempotency-Key (a random UUID
// stored with the alert event) for receivers that deduplicate. The answer is not read beyond its status and
// Retry-After. Nothing secret is ever in the message: the alert and the price only.

export interface WebhookResult {
  delivered: boolean
  /** "HTTP 200", "HTTP 500 after 3 attempts", "timed out after 5 s", "connect ECONNREFUSED …". */
  detail: string
  attempts: number
}

/** The receiver's answer: its status and, when it sent one, its Retry-After header. */
export interface HttpAnswer {
  status: number
  retryAfter: string | null
  /** A redirect's Location header (redirects are not followed). */
  location?: string | null
}

/** POSTs a JSON body (with its idempotency key, when given); resolves with the answer (or just its status), rejects on a network error or abort. */
export type HttpPost = (url: string, body: string, signal: AbortSignal, key?: string) => Promise<number | HttpAnswer>

/** The longest Retry-After waited for; a receiver asking for more is not tried again. */
const RETRY_AFTER_CAP_MS = 60_000

export interface WebhookOptions {
  post?: HttpPost
  attempts?: number
  /** Waits before the 2nd, 3rd … attempt. */
  backoffMs?: readonly number[]
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
  /** For a Retry-After given as an HTTP date. */
  now?: () => number
  /** Aborted when the app closes: a wait before another attempt ends there, and no attempt follows. */
  closing?: AbortSignal
}

export const CLOSING_DETAIL = 'not tried again: the app was closing'

/** `sleep(ms)`, or less when `closing` aborts first; true when it did. */
async function waitUnlessClosing(sleep: (ms: number) => Promise<void>, ms: number, closing: AbortSignal | undefined): Promise<boolean> {
  if (closing === undefined) {
    await sleep(ms)
    return false
  }
  if (closing.aborted) return true
  let onAbort: (() => void) | undefined
  const aborted = new Promise<void>((r) => closing.addEventListener('abort', (onAbort = () => r()), { once: true }))
  try {
    await Promise.race([sleep(ms), aborted])
  } finally {
    closing.removeEventListener('abort', onAbort!)
  }
  return closing.aborted
}

export const fetchPost: HttpPost = async (url, body, signal, key) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'CryptoOrchestrator alerts', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body,
    signal,
    redirect: 'manual',
  })
  // Let the connection go back to the pool without reading what the receiver sent.
  await res.body?.cancel().catch(() => undefined)
  return { status: res.status, retryAfter: res.headers.get('retry-after'), location: res.headers.get('location') }
}

/**
 * A webhook URL as views show it: scheme://host/… — its path and query often hold the token that is the
 * receiver's password (Slack, Discord), so they never leave the engine. Whole when nothing follows the host.
 */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url)
    const hidden = (u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== ''
    return `${u.protocol}//${u.host}/${hidden ? '…' : ''}`
  } catch {
    return '(webhook)'
  }
}

/** Retry-After (RFC 9110): delay-seconds or an HTTP date, in ms from now (not below 0); null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

const retryable = (status: number) => status === 429 || status >= 500

export async function deliverWebhook(url: string, payload: unknown, options: WebhookOptions = {}, key?: string): Promise<WebhookResult> {
  const post = options.post ?? fetchPost
  const attempts = options.attempts ?? 3
  const backoff = options.backoffMs ?? [1000, 4000]
  const timeoutMs = options.timeoutMs ?? 5000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const body = JSON.stringify(payload)
  const now = options.now ?? Date.now
  let detail = ''
  // What the receiver asked to wait before the next attempt (Retry-After), when it did.
  let asked: number | null = null
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1 && (await waitUnlessClosing(sleep, asked ?? backoff[Math.min(attempt - 2, backoff.length - 1)] ?? 1000, options.closing))) {
      return { delivered: false, detail: `${detail}; ${CLOSING_DETAIL}`, attempts: attempt - 1 }
    }
    asked = null
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), timeoutMs)
    try {
      const answer = await post(url, body, abort.signal, key)
      const { status, retryAfter, location } = typeof answer === 'number' ? { status: answer, retryAfter: null, location: null } : answer
      if (status >= 200 && status < 300) return { delivered: true, detail: `HTTP ${status}`, attempts: attempt }
      // Not followed: the alert would go somewhere the user did not give (and a POST may turn into a GET).
      if (status >= 300 && status < 400) return { delivered: false, detail: redirectDetail(status, url, location ?? null), attempts: attempt }
      detail = `HTTP ${status}`
      if (!retryable(status)) return { delivered: false, detail, attempts: attempt }
      asked = retryAfterMs(retryAfter, now())
      if (asked !== null && asked > RETRY_AFTER_CAP_MS) {
        return { delivered: false, detail: `${detail} (asked to wait ${Math.ceil(asked / 1000)} s)`, attempts: attempt }
      }
    } catch (err) {
      if (abort.signal.aborted) return { delivered: false, detail: `no answer within ${timeoutMs / 1000} s (it may have arrived: not sent again)`, attempts: attempt }
      detail = causeOf(err)
    } finally {
      clearTimeout(timer)
    }
  }
  return { delivered: false, detail: attempts > 1 ? `${detail} after ${attempts} attempts` : detail, attempts }
}

/** "HTTP 307: redirect to hooks.example.com not followed; give the final URL" (the host only: a path may hold a token). */
function redirectDetail(status: number, url: string, location: string | null): string {
  let host: string | null = null
  try {
    if (location) host = new URL(location, url).host
  } catch {
    host = null
  }
  return `HTTP ${status}: redirect${host ? ` to ${host}` : ''} not followed; give the final URL`
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND …). */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as Error & { cause?: unknown }).cause
  return cause instanceof Error && cause.message ? cause.message : err.message
}

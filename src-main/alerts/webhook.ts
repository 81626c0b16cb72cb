// Delivers a fired alert to a webhook: one JSON POST, retried on a network error, 429 or 5xx (the receiver
// may be restarting), never on another 4xx (it said no), and never after a timeout: a slow receiver may
// have acted on it already (a bot placing an order), and sending it again could make it act twice. Every
// attempt carries the same Idempotency-Key (a random UUID stored with the alert event) for receivers that
// deduplicate. The answer's body is not read beyond its status. Nothing secret is ever in the message: the
// alert and the price only.

export interface WebhookResult {
  delivered: boolean
  /** "HTTP 200", "HTTP 500 after 3 attempts", "timed out after 5 s", "connect ECONNREFUSED …". */
  detail: string
  attempts: number
}

/** POSTs a JSON body (with its idempotency key, when given); resolves with the HTTP status, rejects on a network error or abort. */
export type HttpPost = (url: string, body: string, signal: AbortSignal, key?: string) => Promise<number>

export interface WebhookOptions {
  post?: HttpPost
  attempts?: number
  /** Waits before the 2nd, 3rd … attempt. */
  backoffMs?: readonly number[]
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
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
  return res.status
}

const retryable = (status: number) => status === 429 || status >= 500

export async function deliverWebhook(url: string, payload: unknown, options: WebhookOptions = {}, key?: string): Promise<WebhookResult> {
  const post = options.post ?? fetchPost
  const attempts = options.attempts ?? 3
  const backoff = options.backoffMs ?? [1000, 4000]
  const timeoutMs = options.timeoutMs ?? 5000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const body = JSON.stringify(payload)
  let detail = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoff[Math.min(attempt - 2, backoff.length - 1)] ?? 1000)
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), timeoutMs)
    try {
      const status = await post(url, body, abort.signal, key)
      if (status >= 200 && status < 300) return { delivered: true, detail: `HTTP ${status}`, attempts: attempt }
      detail = `HTTP ${status}`
      if (!retryable(status)) return { delivered: false, detail, attempts: attempt }
    } catch (err) {
      if (abort.signal.aborted) return { delivered: false, detail: `no answer within ${timeoutMs / 1000} s (it may have arrived: not sent again)`, attempts: attempt }
      detail = causeOf(err)
    } finally {
      clearTimeout(timer)
    }
  }
  return { delivered: false, detail: attempts > 1 ? `${detail} after ${attempts} attempts` : detail, attempts }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND …). */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as Error & { cause?: unknown }).cause
  return cause instanceof Error && cause.message ? cause.message : err.message
}

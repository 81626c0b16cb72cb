// Fault knobs and the request log. The REST layer and the stream layer consult this object; tests drive it.

export interface RequestLogEntry {
  time: number
  method: string
  path: string
  /** Decoded query + body parameters (signature included). */
  params: Record<string, string>
  apiKey: string | undefined
  status: number
  /** Binance error code when the reply was an error body. */
  code?: number
  /** The fault that answered instead of the handler, if any. */
  injected?: 'respondWith' | 'rejectNextOrder'
}

export interface WsLogEntry {
  time: number
  connection: number
  path: string
  event: 'open' | 'message' | 'close'
  /** Client → server message (parsed JSON when possible). */
  data?: unknown
}

export interface InjectedResponse {
  status: number
  /** JSON value, or a string sent as text/html. Defaults follow what Binance (or its CDN) sends. */
  body: unknown
  headers: Record<string, string>
}

interface PendingResponse {
  status: number
  remaining: number
  path: string | RegExp | undefined
  body: unknown
}

export interface OrderRejection {
  code: number
  msg: string
  status: number
}

export class Faults {
  readonly requests: RequestLogEntry[] = []
  readonly wsMessages: WsLogEntry[] = []
  restDelayMs = 0
  wsDelayMs = 0

  private readonly responses: PendingResponse[] = []
  private readonly skips = new Map<string, number>()
  private readonly orderRejections: OrderRejection[] = []
  private dropHandler: () => void = () => {}

  constructor(private readonly symbolId: (symbol: string) => string) {}

  /** Terminates every WebSocket connection (market streams, user data streams, WebSocket API). */
  dropSockets(): void {
    this.dropHandler()
  }

  /** The next `n` diff-depth messages for `symbol` ("BTC/USDT" or "BTCUSDT") are not sent to anyone. */
  skipSequence(symbol: string, n = 1): void {
    const id = this.symbolId(symbol)
    this.skips.set(id, (this.skips.get(id) ?? 0) + n)
  }

  /**
   * The next `count` REST requests (optionally only those whose path matches) get `status` instead of their
   * answer. Default bodies: 429 → -1003 with Retry-After, 418 → -1003 IP ban, 500 → -1001 JSON, other 5xx →
   * an HTML gateway page (what a CDN in front of Binance sends).
   */
  respondWith(status: number, count = 1, options: { path?: string | RegExp; body?: unknown } = {}): void {
    this.responses.push({ status, remaining: count, path: options.path, body: options.body })
  }

  /** Delays REST replies and/or WebSocket sends (order is preserved). */
  delay(ms: number, where: 'rest' | 'ws' | 'both' = 'both'): void {
    if (where !== 'ws') this.restDelayMs = ms
    if (where !== 'rest') this.wsDelayMs = ms
  }

  /** The next POST /api/v3/order is rejected with this code and message (default -2010, HTTP 400). */
  rejectNextOrder(code = -2010, msg = 'Order rejected.', status = 400): void {
    this.orderRejections.push({ code, msg, status })
  }

  clearLog(): void {
    this.requests.length = 0
    this.wsMessages.length = 0
  }

  /** Clears every pending fault (not the log). */
  reset(): void {
    this.responses.length = 0
    this.skips.clear()
    this.orderRejections.length = 0
    this.restDelayMs = 0
    this.wsDelayMs = 0
  }

  // ---- used by the server -------------------------------------------------------------------------------

  onDrop(handler: () => void): void {
    this.dropHandler = handler
  }

  takeResponse(path: string): InjectedResponse | undefined {
    const i = this.responses.findIndex((r) => r.path === undefined || (typeof r.path === 'string' ? r.path === path : r.path.test(path)))
    if (i < 0) return undefined
    const r = this.responses[i]
    if (r === undefined) return undefined
    r.remaining -= 1
    if (r.remaining <= 0) this.responses.splice(i, 1)
    return { status: r.status, body: r.body ?? defaultBody(r.status), headers: defaultHeaders(r.status) }
  }

  takeSkip(symbolId: string): boolean {
    const n = this.skips.get(symbolId) ?? 0
    if (n <= 0) return false
    if (n === 1) this.skips.delete(symbolId)
    else this.skips.set(symbolId, n - 1)
    return true
  }

  takeOrderRejection(): OrderRejection | undefined {
    return this.orderRejections.shift()
  }
}

function defaultBody(status: number): unknown {
  if (status === 429) {
    return {
      code: -1003,
      msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    }
  }
  if (status === 418) {
    return { code: -1003, msg: `Way too much request weight used; IP banned until ${Date.now() + 120_000}. Please use WebSocket Streams for live updates to avoid bans.` }
  }
  if (status === 500) return { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }
  if (status >= 500) {
    return `<html>\r\n<head><title>${status} ${statusText(status)}</title></head>\r\n<body>\r\n<center><h1>${status} ${statusText(status)}</h1></center>\r\n</body>\r\n</html>\r\n`
  }
  return { code: -1000, msg: 'An unknown error occurred while processing the request.' }
}

function defaultHeaders(status: number): Record<string, string> {
  return status === 429 || status === 418 ? { 'Retry-After': '60' } : {}
}

function statusText(status: number): string {
  return { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Error'
}

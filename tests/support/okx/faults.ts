// Fault knobs and the request / WebSocket logs. The REST layer and the stream layer consult this object;
// tests drive it.

export interface RequestLogEntry {
  time: number
  method: string
  /** Path without the query. */
  path: string
  /** Query parameters (GET) or the JSON body (POST). */
  params: unknown
  apiKey: string | undefined
  status: number
  /** OKX code of the reply ("0" on success; for a failed order the item's sCode). */
  code?: string
  /** The fault that answered instead of the handler, if any. */
  injected?: 'respondWith' | 'rejectNextOrder'
}

export interface WsLogEntry {
  time: number
  connection: number
  path: string
  event: 'open' | 'message' | 'close'
  /** Client → server message (parsed JSON when possible, else the text, e.g. "ping"). */
  data?: unknown
}

export interface InjectedResponse {
  status: number
  /** JSON value, or a string sent as text/html. */
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
  sCode: string
  sMsg: string
}

export class Faults {
  readonly requests: RequestLogEntry[] = []
  readonly wsMessages: WsLogEntry[] = []
  restDelayMs = 0
  wsDelayMs = 0

  private readonly responses: PendingResponse[] = []
  private readonly skips = new Map<string, number>()
  private readonly corruptions = new Map<string, number>()
  private readonly orderRejections: OrderRejection[] = []
  private dropHandler: () => void = () => {}

  constructor(private readonly instId: (symbolOrInstId: string) => string) {}

  /** Terminates every WebSocket connection (public, business and private). */
  dropSockets(): void {
    this.dropHandler()
  }

  /** The next `n` `books` updates for the market ("BTC/USDT" or "BTC-USDT") are sent to no one (prevSeqId gap). */
  skipSequence(symbol: string, n = 1): void {
    const id = this.instId(symbol)
    this.skips.set(id, (this.skips.get(id) ?? 0) + n)
  }

  /** The next `n` `books` updates for the market carry a wrong checksum (the data itself stays right). */
  corruptChecksum(symbol: string, n = 1): void {
    const id = this.instId(symbol)
    this.corruptions.set(id, (this.corruptions.get(id) ?? 0) + n)
  }

  /**
   * The next `count` REST requests (optionally only those whose path matches) get `status` instead of their
   * answer. Default bodies: 429 → {"msg":"Too Many Requests","code":"50011"}, 500 → 50026 "System error",
   * 503 → 50001 "Service temporarily unavailable", other 5xx → an HTML gateway page (what a CDN sends).
   */
  respondWith(status: number, count = 1, options: { path?: string | RegExp; body?: unknown } = {}): void {
    this.responses.push({ status, remaining: count, path: options.path, body: options.body })
  }

  /** Delays REST replies and/or WebSocket sends (order is preserved). */
  delay(ms: number, where: 'rest' | 'ws' | 'both' = 'both'): void {
    if (where !== 'ws') this.restDelayMs = ms
    if (where !== 'rest') this.wsDelayMs = ms
  }

  /**
   * The next order placement (POST /api/v5/trade/order or batch-orders) fails as OKX fails one: HTTP 200,
   * {"code":"1","msg":"All operations failed","data":[{"sCode":…,"sMsg":…}]}. Nothing reaches the engine.
   */
  rejectNextOrder(sCode = '51008', sMsg = 'Order failed. Insufficient USDT balance in account.'): void {
    this.orderRejections.push({ sCode, sMsg })
  }

  clearLog(): void {
    this.requests.length = 0
    this.wsMessages.length = 0
  }

  /** Clears every pending fault (not the log). */
  reset(): void {
    this.responses.length = 0
    this.skips.clear()
    this.corruptions.clear()
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
    const r = this.responses[i]
    if (r === undefined) return undefined
    r.remaining -= 1
    if (r.remaining <= 0) this.responses.splice(i, 1)
    return { status: r.status, body: r.body ?? defaultBody(r.status), headers: r.status === 429 ? { 'Retry-After': '1' } : {} }
  }

  takeSkip(instId: string): boolean {
    return take(this.skips, instId)
  }

  takeCorruption(instId: string): boolean {
    return take(this.corruptions, instId)
  }

  takeOrderRejection(): OrderRejection | undefined {
    return this.orderRejections.shift()
  }
}

function take(counts: Map<string, number>, key: string): boolean {
  const n = counts.get(key) ?? 0
  if (n <= 0) return false
  if (n === 1) counts.delete(key)
  else counts.set(key, n - 1)
  return true
}

function defaultBody(status: number): unknown {
  if (status === 429) return { msg: 'Too Many Requests', code: '50011' }
  if (status === 500) return { msg: 'System error. Try again later', code: '50026' }
  if (status === 503) return { msg: 'Service temporarily unavailable. Try again later', code: '50001' }
  if (status >= 500) {
    const text = { 502: 'Bad Gateway', 504: 'Gateway Time-out' }[status] ?? 'Error'
    return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`
  }
  return { msg: 'Operation failed.', code: '1' }
}

import type { WsLogEntry } from './logs'

// The exchange-neutral core of a server's fault knobs: the request and WebSocket logs, injected REST
// responses (respondWith counters), REST / WebSocket delays and dropping every socket. Each exchange's
// faults.ts extends it with its own knobs and its default error bodies.

export interface InjectedResponse {
  status: number
  /** JSON value, or a string sent as text/html. */
  body: unknown
  headers: Record<string, string>
}

/** What respondWith sends when the test gives no body: the exchange's body and headers for a status. */
export interface ResponseDefaults {
  body(status: number): unknown
  headers(status: number): Record<string, string>
}

interface PendingResponse {
  status: number
  remaining: number
  path: string | RegExp | undefined
  body: unknown
  headers: Record<string, string> | undefined
}

export class FaultKnobs<Entry> {
  readonly requests: Entry[] = []
  readonly wsMessages: WsLogEntry[] = []
  restDelayMs = 0
  wsDelayMs = 0

  private readonly responses: PendingResponse[] = []
  private dropHandler: () => void = () => {}

  constructor(private readonly defaults: ResponseDefaults) {}

  /** Terminates every WebSocket connection the server holds. */
  dropSockets(): void {
    this.dropHandler()
  }

  /**
   * The next `count` REST requests (optionally only those whose path matches) get `status` instead of their
   * answer; without `body`, the exchange's default body for that status (see its faults.ts); `headers`
   * replace the exchange's default headers for it (Binance's 429 carries "Retry-After: 60").
   */
  respondWith(status: number, count = 1, options: { path?: string | RegExp; body?: unknown; headers?: Record<string, string> } = {}): void {
    this.responses.push({ status, remaining: count, path: options.path, body: options.body, headers: options.headers })
  }

  /** Delays REST replies and/or WebSocket sends (order is preserved). */
  delay(ms: number, where: 'rest' | 'ws' | 'both' = 'both'): void {
    if (where !== 'ws') this.restDelayMs = ms
    if (where !== 'rest') this.wsDelayMs = ms
  }

  clearLog(): void {
    this.requests.length = 0
    this.wsMessages.length = 0
  }

  /** Clears every pending fault (not the log). */
  reset(): void {
    this.responses.length = 0
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
    return { status: r.status, body: r.body ?? this.defaults.body(r.status), headers: r.headers ?? this.defaults.headers(r.status) }
  }
}

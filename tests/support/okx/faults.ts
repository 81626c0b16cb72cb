import { Countdowns } from '../exchange-server/countdowns'
import { FaultKnobs } from '../exchange-server/faults'
import { gatewayPage } from '../exchange-server/gateway-page'
import type { RequestLogEntry as LogEntry } from '../exchange-server/logs'

// Fault knobs and the request / WebSocket logs. The REST layer and the stream layer consult this object;
// tests drive it. The generic part (logs, respondWith, delay, dropSockets) is ../exchange-server/faults.ts;
// here are OKX's default error bodies and its own knobs.

export type { InjectedResponse } from '../exchange-server/faults'
export type { WsLogEntry } from '../exchange-server/logs'

/**
 * params: query parameters (GET) or the JSON body (POST); code: OKX code of the reply ("0" on success; for a
 * failed order the item's sCode).
 */
export type RequestLogEntry = LogEntry<unknown, string>

export interface OrderRejection {
  sCode: string
  sMsg: string
}

export class Faults extends FaultKnobs<RequestLogEntry> {
  private readonly skips = new Countdowns()
  private readonly corruptions = new Countdowns()
  private readonly orderRejections: OrderRejection[] = []
  private deferredCancels = 0
  /** Cancels accepted and not carried out yet (deferCancels), by `accountId ordId`: what carries each out. */
  private readonly cancelling = new Map<string, () => void>()
  /**
   * The order a triggered algo places carries a clOrdId the exchange made up (OKX's documentation does not
   * say it has none, and real ones have been seen with one) instead of "". Off: clOrdId "".
   */
  algoChildClOrdId = false

  /**
   * respondWith's default bodies: 429 → {"msg":"Too Many Requests","code":"50011"} (Retry-After: 1),
   * 500 → 50026 "System error", 503 → 50001 "Service temporarily unavailable", other 5xx → an HTML gateway
   * page (what a CDN sends).
   */
  constructor(private readonly instId: (symbolOrInstId: string) => string) {
    super({ body: defaultBody, headers: defaultHeaders })
  }

  /** The next `n` `books` updates for the market ("BTC/USDT" or "BTC-USDT") are sent to no one (prevSeqId gap). */
  skipSequence(symbol: string, n = 1): void {
    this.skips.add(this.instId(symbol), n)
  }

  /** The next `n` `books` updates for the market carry a wrong checksum (the data itself stays right). */
  corruptChecksum(symbol: string, n = 1): void {
    this.corruptions.add(this.instId(symbol), n)
  }

  /** How many of the corruptions asked for are still to be sent (0: every one went out). */
  corruptionsLeft(symbol: string): number {
    return this.corruptions.left(this.instId(symbol))
  }

  /**
   * The next order placement (POST /api/v5/trade/order or batch-orders) fails as OKX fails one: HTTP 200,
   * {"code":"1","msg":"All operations failed","data":[{"sCode":…,"sMsg":…}]}. Nothing reaches the engine.
   */
  rejectNextOrder(sCode = '51008', sMsg = 'Order failed. Insufficient USDT balance in account.'): void {
    this.orderRejections.push({ sCode, sMsg })
  }

  /**
   * The next `n` cancels (POST /api/v5/trade/cancel-order) are accepted ({"sCode":"0"}) but not carried out:
   * the order stays live, "under cancelling", as OKX may leave it for a while, until finishCancels(). Another
   * cancel of such an order is refused as OKX refuses it: sCode 51410 "Cancellation failed as the order is
   * already under cancelling status".
   */
  deferCancels(n = 1): void {
    this.deferredCancels += n
  }

  /** Carries out the deferred cancels: their orders (still open) turn canceled, with their pushes. */
  finishCancels(): void {
    const runs = [...this.cancelling.values()]
    this.cancelling.clear()
    for (const run of runs) run()
  }

  /** Clears every pending fault (not the log); deferred cancels are dropped, their orders left live. */
  override reset(): void {
    super.reset()
    this.skips.clear()
    this.corruptions.clear()
    this.orderRejections.length = 0
    this.deferredCancels = 0
    this.cancelling.clear()
    this.algoChildClOrdId = false
  }

  // ---- used by the server -------------------------------------------------------------------------------

  takeSkip(instId: string): boolean {
    return this.skips.take(instId)
  }

  takeCorruption(instId: string): boolean {
    return this.corruptions.take(instId)
  }

  takeOrderRejection(): OrderRejection | undefined {
    return this.orderRejections.shift()
  }

  /** Whether a cancel of this order (`accountId ordId`) was accepted and is not carried out yet. */
  underCancelling(key: string): boolean {
    return this.cancelling.has(key)
  }

  /** A cancel to accept now: true (and `carryOut` kept for finishCancels) when deferCancels asked for it. */
  deferCancel(key: string, carryOut: () => void): boolean {
    if (this.deferredCancels <= 0) return false
    this.deferredCancels -= 1
    this.cancelling.set(key, carryOut)
    return true
  }
}

function defaultBody(status: number): unknown {
  if (status === 429) return { msg: 'Too Many Requests', code: '50011' }
  if (status === 500) return { msg: 'System error. Try again later', code: '50026' }
  if (status === 503) return { msg: 'Service temporarily unavailable. Try again later', code: '50001' }
  if (status >= 500) return gatewayPage(status)
  return { msg: 'Operation failed.', code: '1' }
}

function defaultHeaders(status: number): Record<string, string> {
  return status === 429 ? { 'Retry-After': '1' } : {}
}

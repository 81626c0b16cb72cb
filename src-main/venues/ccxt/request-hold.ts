import { AsyncLocalStorage } from 'node:async_hooks'
import type { Exchange } from 'ccxt'
import { NotSentError, VenueError } from '../port'
import { inOrderLaneNow } from './order-lane'
import { retryAfterOf, waitSaidOf } from './retry-after'

// Every REST request of one account leaves through ccxt's throttle (fetch2 awaits it just before sending), so
// that is where an account-wide rate hold is kept: while the exchange's Retry-After runs (a cancel's own 429:
// the order manager's rate-holds.ts), no request of the account is sent — Binance bans the IP (HTTP 418) of a
// client that keeps sending inside that window. A request met there waits for the hold to end (reconciling
// reads, a cancel's follow-up look-ups, book snapshots, history), or, inside failFastWhileHeld (a balance
// read, loading markets: someone is looking at the screen), is refused at once with RequestHeldError, which
// names the exchange and the hold's end.
//
// A 429 or 418 with Retry-After answering any other request of the account (a balance read, a look-up: Binance
// counts request weight per IP, reads included, and bans a client that keeps sending) begins such a hold
// through `holdAll`. An order's or a cancel's answer (the order lane) is the order manager's to judge: its
// retries, and what it holds — an order's 429 for Binance's order count (-1015) new orders only, one for the
// request weight (-1003) everything, as here (trading/orders/rate-limit-hit.ts).
//
// On an exchange that counts limits per IP (Binance: ../ip-rate-limits.ts) the hold kept here is also its host's,
// shared by the host's other accounts and its keyless connection (paper accounts on its public data), which
// begins it on a 429 the same way: the RequestHold and holdAll the venue is given say so (core.ts).

/** How long every request of the account is still held for (ms; 0: not held), and when that is on the wall clock. */
export type RequestHold = () => {
  ms: number
  until: number
  /** The app is quitting: a waiting request gives up. */
  closing?: true
  /** The hold is its host's (the exchange counts limits per IP): the computer's IP address is limited, whichever account's request met the 429. */
  perIp?: true
  /** How the wait was read when the exchange gave no Retry-After (binance-ban.ts), in words for the message. */
  said?: string
}

/** A request not sent because the account's requests are held for the exchange's rate limit. */
export class RequestHeldError extends VenueError {
  constructor(message: string, leftMs: number) {
    super('rate-limited', message, undefined, leftMs)
    this.name = 'RequestHeldError'
  }
}

/** Longest a waiting request sleeps before it looks at the hold again (a hold may be extended, or its clock moved). */
const RECHECK_MS = 1000

const failFast = new AsyncLocalStorage<true>()

type Throttled = { throttle(cost?: number): Promise<unknown> }
type Handlers = { handleErrors(...args: unknown[]): unknown; handleHttpStatusCode(...args: unknown[]): unknown }

export interface RequestHoldGate {
  /** Ends the waits under way (the venue is closing): those requests reject, unsent. */
  close(): void
}

/**
 * Keeps the account's hold at ccxt's throttle; `holdAll` (when given) begins or extends it. Install after
 * installRetryAfter (whose tag on a rate-limit error says how long the exchange asked to wait).
 */
export function installRequestHold(ex: Exchange, hold: RequestHold, exchangeName: string, holdAll?: (ms: number, said?: string) => void): RequestHoldGate {
  if (holdAll) beginOnRateLimit(ex, holdAll)
  const t = ex as unknown as Throttled
  const throttle = t.throttle.bind(ex)
  const waits = new Set<{ timer: ReturnType<typeof setTimeout>; reject: (err: Error) => void }>()
  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry)
          resolve()
        }, Math.min(ms, RECHECK_MS)),
        reject,
      }
      waits.add(entry)
    })
  t.throttle = async (cost?: number) => {
    for (;;) {
      await heldOut(hold, exchangeName, wait)
      const value = await throttle(cost)
      // A hold begun while the request queued in ccxt's throttle: it waits for that one too.
      if (hold().ms <= 0) return value
    }
  }
  return {
    close() {
      for (const w of [...waits]) {
        clearTimeout(w.timer)
        w.reject(new NotSentError(`${exchangeName} connection closed while a request waited for its rate limit; not sent`))
      }
      waits.clear()
    },
  }
}

async function heldOut(hold: RequestHold, exchangeName: string, wait: (ms: number) => Promise<void>): Promise<void> {
  for (let left = hold(); left.ms > 0; left = hold()) {
    if (failFast.getStore()) throw new RequestHeldError(heldMessage(exchangeName, left), left.ms)
    if (left.closing) throw new NotSentError(`the app is quitting: a request to ${exchangeName} waiting for its rate limit was not sent`)
    await wait(left.ms)
  }
}

/** Runs `fn` (ccxt calls only: nothing it starts outlives it); a request it makes while held is refused at once. */
export function failFastWhileHeld<T>(fn: () => Promise<T>): Promise<T> {
  return failFast.run(true, fn)
}

function heldMessage(exchangeName: string, left: { ms: number; until: number; perIp?: true; said?: string }): string {
  const at = `${new Date(left.until).toISOString().slice(11, 19)} UTC (${Math.ceil(left.ms / 1000)} more s)`
  // Per IP (Binance) this account may never have met a 429 itself: the words say whose limit it is, as an order's do.
  return left.perIp
    ? `${exchangeName} is rate-limiting this computer's IP address (${left.said ?? 'it answered "Retry-After": the request weight it allows an IP is used up'}): nothing is sent to ${exchangeName} from any account on this computer, nor its market data, until ${at}`
    : `${exchangeName} is rate-limiting this account (${left.said ?? 'it answered "Retry-After"'}): nothing is sent to ${exchangeName} until ${at}`
}

/**
 * A 429/418 with Retry-After (or, from Binance without it, a wait its reply says: binance-ban.ts) answering a
 * request outside the order lane holds every request of the account.
 */
function beginOnRateLimit(ex: Exchange, holdAll: (ms: number, said?: string) => void): void {
  const h = ex as unknown as Handlers
  // (Both get the HTTP status first; ccxt calls handleHttpStatusCode when handleErrors did not throw.)
  for (const name of ['handleErrors', 'handleHttpStatusCode'] as const) {
    const handle = h[name].bind(ex)
    h[name] = (...args: unknown[]) => {
      try {
        return handle(...args)
      } catch (err) {
        const ms = retryAfterOf(err)
        if ((args[0] === 429 || args[0] === 418) && ms !== undefined && ms > 0 && !inOrderLaneNow()) holdAll(ms, waitSaidOf(err))
        throw err
      }
    }
  }
}

import {
  AccountSuspended,
  AuthenticationError,
  BadRequest,
  BadResponse,
  BadSymbol,
  BaseError,
  CancelPending,
  DDoSProtection,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  NotSupported,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt'
import { VenueError, type RateLimitHit, type VenueErrorKind } from '../port'

// Turns whatever ccxt throws into a VenueError whose kind says what the user must do. Two sources, in
// this order:
//  1. the exchange's own error code inside ccxt's message (ccxt writes `<id> <reply body>`), because it
//     is more specific than ccxt's class: ccxt maps Binance -1022 (bad signature), -2014 (bad key format)
//     and -2015 (key, IP or permission) all to AuthenticationError — and turns -2015 into DDoSProtection
//     once a key has worked before;
//  2. ccxt's exception class (the hierarchy in ccxt/js/src/base/errorHierarchy.js).
// Messages are for people, name the exchange, keep the exchange's own words (trimmed) and never carry a
// credential, a signature or a query string.

export interface ClassifyContext {
  /** ccxt id ("binance"). */
  exchange: string
  /** Shown name ("Binance"); defaults to the id. */
  exchangeName?: string
  /** Strings that must never appear in a message (the credentials). */
  redact?: readonly string[]
  /**
   * A signed request with this key has already succeeded, so the exchange knows the key: a refusal that
   * could mean "unknown key" or "missing permission" (Binance -2015) is then the permission.
   */
  authenticated?: boolean
}

interface Reply {
  code?: string
  msg?: string
}

type Resolver = VenueErrorKind | ((reply: Reply, ctx: ClassifyContext) => VenueErrorKind)

/** The exchange's error field(s), found in the JSON part of ccxt's message. */
const replyReaders: Record<string, (body: Record<string, unknown>) => Reply> = {
  binance: (b) => ({ code: str(b.code), msg: str(b.msg) }),
  mexc: (b) => ({ code: str(b.code), msg: str(b.msg) }),
  bitget: (b) => ({ code: str(b.code), msg: str(b.msg) }),
  bybit: (b) => ({ code: str(b.retCode ?? b.ret_code), msg: str(b.retMsg ?? b.ret_msg) }),
  okx: (b) => {
    const first = Array.isArray(b.data) ? (b.data[0] as Record<string, unknown> | undefined) : undefined
    const sCode = str(first?.sCode)
    return sCode && sCode !== '0' ? { code: sCode, msg: str(first?.sMsg) } : { code: str(b.code), msg: str(b.msg) }
  },
  gate: (b) => ({ code: str(b.label), msg: str(b.message) }),
  kraken: (b) => {
    const first = Array.isArray(b.error) ? str(b.error[0]) : undefined
    return { code: first, msg: first }
  },
  coinbase: (b) => ({ code: str(b.error), msg: str(b.message ?? b.error_details) }),
}

/**
 * Binance's -2015 "Invalid API-key, IP, or permissions for action." covers three causes:
 *  - an IP outside the key's whitelist: Binance then appends the caller's address (", request ip: …");
 *  - a missing permission: the key is known — a signed request with it has already worked;
 *  - otherwise an unknown (deleted, mistyped) key; the message still names the other two possibilities.
 */
function binance2015(reply: Reply, ctx: ClassifyContext): VenueErrorKind {
  const msg = (reply.msg ?? '').toLowerCase()
  if (/request ip|\bip\b.*(whitelist|white list|not allowed|restrict)/.test(msg)) return 'ip-not-allowed'
  if (ctx.authenticated) return 'permission-denied'
  return 'invalid-key'
}

/** -2010 NEW_ORDER_REJECTED / -2011 CANCEL_REJECTED carry the reason in their message. */
function binanceRejected(fallback: VenueErrorKind) {
  return (reply: Reply): VenueErrorKind => {
    const msg = reply.msg ?? ''
    if (/insufficient/i.test(msg)) return 'insufficient-funds'
    if (/may not place|may not cancel|not allowed|disabled/i.test(msg)) return 'permission-denied'
    if (/unknown order|does not exist/i.test(msg)) return 'order-not-found'
    return fallback
  }
}

/** Exchange codes with a meaning sharper than ccxt's class. */
export const exchangeCodeKinds: Record<string, Record<string, Resolver>> = {
  binance: {
    '-1002': 'permission-denied', // You are not authorized to execute this request.
    '-1003': 'rate-limited', // Too much request weight used.
    '-1015': 'rate-limited', // Too many new orders.
    '-1022': 'invalid-signature', // Signature for this request is not valid.
    '-2014': 'invalid-key', // API-key format invalid.
    '-2015': binance2015, // Invalid API-key, IP, or permissions for action.
    '-2010': binanceRejected('invalid-order'), // NEW_ORDER_REJECTED ("Account has insufficient balance", ...)
    '-2011': binanceRejected('order-not-found'), // CANCEL_REJECTED ("Unknown order sent.", ...)
    '-2013': 'order-not-found', // Order does not exist.
    '-1013': 'invalid-order', // Filter failure (LOT_SIZE, PRICE_FILTER, NOTIONAL, ...).
    '-1111': 'invalid-order', // Precision is over the maximum defined for this asset.
    '-1121': 'invalid-order', // Invalid symbol.
  },
  mexc: {
    '401': 'invalid-key',
    '402': 'invalid-key', // API key expired
    '406': 'ip-not-allowed', // Accessing IP is not in the whitelist
    '429': 'rate-limited',
    '510': 'rate-limited',
    '602': 'invalid-signature',
    '10072': 'invalid-key', // invalid access key
    '700002': 'invalid-signature', // Signature for this request is not valid.
    '700006': 'ip-not-allowed', // IP non white list
    '700007': 'permission-denied', // No permission to access the endpoint
    // A query or cancel of an order MEXC does not have (ccxt: BadRequest). Without these a timed-out
    // submit that never landed could not be declared lost, and reconciliation stopped at it.
    '-2011': 'order-not-found', // Unknown order sent.
    '-2013': 'order-not-found', // Order does not exist.
  },
  okx: {
    '50011': 'rate-limited',
    '50105': 'invalid-key', // OK-ACCESS-PASSPHRASE incorrect
    '50110': 'ip-not-allowed', // Invalid IP / not in the key's trusted IPs
    '50111': 'invalid-key', // Invalid OK-ACCESS-KEY
    '50113': 'invalid-signature', // Invalid signature
    '51008': 'insufficient-funds',
    '51410': 'cancel-pending', // Cancellation failed as the order is already under cancelling status (ccxt: CancelPending)
    '51603': 'order-not-found',
  },
  bybit: {
    '10003': 'invalid-key', // Invalid apikey
    '10004': 'invalid-signature', // invalid sign
    '10005': 'permission-denied', // permission denied for current apikey
    '10006': 'rate-limited',
    '10010': 'ip-not-allowed', // request ip mismatch
    '10018': 'rate-limited',
    // The order is processing and can not be operated, please try again later (not in ccxt's table). Bybit answers
    // it while it carries out an amend of the order as well as a cancel: the request was not taken, and the order
    // may be open still (no "already canceling").
    '110079': 'order-busy',
  },
  bitget: {
    '429': 'rate-limited',
    '40006': 'invalid-key', // Invalid ACCESS_KEY
    '40009': 'invalid-signature', // sign signature error
    '40012': 'invalid-key', // apikey/password is incorrect
    '40014': 'permission-denied', // Incorrect permissions
    '40018': 'ip-not-allowed', // Invalid IP
    '40037': 'invalid-key', // Apikey does not exist
  },
  gate: {
    INVALID_KEY: 'invalid-key',
    INVALID_CREDENTIALS: 'invalid-key',
    INVALID_SIGNATURE: 'invalid-signature',
    IP_FORBIDDEN: 'ip-not-allowed',
    READ_ONLY: 'permission-denied',
    FORBIDDEN: 'permission-denied',
    TOO_MANY_REQUESTS: 'rate-limited',
    TOO_FAST: 'rate-limited',
    BALANCE_NOT_ENOUGH: 'insufficient-funds',
    ORDER_NOT_FOUND: 'order-not-found',
  },
  kraken: {
    'EAPI:Invalid key': 'invalid-key',
    'EAPI:Invalid signature': 'invalid-signature',
    'EGeneral:Permission denied': 'permission-denied',
    'EAPI:Rate limit exceeded': 'rate-limited',
    'EOrder:Rate limit exceeded': 'rate-limited',
    'EGeneral:Too many requests': 'rate-limited',
    'EOrder:Insufficient funds': 'insufficient-funds',
    'EOrder:Unknown order': 'order-not-found',
  },
  coinbase: {
    unauthorized: 'invalid-key',
    authentication_error: 'invalid-key',
    invalid_token: 'invalid-key',
    PERMISSION_DENIED: 'permission-denied',
    invalid_scope: 'permission-denied',
    rate_limit_exceeded: 'rate-limited',
  },
}

const kindWords: Record<VenueErrorKind, string> = {
  'invalid-key': 'rejected the API key',
  'invalid-signature': 'rejected the request signature: the API secret does not match the key',
  'permission-denied': 'refused: the API key lacks the permission for this, or the account is restricted',
  'ip-not-allowed': "refused this computer's IP address: it is not in the API key's IP whitelist",
  unreachable: 'could not be reached',
  'rate-limited': 'is rate-limiting this app; wait a moment and try again',
  'insufficient-funds': 'refused the order: insufficient funds',
  'invalid-order': 'refused the order',
  'order-not-found': 'does not know that order',
  'cancel-pending': 'is already canceling that order',
  'order-busy': 'is still processing an earlier change to that order (an amend or a cancel) and did not take this request',
  'bad-reply': 'sent a reply that is not what was expected',
  unknown: 'returned an error',
}

/** ccxt class → kind, most specific first (the hierarchy puts DDoSProtection and InvalidNonce under NetworkError). */
const classKinds: [new (...args: never[]) => Error, VenueErrorKind][] = [
  [RateLimitExceeded, 'rate-limited'],
  [DDoSProtection, 'rate-limited'],
  [InvalidNonce, 'unknown'],
  [RequestTimeout, 'unreachable'],
  [ExchangeNotAvailable, 'unreachable'],
  [NetworkError, 'unreachable'],
  [BadResponse, 'bad-reply'], // includes NullResponse
  [CancelPending, 'cancel-pending'],
  [AccountSuspended, 'permission-denied'],
  [PermissionDenied, 'permission-denied'], // includes AccountNotEnabled
  [AuthenticationError, 'invalid-key'],
  [InsufficientFunds, 'insufficient-funds'],
  [OrderNotFound, 'order-not-found'],
  [InvalidOrder, 'invalid-order'],
  [BadSymbol, 'invalid-order'],
  [NotSupported, 'unknown'],
  [BadRequest, 'unknown'],
]

export function classifyCcxtError(err: unknown, ctx: ClassifyContext): VenueError {
  if (err instanceof VenueError) return err
  const name = ctx.exchangeName ?? ctx.exchange
  const raw = err instanceof Error ? err.message : String(err)
  const detail = sanitize(stripExchangePrefix(raw, ctx.exchange), ctx.redact ?? [])

  const reply = readReply(raw, ctx.exchange)
  const resolver = reply?.code !== undefined ? exchangeCodeKinds[ctx.exchange]?.[reply.code] : undefined
  if (reply && resolver !== undefined) {
    const kind = typeof resolver === 'function' ? resolver(reply, ctx) : resolver
    const said = sanitize(reply.msg ?? '', ctx.redact ?? [])
    let message = `${name} ${kindWords[kind]} (${reply.code}${said && said !== reply.code ? `: ${said}` : ''})`
    if (ctx.exchange === 'binance' && reply.code === '-2015') {
      message +=
        kind === 'invalid-key'
          ? ". Binance answers this for an unknown or deleted key (and also for an IP outside the key's whitelist or a missing permission)"
          : kind === 'permission-denied'
            ? '. The key works for reading; enable "Spot & Margin Trading" on it for this'
            : ''
    }
    return new VenueError(kind, message, err, undefined, kind === 'rate-limited' ? rateLimitHit(ctx.exchange, reply, raw) : undefined)
  }

  if (err instanceof InvalidNonce) {
    return new VenueError('unknown', `${name} refused the request's timestamp or nonce; check this computer's clock (${detail})`, err)
  }
  for (const [cls, kind] of classKinds) {
    if (err instanceof cls) {
      return new VenueError(kind, `${name} ${kindWords[kind]} (${detail})`, err, undefined, kind === 'rate-limited' ? rateLimitHit(ctx.exchange, reply, raw) : undefined)
    }
  }
  if (err instanceof BaseError) return new VenueError('unknown', `${name} ${kindWords.unknown} (${detail})`, err)
  if (err instanceof SyntaxError || err instanceof TypeError) {
    // ccxt's parsers fail like this when a reply has an unexpected shape.
    return new VenueError('bad-reply', `${name} ${kindWords['bad-reply']} (${detail})`, err)
  }
  return new VenueError('unknown', `${name}: ${detail}`, err)
}

/**
 * Which limit a rate-limit refusal says was hit. Binance: -1003 TOO_MANY_REQUESTS is the request weight of the IP
 * ("Too much request weight used; current limit is 6000 request weight per 1 MINUTE", with a 418 "…IP banned
 * until …"), -1015 TOO_MANY_ORDERS the account's new orders ("Too many new orders; current limit is 50 orders per
 * 10 SECOND"). Without a code: its words, or a 418 (what is banned is an IP). Otherwise not known.
 */
function rateLimitHit(exchange: string, reply: Reply | undefined, raw: string): RateLimitHit | undefined {
  if (exchange !== 'binance') return undefined
  if (reply?.code === '-1003') return 'request-weight'
  if (reply?.code === '-1015') return 'order-count'
  const words = reply?.msg ?? raw
  if (/request weight|IP banned|TOO_MANY_REQUESTS/i.test(words)) return 'request-weight'
  if (/too many new orders|TOO_MANY_ORDERS/i.test(words)) return 'order-count'
  return /^binance 418\b/.test(raw) ? 'request-weight' : undefined
}

/** The exchange's own error code in what ccxt threw ("-2015"), if its message carries the reply. */
export function exchangeErrorCode(err: unknown, exchange: string): string | undefined {
  return err instanceof Error ? readReply(err.message, exchange)?.code : undefined
}

/** The JSON object inside ccxt's message, read with the exchange's reader. */
function readReply(message: string, exchange: string): Reply | undefined {
  const reader = replyReaders[exchange]
  if (!reader) return undefined
  for (let at = message.indexOf('{'); at >= 0; at = message.indexOf('{', at + 1)) {
    const body = parseObject(message.slice(at))
    if (body) return reader(body)
  }
  return undefined
}

function parseObject(text: string): Record<string, unknown> | undefined {
  // The body may be followed by more text; try the longest balanced prefix.
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) {
      try {
        const parsed: unknown = JSON.parse(text.slice(0, i + 1))
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

function stripExchangePrefix(message: string, exchange: string): string {
  return message.startsWith(`${exchange} `) ? message.slice(exchange.length + 1) : message
}

/** Removes query strings (signatures, timestamps), credentials and control characters; trims the length. */
export function sanitize(text: string, redact: readonly string[]): string {
  let out = text.replace(/((?:https?|wss?):\/\/[^\s?"']*)\?[^\s"']*/g, '$1')
  out = out.replace(/(signature|sign|apiKey|api_key|X-MBX-APIKEY|OK-ACCESS-[A-Z]+)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, '$1$2…')
  out = redactCredentials(out, redact)
  out = out.replace(/[\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim()
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

/** Shortest run of a credential's characters taken as an echo of it (shorter runs occur by chance). */
const ECHO_RUN = 8

/**
 * Replaces each credential with '…', in any case, and also any run of ECHO_RUN or more consecutive
 * characters of one: an exchange or proxy may echo a key lower-cased or cut to its ends ("aaaabbbb…oooo2222").
 */
function redactCredentials(text: string, credentials: readonly string[]): string {
  const lower = text.toLowerCase()
  // toLowerCase keeps the length for the text's characters that can be in a key; if not, compare as is.
  const folded = lower.length === text.length ? lower : text
  const hidden = new Uint8Array(text.length)
  for (const credential of credentials) {
    if (credential.length < 4) continue
    const c = folded === lower ? credential.toLowerCase() : credential
    if (c.length < ECHO_RUN) {
      for (let at = folded.indexOf(c); at !== -1; at = folded.indexOf(c, at + 1)) hidden.fill(1, at, at + c.length)
      continue
    }
    const runs = new Set<string>()
    for (let i = 0; i + ECHO_RUN <= c.length; i++) runs.add(c.slice(i, i + ECHO_RUN))
    for (let i = 0; i + ECHO_RUN <= folded.length; i++) {
      if (runs.has(folded.slice(i, i + ECHO_RUN))) hidden.fill(1, i, i + ECHO_RUN)
    }
  }
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (hidden[i] === 0) out += text[i]
    else if (i === 0 || hidden[i - 1] === 0) out += '…'
  }
  return out
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

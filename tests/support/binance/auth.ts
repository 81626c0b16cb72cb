import { createHmac, timingSafeEqual } from 'node:crypto'
import { BinanceApiError, err, type ApiRequest, type Security } from './http'

// Binance's key and signature checks, in the order and with the codes the real API uses:
// X-MBX-APIKEY (-2014 format, -2015 unknown key / IP / permissions), `signature` = hex HMAC-SHA256 of the
// query string followed by the body (-1022), `timestamp` within `recvWindow` of server time and at most
// 1000 ms ahead of it (-1021).

export interface BinanceAccountConfig {
  apiKey: string
  secret: string
  /** The engine account this key trades for. */
  accountId: string
  permissions: {
    /** "Enable Spot & Margin Trading" on the key. Without it TRADE endpoints answer -2015 (HTTP 401). */
    spot: boolean
    /** false: the key has an IP whitelist that excludes us; every signed call answers -2015 with our IP. */
    ipAllowed?: boolean
    /**
     * false: the account itself may not trade (Binance's canTrade=false); orders and cancels answer -2010 /
     * -2011 "This account may not place or cancel orders.". Defaults to true.
     */
    canTrade?: boolean
  }
}

export const MSG_REJECTED_KEY = 'Invalid API-key, IP, or permissions for action.'
export const MSG_BAD_KEY_FORMAT = 'API-key format invalid.'

const KEY_FORMAT = /^[A-Za-z0-9]{1,128}$/

export class Auth {
  private readonly byKey = new Map<string, BinanceAccountConfig>()

  constructor(
    accounts: BinanceAccountConfig[],
    private readonly now: () => number,
  ) {
    for (const a of accounts) this.byKey.set(a.apiKey, a)
  }

  account(apiKey: string): BinanceAccountConfig | undefined {
    return this.byKey.get(apiKey)
  }

  /** The key check every authenticated request starts with (USER_STREAM, USER_DATA, TRADE). */
  key(apiKey: string | undefined, ip: string): BinanceAccountConfig {
    if (apiKey === undefined || apiKey === '' || !KEY_FORMAT.test(apiKey)) {
      throw err.unauthorized(-2014, MSG_BAD_KEY_FORMAT)
    }
    const account = this.byKey.get(apiKey)
    if (account === undefined) throw err.unauthorized(-2015, MSG_REJECTED_KEY)
    if (account.permissions.ipAllowed === false) {
      throw err.unauthorized(-2015, `Invalid API-key, IP, or permissions for action, request ip: ${ip}`)
    }
    return account
  }

  /** Authenticates a REST request for its route's security type; returns the account (or undefined for NONE). */
  check(req: ApiRequest, security: Security): BinanceAccountConfig | undefined {
    if (security === 'NONE') return undefined
    const account = this.key(req.apiKey, req.ip)
    if (security === 'USER_STREAM') return account

    const signature = req.params.get('signature')
    const timestamp = req.params.get('timestamp')
    if (timestamp === undefined || timestamp === '') throw err.mandatory('timestamp')
    if (signature === undefined || signature === '') throw err.mandatory('signature')
    const payload = stripSignature(req.rawQuery) + stripSignature(req.rawBody)
    if (!hmacMatches(account.secret, payload, signature)) {
      throw err.badRequest(-1022, 'Signature for this request is not valid.')
    }
    this.timestamp(timestamp, req.params.get('recvWindow'))
    if (security === 'TRADE' && !account.permissions.spot) {
      throw err.unauthorized(-2015, MSG_REJECTED_KEY)
    }
    return account
  }

  /** -1021 unless serverTime - recvWindow <= timestamp <= serverTime + 1000. */
  timestamp(timestamp: string, recvWindow: string | undefined): void {
    if (!/^[0-9]{1,16}$/.test(timestamp)) throw err.illegal('timestamp')
    let window = 5000
    if (recvWindow !== undefined && recvWindow !== '') {
      if (!/^[0-9]{1,16}(\.[0-9]{1,3})?$/.test(recvWindow)) throw err.illegal('recvWindow')
      window = Number(recvWindow)
      if (window > 60_000) throw err.badRequest(-1131, 'recvWindow must be less than 60000')
    }
    const ts = Number(timestamp)
    const serverTime = this.now()
    if (ts > serverTime + 1000) {
      throw err.badRequest(-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    }
    if (serverTime - ts > window) {
      throw err.badRequest(-1021, 'Timestamp for this request is outside of the recvWindow.')
    }
  }

  /**
   * WebSocket API signature check (userDataStream.subscribe.signature): the payload is every parameter but
   * `signature`, sorted by name, as k=v joined with "&".
   */
  wsSigned(params: Record<string, unknown>, ip: string): BinanceAccountConfig {
    const apiKey = typeof params['apiKey'] === 'string' ? params['apiKey'] : undefined
    const account = this.key(apiKey, ip)
    const signature = params['signature']
    const timestamp = params['timestamp']
    if (timestamp === undefined) throw err.mandatory('timestamp')
    if (typeof signature !== 'string' || signature === '') throw err.mandatory('signature')
    const payload = Object.keys(params)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${String(params[k])}`)
      .join('&')
    if (!hmacMatches(account.secret, payload, signature)) {
      throw err.badRequest(-1022, 'Signature for this request is not valid.')
    }
    const recvWindow = params['recvWindow']
    this.timestamp(String(timestamp), recvWindow === undefined ? undefined : String(recvWindow))
    return account
  }
}

function stripSignature(raw: string): string {
  if (raw === '') return ''
  return raw
    .split('&')
    .filter((part) => !part.startsWith('signature='))
    .join('&')
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex')
}

function hmacMatches(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, payload), 'utf8')
  const given = Buffer.from(signature.toLowerCase(), 'utf8')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function isBinanceApiError(e: unknown): e is BinanceApiError {
  return e instanceof BinanceApiError
}

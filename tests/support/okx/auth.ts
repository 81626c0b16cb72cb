import { createHmac, timingSafeEqual } from 'node:crypto'
import { OkxApiError, err, type ApiRequest, type Security } from './http'

// OKX's key checks: headers OK-ACCESS-KEY / -PASSPHRASE / -SIGN / -TIMESTAMP (501xx "can not be empty"),
// the ISO timestamp within 30 s of server time (50112 malformed, 50102 expired), the key (50111), the key's IP
// whitelist (50110), OK-ACCESS-SIGN = base64(HMAC-SHA256(timestamp + METHOD + requestPath + body, secret))
// where requestPath includes the query string (50113), the passphrase (50105) and the key's permission for
// the endpoint (50120). All are HTTP 401, body {"msg":…,"code":…}.
// WebSocket login signs timestamp (in seconds) + "GET" + "/users/self/verify" and answers 600xx codes.

export interface OkxAccountConfig {
  apiKey: string
  secret: string
  passphrase: string
  /** The engine account this key trades for. */
  accountId: string
  permissions: {
    /** The key's "Trade" permission; without it order endpoints answer 50120. */
    trade: boolean
    /** false: the key has an IP whitelist that excludes us; every private call answers 50110. */
    ipAllowed?: boolean
  }
}

/** How far OK-ACCESS-TIMESTAMP may be from server time (OKX: 30 seconds). */
export const TIMESTAMP_WINDOW_MS = 30_000

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/

export class Auth {
  private readonly byKey = new Map<string, OkxAccountConfig>()

  constructor(
    accounts: OkxAccountConfig[],
    private readonly now: () => number,
  ) {
    for (const a of accounts) this.byKey.set(a.apiKey, a)
  }

  account(apiKey: string): OkxAccountConfig | undefined {
    return this.byKey.get(apiKey)
  }

  /** Authenticates a REST request for its route's security; returns the account (undefined for public). */
  check(req: ApiRequest, security: Security): OkxAccountConfig | undefined {
    if (security === 'public') return undefined
    const key = header(req, 'ok-access-key')
    const passphrase = header(req, 'ok-access-passphrase')
    const sign = header(req, 'ok-access-sign')
    const timestamp = header(req, 'ok-access-timestamp')
    if (key === undefined) throw err.auth('50103', 'Request header "OK-ACCESS-KEY" can not be empty.')
    if (passphrase === undefined) throw err.auth('50104', 'Request header "OK-ACCESS-PASSPHRASE" can not be empty.')
    if (sign === undefined) throw err.auth('50106', 'Request header "OK-ACCESS-SIGN" can not be empty.')
    if (timestamp === undefined) throw err.auth('50107', 'Request header "OK-ACCESS-TIMESTAMP" can not be empty.')
    const ts = ISO.test(timestamp) ? Date.parse(timestamp) : NaN
    if (!Number.isFinite(ts)) throw err.auth('50112', 'Invalid OK-ACCESS-TIMESTAMP')
    if (Math.abs(this.now() - ts) > TIMESTAMP_WINDOW_MS) throw err.auth('50102', 'Timestamp request expired')
    const account = this.byKey.get(key)
    if (account === undefined) throw err.auth('50111', 'Invalid OK-ACCESS-KEY')
    if (account.permissions.ipAllowed === false) {
      throw err.auth('50110', `Your IP ${req.ip} is not included in your API key's IP whitelist.`)
    }
    const expected = signature(account.secret, timestamp + req.method + req.path + req.search + req.rawBody)
    if (!sameText(sign, expected)) throw err.auth('50113', 'Invalid Sign')
    if (passphrase !== account.passphrase) throw err.auth('50105', 'Request header "OK-ACCESS-PASSPHRASE" incorrect.')
    if (security === 'trade' && !account.permissions.trade) {
      throw new OkxApiError(401, '50120', "API key doesn't have permission to use this function")
    }
    return account
  }

  /** WebSocket `login` args → the account, or the OKX error (code, msg) to answer with. */
  login(arg: unknown): { account: OkxAccountConfig } | { code: string; msg: string } {
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>
    const str = (k: string) => (typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : undefined)
    const apiKey = str('apiKey')
    const passphrase = str('passphrase')
    const timestamp = str('timestamp')
    const sign = str('sign')
    if (apiKey === undefined) return { code: '60001', msg: '"OK-ACCESS-KEY" can not be empty' }
    if (sign === undefined) return { code: '60002', msg: '"OK-ACCESS-SIGN" can not be empty' }
    if (passphrase === undefined) return { code: '60003', msg: '"OK-ACCESS-PASSPHRASE" can not be empty' }
    if (timestamp === undefined || !/^\d+(\.\d+)?$/.test(timestamp)) return { code: '60004', msg: 'Invalid OK-ACCESS-TIMESTAMP' }
    if (Math.abs(this.now() - Number(timestamp) * 1000) > TIMESTAMP_WINDOW_MS) return { code: '60006', msg: 'Timestamp request expired' }
    const account = this.byKey.get(apiKey)
    if (account === undefined) return { code: '60005', msg: 'Invalid OK-ACCESS-KEY' }
    if (account.permissions.ipAllowed === false) return { code: '60009', msg: 'Login failed.' }
    if (!sameText(sign, signature(account.secret, `${timestamp}GET/users/self/verify`))) return { code: '60007', msg: 'Invalid sign' }
    if (passphrase !== account.passphrase) return { code: '60024', msg: 'Wrong passphrase' }
    return { account }
  }
}

export function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64')
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s === undefined || s === '' ? undefined : s
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

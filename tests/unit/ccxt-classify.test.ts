import ccxt, {
  AccountNotEnabled,
  AccountSuspended,
  AuthenticationError,
  BadRequest,
  BadResponse,
  BadSymbol,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  NullResponse,
  OnMaintenance,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt'
import { describe, expect, it } from 'vitest'
import { classifyCcxtError, exchangeErrorCode, sanitize } from '../../src-main/venues/ccxt/classify'
import { VenueError, type VenueErrorKind } from '../../src-main/venues/port'

/** What ccxt's own exchange class throws for this HTTP reply (its real handleErrors, real classes). */
function thrownBy(exchange: string, url: string, status: number, body: unknown): unknown {
  const Ex = (ccxt as unknown as Record<string, new () => { handleErrors: (...args: unknown[]) => unknown }>)[exchange]
  if (!Ex) throw new Error(`no ccxt class ${exchange}`)
  const text = JSON.stringify(body)
  try {
    new Ex().handleErrors(status, 'reason', url, 'GET', {}, text, body, {}, '')
  } catch (err) {
    return err
  }
  throw new Error(`ccxt ${exchange} did not throw for ${text}`)
}

const binanceApi = 'https://api.binance.com/api/v3/account'
const localApi = 'http://127.0.0.1:8080/api/v3/account'
const REJECTED = 'Invalid API-key, IP, or permissions for action.'


describe('classifyCcxtError: which of Binance\'s limits a 429 or 418 names (what an order\'s 429 holds)', () => {
  const cases: { name: string; status: number; body: unknown; limit: 'request-weight' | 'order-count' | undefined }[] = [
    { name: '429 -1003 request weight (per IP)', status: 429, body: { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' }, limit: 'request-weight' },
    { name: '418 -1003 IP ban', status: 418, body: { code: -1003, msg: 'Way too much request weight used; IP banned until 1700000000000.' }, limit: 'request-weight' },
    { name: '429 -1015 too many new orders (per account)', status: 429, body: { code: -1015, msg: 'Too many new orders; current limit is 50 orders per 10 SECOND.' }, limit: 'order-count' },
    { name: '429 without a code, saying the request weight', status: 429, body: { msg: 'Too much request weight used.' }, limit: 'request-weight' },
    { name: '429 that does not say', status: 429, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' }, limit: undefined },
  ]
  for (const c of cases) {
    it(`${c.name} → ${String(c.limit)}`, () => {
      const venueError = classifyCcxtError(thrownBy('binance', localApi, c.status, c.body), { exchange: 'binance', exchangeName: 'Binance' })
      expect(venueError).toMatchObject({ kind: 'rate-limited', limit: c.limit })
    })
  }

  it('a 418 with no JSON body (a ban page) is the IP request weight; another exchange\'s 429 names no Binance limit', () => {
    expect(classifyCcxtError(new DDoSProtection('binance 418 I\'m a teapot <html>banned</html>'), { exchange: 'binance' }).limit).toBe('request-weight')
    expect(classifyCcxtError(thrownBy('okx', 'https://www.okx.com/api/v5/trade/order', 429, { code: '50011', msg: 'Too Many Requests' }), { exchange: 'okx' }).limit).toBeUndefined()
  })
})
describe('classifyCcxtError: Binance replies, through ccxt binance.handleErrors', () => {
  const cases: { name: string; status: number; body: unknown; kind: VenueErrorKind; authenticated?: boolean; says?: string }[] = [
    { name: '-1022 bad signature', status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' }, kind: 'invalid-signature', says: '-1022' },
    { name: '-2014 key format', status: 401, body: { code: -2014, msg: 'API-key format invalid.' }, kind: 'invalid-key' },
    { name: '-2015 generic, key never worked', status: 401, body: { code: -2015, msg: REJECTED }, kind: 'invalid-key', says: 'unknown or deleted key' },
    { name: '-2015 generic after the key worked', status: 401, body: { code: -2015, msg: REJECTED }, kind: 'permission-denied', authenticated: true, says: 'Spot & Margin Trading' },
    { name: '-2015 with the request ip', status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action, request ip: 203.0.113.9' }, kind: 'ip-not-allowed' },
    { name: '-1002 unauthorized', status: 401, body: { code: -1002, msg: 'You are not authorized to execute this request.' }, kind: 'permission-denied' },
    { name: '429 -1003', status: 429, body: { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' }, kind: 'rate-limited' },
    { name: '418 IP ban', status: 418, body: { code: -1003, msg: 'Way too much request weight used; IP banned until 1700000000000.' }, kind: 'rate-limited' },
    { name: '-2010 insufficient balance', status: 400, body: { code: -2010, msg: 'Account has insufficient balance for requested action.' }, kind: 'insufficient-funds' },
    { name: '-2010 account may not trade', status: 400, body: { code: -2010, msg: 'This account may not place or cancel orders.' }, kind: 'permission-denied' },
    { name: '-2010 other rejection', status: 400, body: { code: -2010, msg: 'Order would immediately match and take.' }, kind: 'invalid-order' },
    { name: '-2011 unknown order', status: 400, body: { code: -2011, msg: 'Unknown order sent.' }, kind: 'order-not-found' },
    { name: '-2013 no such order', status: 400, body: { code: -2013, msg: 'Order does not exist.' }, kind: 'order-not-found' },
    { name: '-1013 filter failure', status: 400, body: { code: -1013, msg: 'Filter failure: LOT_SIZE' }, kind: 'invalid-order' },
    { name: '-1121 bad symbol', status: 400, body: { code: -1121, msg: 'Invalid symbol.' }, kind: 'invalid-order' },
    { name: '-1021 clock', status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }, kind: 'unknown', says: 'clock' },
  ]
  for (const url of [binanceApi, localApi]) {
    for (const c of cases) {
      it(`${c.name} → ${c.kind} (${url.startsWith('https') ? 'binance.com' : 'custom base URL'})`, () => {
        const err = thrownBy('binance', url, c.status, c.body)
        const venueError = classifyCcxtError(err, { exchange: 'binance', exchangeName: 'Binance', authenticated: c.authenticated ?? false })
        expect(venueError).toBeInstanceOf(VenueError)
        expect(venueError.kind).toBe(c.kind)
        expect(venueError.message).toMatch(/^Binance /)
        if (c.says) expect(venueError.message).toContain(c.says)
        expect(venueError.cause).toBe(err)
      })
    }
  }

  it('reads the exchange code even when ccxt turned -2015 into DDoSProtection (key worked before)', () => {
    const err = new DDoSProtection(`binance {"code":-2015,"msg":"${REJECTED}"}`)
    expect(exchangeErrorCode(err, 'binance')).toBe('-2015')
    expect(classifyCcxtError(err, { exchange: 'binance', authenticated: true }).kind).toBe('permission-denied')
  })
})

describe('classifyCcxtError: other exchanges, through their ccxt handleErrors', () => {
  const cases: [string, string, number, unknown, VenueErrorKind][] = [
    ['okx', 'https://www.okx.com/api/v5/account/balance', 401, { code: '50113', msg: 'Invalid Sign', data: [] }, 'invalid-signature'],
    ['okx', 'https://www.okx.com/api/v5/account/balance', 401, { code: '50111', msg: 'Invalid OK-ACCESS-KEY', data: [] }, 'invalid-key'],
    ['okx', 'https://www.okx.com/api/v5/account/balance', 401, { code: '50105', msg: 'Invalid OK-ACCESS-PASSPHRASE', data: [] }, 'invalid-key'],
    ['okx', 'https://www.okx.com/api/v5/account/balance', 401, { code: '50110', msg: 'Your IP 1.2.3.4 is not included in your API key IP whitelist.', data: [] }, 'ip-not-allowed'],
    ['bybit', 'https://api.bybit.com/v5/account/wallet-balance', 200, { retCode: 10003, retMsg: 'API key is invalid.', result: {}, retExtInfo: {}, time: 1 }, 'invalid-key'],
    ['bybit', 'https://api.bybit.com/v5/account/wallet-balance', 200, { retCode: 10004, retMsg: 'error sign!', result: {}, retExtInfo: {}, time: 1 }, 'invalid-signature'],
    ['bybit', 'https://api.bybit.com/v5/account/wallet-balance', 200, { retCode: 10005, retMsg: 'Permission denied, please check your API key permissions.', result: {}, retExtInfo: {}, time: 1 }, 'permission-denied'],
    ['bybit', 'https://api.bybit.com/v5/account/wallet-balance', 200, { retCode: 10010, retMsg: 'Unmatched IP, please check your API key bound IP addresses.', result: {}, retExtInfo: {}, time: 1 }, 'ip-not-allowed'],
    ['kraken', 'https://api.kraken.com/0/private/Balance', 200, { error: ['EAPI:Invalid key'] }, 'invalid-key'],
    ['kraken', 'https://api.kraken.com/0/private/Balance', 200, { error: ['EAPI:Invalid signature'] }, 'invalid-signature'],
    ['kraken', 'https://api.kraken.com/0/private/Balance', 200, { error: ['EGeneral:Permission denied'] }, 'permission-denied'],
    ['kraken', 'https://api.kraken.com/0/private/Balance', 200, { error: ['EAPI:Rate limit exceeded'] }, 'rate-limited'],
    ['gate', 'https://api.gateio.ws/api/v4/spot/accounts', 401, { label: 'INVALID_KEY', message: 'Invalid key provided' }, 'invalid-key'],
    ['gate', 'https://api.gateio.ws/api/v4/spot/accounts', 401, { label: 'INVALID_SIGNATURE', message: 'Signature mismatch' }, 'invalid-signature'],
    ['gate', 'https://api.gateio.ws/api/v4/spot/accounts', 403, { label: 'IP_FORBIDDEN', message: 'Request IP not in whitelist: 1.2.3.4' }, 'ip-not-allowed'],
    ['gate', 'https://api.gateio.ws/api/v4/spot/orders', 403, { label: 'READ_ONLY', message: 'API key is read-only' }, 'permission-denied'],
    ['bitget', 'https://api.bitget.com/api/v2/spot/account/assets', 400, { code: '40006', msg: 'Invalid ACCESS_KEY', requestTime: 1, data: null }, 'invalid-key'],
    ['bitget', 'https://api.bitget.com/api/v2/spot/account/assets', 400, { code: '40009', msg: 'sign signature error', requestTime: 1, data: null }, 'invalid-signature'],
    ['bitget', 'https://api.bitget.com/api/v2/spot/account/assets', 400, { code: '40014', msg: 'Incorrect permissions', requestTime: 1, data: null }, 'permission-denied'],
    ['bitget', 'https://api.bitget.com/api/v2/spot/account/assets', 400, { code: '40018', msg: 'Invalid IP', requestTime: 1, data: null }, 'ip-not-allowed'],
    ['mexc', 'https://api.mexc.com/api/v3/account', 400, { code: 700002, msg: 'Signature for this request is not valid.' }, 'invalid-signature'],
    ['mexc', 'https://api.mexc.com/api/v3/account', 400, { code: 10072, msg: 'Api key info invalid' }, 'invalid-key'],
    ['mexc', 'https://api.mexc.com/api/v3/account', 400, { code: 700006, msg: 'IP [1.2.3.4] not in the ip white list' }, 'ip-not-allowed'],
    ['coinbase', 'https://api.coinbase.com/api/v3/brokerage/accounts', 401, { error: 'unauthorized', message: 'Unauthorized' }, 'invalid-key'],
  ]
  for (const [exchange, url, status, body, kind] of cases) {
    it(`${exchange} ${JSON.stringify(body).slice(0, 60)} → ${kind}`, () => {
      const err = thrownBy(exchange, url, status, body)
      expect(classifyCcxtError(err, { exchange }).kind).toBe(kind)
    })
  }
})

describe('classifyCcxtError: ccxt exception classes', () => {
  const cases: [Error, VenueErrorKind][] = [
    [new AuthenticationError('x requires "apiKey" credential'), 'invalid-key'],
    [new PermissionDenied('x permission denied'), 'permission-denied'],
    [new AccountNotEnabled('x account not enabled'), 'permission-denied'],
    [new AccountSuspended('x account suspended'), 'permission-denied'],
    [new InsufficientFunds('x not enough balance'), 'insufficient-funds'],
    [new InvalidOrder('x bad order'), 'invalid-order'],
    [new OrderNotFound('x no such order'), 'order-not-found'],
    [new BadSymbol('x does not have market symbol FOO/BAR'), 'invalid-order'],
    [new RateLimitExceeded('x slow down'), 'rate-limited'],
    [new DDoSProtection('x 429 Too Many Requests'), 'rate-limited'],
    [new RequestTimeout('x GET https://api.example.com/x request timed out (10000 ms)'), 'unreachable'],
    [new ExchangeNotAvailable('x GET https://api.example.com/x fetch failed'), 'unreachable'],
    [new OnMaintenance('x system maintenance'), 'unreachable'],
    [new NetworkError('x socket hang up'), 'unreachable'],
    [new BadResponse('x returned a non-JSON reply'), 'bad-reply'],
    [new NullResponse('x returned an empty reply'), 'bad-reply'],
    [new InvalidNonce('x nonce too small'), 'unknown'],
    [new BadRequest('x bad request'), 'unknown'],
    [new ExchangeError('x something'), 'unknown'],
    [new TypeError("Cannot read properties of undefined (reading 'balances')"), 'bad-reply'],
    [new Error('something else'), 'unknown'],
  ]
  for (const [err, kind] of cases) {
    it(`${err.constructor.name} → ${kind}`, () => {
      expect(classifyCcxtError(err, { exchange: 'x' }).kind).toBe(kind)
    })
  }

  it('passes a VenueError through unchanged', () => {
    const original = new VenueError('bad-reply', 'already classified')
    expect(classifyCcxtError(original, { exchange: 'binance' })).toBe(original)
  })
})

describe('messages never carry a credential, a signature or a query string', () => {
  const apiKey = 'K'.repeat(20) + 'abcd'
  const secret = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t'
  it('strips query strings and redacts the credentials', () => {
    const err = new RequestTimeout(
      `binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=deadbeef request timed out; key ${apiKey} secret ${secret}`,
    )
    const message = classifyCcxtError(err, { exchange: 'binance', redact: [apiKey, secret] }).message
    expect(message).not.toContain('deadbeef')
    expect(message).not.toContain('timestamp=')
    expect(message).not.toContain(apiKey)
    expect(message).not.toContain(secret)
    expect(message).toContain('https://api.binance.com/api/v3/account')
  })

  it('sanitize removes header-style credentials and control characters and bounds the length', () => {
    expect(sanitize('X-MBX-APIKEY: abc123 and "signature":"ff00"', [])).toBe('X-MBX-APIKEY: … and "signature":"…"')
    expect(sanitize('a\u0000b\nc', [])).toBe('a b c')
    expect(sanitize('x'.repeat(1000), []).length).toBeLessThanOrEqual(301)
  })
})

describe('classifyCcxtError: a cancel refused because the exchange is already carrying one out', () => {
  // Not a failure of the cancel (order-manager.ts keeps the order 'canceling'): OKX 51410 (ccxt: CancelPending).
  it('okx → cancel-pending', () => {
    const err = thrownBy('okx', 'https://www.okx.com/api/v5/trade/cancel-order', 200, {
      code: '1',
      msg: 'All operations failed',
      data: [{ clOrdId: 'c1', ordId: '12', sCode: '51410', sMsg: 'Cancellation failed as the order is already under cancelling status', ts: '1' }],
    })
    expect(classifyCcxtError(err, { exchange: 'okx', exchangeName: 'OKX' })).toMatchObject({
      kind: 'cancel-pending',
      message: 'OKX is already canceling that order (51410: Cancellation failed as the order is already under cancelling status)',
    })
  })

  // Bybit 110079 (not in ccxt's table: a plain ExchangeError) is no proof of a cancel under way: Bybit answers it
  // too while it processes an amend of the order. The order is then still open and the request was not taken.
  it('bybit 110079 → order-busy (an amend or a cancel of it under way), not "already canceling"', () => {
    const err = thrownBy('bybit', 'https://api.bybit.com/v5/order/cancel', 200, {
      retCode: 110079,
      retMsg: 'The order is processing and can not be operated, please try again later',
      result: {},
      retExtInfo: {},
      time: 1,
    })
    const classified = classifyCcxtError(err, { exchange: 'bybit', exchangeName: 'Bybit' })
    expect(classified).toMatchObject({
      kind: 'order-busy',
      message: 'Bybit is still processing an earlier change to that order (an amend or a cancel) and did not take this request (110079: The order is processing and can not be operated, please try again later)',
    })
    expect(classified.message).not.toMatch(/already canceling/)
  })
})

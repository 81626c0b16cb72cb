// The exchanges an account can be added for (spot), as plain data so the contract (and the renderer's
// types) can use it without loading ccxt. tests/unit/accounts-exchanges.test.ts checks every entry
// against ccxt itself: the required credentials (ccxt's requiredCredentials), whether ccxt has a sandbox
// (urls.test) and that the ccxt class exists in both ccxt and ccxt.pro.

import { isPemPrivateKey } from './pem'

export const exchangeIds = ['binance', 'coinbase', 'kraken', 'okx', 'gate', 'bitget', 'bybit', 'mexc'] as const
export type ExchangeId = (typeof exchangeIds)[number]

export const isExchangeId = (id: unknown): id is ExchangeId =>
  typeof id === 'string' && (exchangeIds as readonly string[]).includes(id)

/** One accepted shape of a credential, described for people ("64 letters and digits"). */
export interface CredentialFormat {
  describe: string
  /** A RegExp, or a check written out where a pattern could backtrack (the PEM key). */
  pattern: { test(value: string): boolean }
}

export interface ExchangeSpec {
  id: ExchangeId
  name: string
  /** ccxt's requiredCredentials.password: OKX and Bitget ask for the passphrase chosen with the key. */
  needsPassword: boolean
  /** ccxt has a sandbox (a urls.test) for it, so setSandboxMode works. (Bitget's demo trading is a header, not a URL: not offered.) */
  sandbox: boolean
  /**
   * What names the exchange account behind a key (venues/ccxt/account-identity.ts): its user id, or for
   * Coinbase the portfolio a key is scoped to; null where the exchange cannot tell (Kraken).
   */
  accountIdentity: 'uid' | 'portfolio' | null
  /**
   * What the exchange counts its REST request limits against: 'ip' (Binance: weight per IP, keyless requests
   * included, and an IP that keeps sending after a 429 is banned, 418), so a Retry-After holds every connection
   * of this machine to that host (venues/ip-rate-limits.ts); 'key': per key/UID, a hold is the account's own.
   */
  requestLimitsPer: 'ip' | 'key'
  /** The origin of ccxt's default REST API, for the "custom base URL" placeholder. */
  defaultApiOrigin: string
  apiKey: CredentialFormat[]
  secret: CredentialFormat[]
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
/** A PEM private key (RSA, EC or Ed25519), with real or escaped ("\n") line breaks. */
export const PEM_PRIVATE_KEY: CredentialFormat = {
  describe: 'a PEM private key (-----BEGIN … PRIVATE KEY-----)',
  pattern: { test: isPemPrivateKey },
}
export const isPem = (value: string): boolean => value.trimStart().startsWith('-----BEGIN')

export const exchangeSpecs: Record<ExchangeId, ExchangeSpec> = {
  binance: {
    id: 'binance',
    name: 'Binance',
    needsPassword: false,
    sandbox: true,
    accountIdentity: 'uid',
    requestLimitsPer: 'ip',
    defaultApiOrigin: 'https://api.binance.com',
    apiKey: [{ describe: '64 letters and digits', pattern: /^[A-Za-z0-9]{64}$/ }],
    secret: [{ describe: '64 letters and digits (HMAC key)', pattern: /^[A-Za-z0-9]{64}$/ }, PEM_PRIVATE_KEY],
  },
  coinbase: {
    id: 'coinbase',
    name: 'Coinbase Advanced Trade',
    needsPassword: false,
    sandbox: false,
    accountIdentity: 'portfolio',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.coinbase.com',
    apiKey: [
      { describe: 'a CDP key name (organizations/…/apiKeys/…)', pattern: new RegExp(`^organizations/${UUID}/apiKeys/${UUID}$`) },
      { describe: 'a CDP key id (UUID)', pattern: new RegExp(`^${UUID}$`) },
      { describe: 'a 16-character legacy key', pattern: /^[A-Za-z0-9]{16}$/ },
    ],
    secret: [
      PEM_PRIVATE_KEY,
      { describe: 'a base64 Ed25519 key', pattern: /^[A-Za-z0-9+/]{43,88}={0,2}$/ },
      { describe: 'a 32-character legacy secret', pattern: /^[A-Za-z0-9]{32}$/ },
    ],
  },
  kraken: {
    id: 'kraken',
    name: 'Kraken',
    needsPassword: false,
    sandbox: false,
    accountIdentity: null,
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.kraken.com',
    apiKey: [{ describe: '56 base64 characters', pattern: /^[A-Za-z0-9+/]{54,56}={0,2}$/ }],
    secret: [{ describe: 'an 88-character base64 private key', pattern: /^[A-Za-z0-9+/]{86,88}={0,2}$/ }],
  },
  okx: {
    id: 'okx',
    name: 'OKX',
    needsPassword: true,
    sandbox: true,
    accountIdentity: 'uid',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://www.okx.com',
    apiKey: [{ describe: 'a UUID (8-4-4-4-12 hexadecimal digits)', pattern: new RegExp(`^${UUID}$`) }],
    secret: [{ describe: '32 hexadecimal characters', pattern: /^[0-9A-Fa-f]{32}$/ }],
  },
  gate: {
    id: 'gate',
    name: 'Gate',
    needsPassword: false,
    sandbox: true,
    accountIdentity: 'uid',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.gateio.ws',
    apiKey: [{ describe: '32 hexadecimal characters', pattern: /^[0-9a-fA-F]{32}$/ }],
    secret: [{ describe: '64 hexadecimal characters', pattern: /^[0-9a-fA-F]{64}$/ }],
  },
  bitget: {
    id: 'bitget',
    name: 'Bitget',
    needsPassword: true,
    sandbox: false,
    accountIdentity: 'uid',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.bitget.com',
    apiKey: [{ describe: '20 to 64 letters, digits or _ (they start with bg_)', pattern: /^[A-Za-z0-9_]{20,64}$/ }],
    secret: [{ describe: '32 to 128 letters and digits', pattern: /^[A-Za-z0-9]{32,128}$/ }],
  },
  bybit: {
    id: 'bybit',
    name: 'Bybit',
    needsPassword: false,
    sandbox: true,
    accountIdentity: 'uid',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.bybit.com',
    apiKey: [{ describe: '16 to 24 letters and digits', pattern: /^[A-Za-z0-9]{16,24}$/ }],
    secret: [{ describe: '30 to 48 letters and digits (HMAC key)', pattern: /^[A-Za-z0-9]{30,48}$/ }, PEM_PRIVATE_KEY],
  },
  mexc: {
    id: 'mexc',
    name: 'MEXC',
    needsPassword: false,
    sandbox: false,
    accountIdentity: 'uid',
    requestLimitsPer: 'key',
    defaultApiOrigin: 'https://api.mexc.com',
    apiKey: [{ describe: '16 to 40 letters and digits (they start with mx0)', pattern: /^[A-Za-z0-9]{16,40}$/ }],
    secret: [{ describe: '32 to 64 letters and digits', pattern: /^[A-Za-z0-9]{32,64}$/ }],
  },
}

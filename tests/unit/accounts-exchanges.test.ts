import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { exchangeIds, exchangeSpecs } from '../../src-main/accounts/exchanges'
import { accountAddInputSchema, credentialIssues } from '../../src-main/accounts/validation'

// The catalogue is plain data (the contract and the renderer's types use it without loading ccxt); this
// keeps it true to ccxt itself.
describe('supported exchanges match ccxt', () => {
  for (const id of exchangeIds) {
    it(`${id}: required credentials, sandbox and REST origin as ccxt has them`, () => {
      const Rest = (ccxt as unknown as Record<string, new () => { requiredCredentials: Record<string, boolean>; urls: Record<string, unknown> }>)[id]
      const Pro = (ccxt.pro as unknown as Record<string, unknown>)[id]
      expect(Rest, `ccxt.${id}`).toBeDefined()
      expect(Pro, `ccxt.pro.${id}`).toBeDefined()
      if (!Rest) return
      const ex = new Rest()
      const spec = exchangeSpecs[id]
      expect(ex.requiredCredentials.apiKey).toBe(true)
      expect(ex.requiredCredentials.secret).toBe(true)
      expect(Boolean(ex.requiredCredentials.password)).toBe(spec.needsPassword)
      expect(Boolean(ex.urls.test)).toBe(spec.sandbox)
      const host = new URL(spec.defaultApiOrigin).host
      const hostname = (ex as unknown as { hostname?: string }).hostname
      const api = JSON.stringify(ex.urls.api).replaceAll('{hostname}', hostname ?? '')
      expect(api).toContain(host)
    })
  }
  it('uses the ids the brief names: coinbase (Advanced Trade) and gate', () => {
    expect([...exchangeIds]).toEqual(['binance', 'coinbase', 'kraken', 'okx', 'gate', 'bitget', 'bybit', 'mexc'])
    expect(new ccxt.coinbase().name).toMatch(/Advanced/)
  })
})

const uuid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
const alnum = (n: number) => 'aB3'.repeat(Math.ceil(n / 3)).slice(0, n)
const hex = (n: number) => 'a1f'.repeat(Math.ceil(n / 3)).slice(0, n)
const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYr0Hn2\nq1w2e3r4t5y6u7i8==\n-----END EC PRIVATE KEY-----\n'

describe('credential formats: real-looking keys pass', () => {
  const good: [(typeof exchangeIds)[number], { apiKey: string; secret: string; password?: string }][] = [
    ['binance', { apiKey: alnum(64), secret: alnum(64) }],
    ['binance', { apiKey: alnum(64), secret: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----' }],
    ['coinbase', { apiKey: `organizations/${uuid}/apiKeys/${uuid}`, secret: pem }],
    ['coinbase', { apiKey: `organizations/${uuid}/apiKeys/${uuid}`, secret: pem.replaceAll('\n', '\\n') }],
    ['coinbase', { apiKey: uuid, secret: `${alnum(86)}==` }],
    ['kraken', { apiKey: `${alnum(54)}==`, secret: `${alnum(86)}==` }],
    ['okx', { apiKey: uuid, secret: hex(32).toUpperCase(), password: 'My Passphrase 1!' }],
    ['gate', { apiKey: hex(32), secret: hex(64) }],
    ['bitget', { apiKey: `bg_${hex(32)}`, secret: hex(64), password: 'passphrase1' }],
    ['bybit', { apiKey: alnum(18), secret: alnum(36) }],
    ['mexc', { apiKey: `mx0${alnum(15)}`, secret: hex(32) }],
  ]
  for (const [exchange, creds] of good) {
    it(`${exchange} ${creds.apiKey.slice(0, 14)}…`, () => {
      expect(credentialIssues(exchange, creds)).toEqual([])
    })
  }
})

describe('credential formats: specific messages that never repeat the credential', () => {
  const secret = alnum(64)
  const cases: [(typeof exchangeIds)[number], { apiKey: string; secret: string; password?: string }, string, string][] = [
    ['binance', { apiKey: '', secret }, 'apiKey', 'The API key is empty'],
    ['binance', { apiKey: ` ${alnum(64)}`, secret }, 'apiKey', 'The API key contains spaces or line breaks; paste it again without them'],
    ['binance', { apiKey: alnum(63), secret }, 'apiKey', 'Binance API keys are 64 letters and digits; this one (63 characters) is not'],
    ['binance', { apiKey: alnum(64), secret: `${alnum(64)}\n` }, 'secret', 'The secret contains spaces or line breaks; paste it again without them'],
    ['binance', { apiKey: alnum(64), secret: alnum(12) }, 'secret', 'Binance secrets are 64 letters and digits (HMAC key) or a PEM private key (-----BEGIN … PRIVATE KEY-----); this one (12 characters) is not'],
    ['binance', { apiKey: alnum(64), secret, password: 'x' }, 'password', 'Binance API keys have no passphrase; leave it empty'],
    ['okx', { apiKey: uuid, secret: hex(32) }, 'password', 'OKX needs the passphrase you chose when you created the API key'],
    ['okx', { apiKey: uuid, secret: hex(32), password: 'pass ' }, 'password', 'The passphrase starts or ends with a space; paste it again without it'],
    ['okx', { apiKey: alnum(36), secret: hex(32), password: 'p' }, 'apiKey', 'OKX API keys are a UUID (8-4-4-4-12 hexadecimal digits); this one (36 characters) is not'],
    ['gate', { apiKey: hex(32), secret: hex(63) }, 'secret', 'Gate secrets are 64 hexadecimal characters; this one (63 characters) is not'],
  ]
  for (const [exchange, creds, field, message] of cases) {
    it(`${exchange} ${field}: ${message.slice(0, 50)}`, () => {
      const issues = credentialIssues(exchange, creds)
      expect(issues).toContainEqual({ path: [field], message })
      for (const issue of issues) {
        if (creds.apiKey.length > 4) expect(issue.message).not.toContain(creds.apiKey.trim())
        expect(issue.message).not.toContain(creds.secret.trim())
      }
    })
  }

  it('the contract schema reports the unknown exchange with the supported list', () => {
    const parsed = accountAddInputSchema.safeParse({ exchange: 'binanse', label: 'x', credentials: { apiKey: 'a', secret: 'b' } })
    expect(parsed.success).toBe(false)
    if (!parsed.success) {
      expect(parsed.error.issues[0]?.message).toBe(
        'Unknown exchange "binanse"; supported: binance, coinbase, kraken, okx, gate, bitget, bybit, mexc',
      )
    }
  })

  it('normalises the base URL to its origin', () => {
    const parsed = accountAddInputSchema.parse({
      exchange: 'binance',
      label: '  Main  ',
      apiBaseUrl: 'https://api.example.com/',
      credentials: { apiKey: alnum(64), secret },
    })
    expect(parsed).toMatchObject({ label: 'Main', apiBaseUrl: 'https://api.example.com', sandbox: false })
  })
})

import { AuthenticationError, ExchangeError } from 'ccxt'
import { describe, expect, it } from 'vitest'
import { classifyCcxtError, sanitize } from '../../src-main/venues/ccxt/classify'

// An exchange (or a proxy in front of it) that echoes the API key back changes it on the way: lower-cased,
// or cut to its start and end ("aaaabbbb…oooo2222"). What reaches the account's last test message and the
// screen must not carry any recognisable part of a credential.

const apiKey = 'AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHHIIIIJJJJKKKKLLLLMMMMNNNNOOOO2222'
const secret = 'Zq8rT5vW1xY3uP7sL0kM4nB6hG9jF2dC5aE8iO1pQ3wR7tY0uI4oP6aS9dF2gH5j'

describe('credentials echoed back in another form are redacted', () => {
  it('a lower-cased key', () => {
    const err = new AuthenticationError(`binance {"code":-2014,"msg":"API-key format invalid: ${apiKey.toLowerCase()}"}`)
    const message = classifyCcxtError(err, { exchange: 'binance', redact: [apiKey, secret] }).message
    expect(message.toLowerCase()).not.toContain(apiKey.toLowerCase().slice(0, 8))
    expect(message).toContain('API-key format invalid')
  })

  it('a key cut to its first and last eight characters', () => {
    const echo = `${apiKey.slice(0, 8).toLowerCase()}…${apiKey.slice(-8).toLowerCase()}`
    const out = sanitize(`Unknown key ${echo} for this account`, [apiKey, secret])
    expect(out).not.toMatch(/aaaabbbb|oooo2222/i)
    expect(out).toMatch(/^Unknown key …+ for this account$/)
  })

  it('any run of eight characters of the secret, in any case; shorter runs and other words stay', () => {
    const out = sanitize(`ExchangeError: bad sign for ${secret.slice(20, 30).toUpperCase()} at 2024-01-01T00:00:00Z (code 4001)`, [apiKey, secret])
    expect(out.toUpperCase()).not.toContain(secret.slice(20, 28).toUpperCase())
    expect(out).toContain('at 2024-01-01T00:00:00Z (code 4001)')
    expect(sanitize(`ticker ${apiKey.slice(0, 7)} ok`, [apiKey])).toBe(`ticker ${apiKey.slice(0, 7)} ok`)
    expect(classifyCcxtError(new ExchangeError('mexc {"code":700002,"msg":"Signature for this request is not valid."}'), { exchange: 'mexc', redact: [apiKey, secret] }).message).toContain(
      'Signature for this request is not valid.',
    )
  })
})

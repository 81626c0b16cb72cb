import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { splitEngineMessage } from '../../src-renderer/ui/engineMessage'
import { credentialsToClear } from '../../src-renderer/features/accounts/credentialFields'

// Adding an account with several mistakes: the engine names all of them at once, so the user fixes them in
// one round, and the form keeps the pasted credentials unless the refusal is about them.

const OKX_KEY = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
const OKX_SECRET = 'A1B2C3D4E5F60718293A4B5C6D7E8F90'
const FIELDS = ['exchange', 'label', 'sandbox', 'apiBaseUrl', 'credentials.apiKey', 'credentials.secret', 'credentials.password']

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

async function call(c: Core, name: string, input: unknown) {
  return c.router.invoke(name as never, input as never, { door: 'test' } as never)
}

describe('accounts.add: every mistake in one answer', () => {
  it('names a bad API base URL and a bad passphrase together', async () => {
    const c = (core = tempCore({ keychain: memoryKeychain() }))
    const reply = await call(c, 'accounts.add', {
      exchange: 'okx',
      label: 'OKX main',
      apiBaseUrl: 'http://example.com',
      credentials: { apiKey: OKX_KEY, secret: OKX_SECRET, password: ' my-okx-pass' },
    })
    expect(reply.ok).toBe(false)
    const split = splitEngineMessage(reply.ok ? '' : reply.error.message, FIELDS)
    expect(split.fields).toEqual({
      apiBaseUrl: 'Plain http:// is only allowed for this machine (localhost, 127.0.0.1); use https://',
      'credentials.password': 'The passphrase starts or ends with a space; paste it again without it',
    })
  })

  it('names a bad URL, an empty name and a bad key format together', async () => {
    const c = (core = tempCore({ keychain: memoryKeychain() }))
    const reply = await call(c, 'accounts.add', { exchange: 'binance', label: ' ', apiBaseUrl: 'ftp://x', credentials: { apiKey: 'short', secret: 'S'.repeat(64) } })
    const split = splitEngineMessage(reply.ok ? '' : reply.error.message, FIELDS)
    expect(Object.keys(split.fields).sort()).toEqual(['apiBaseUrl', 'credentials.apiKey', 'label'])
  })

  it('says a name is taken before trying the key store (which may refuse for a reason of its own)', async () => {
    const c = (core = tempCore({ keychain: memoryKeychain({}, { unavailable: 'no Secret Service provider is running' }) }))
    const reply = await call(c, 'accounts.add', { exchange: 'binance', label: 'simulated EXCHANGE', credentials: { apiKey: 'K'.repeat(64), secret: 'S'.repeat(64) } })
    expect(reply).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'An account named "Simulated exchange" already exists; choose another name' } })
  })
})


describe('the account form after a refusal', () => {
  it('keeps the pasted credentials when the refusal is about other fields', () => {
    const split = splitEngineMessage('Invalid input for accounts.add: apiBaseUrl: use https://; label: Give the account a name', FIELDS)
    expect(credentialsToClear(split)).toEqual([])
    expect(credentialsToClear(splitEngineMessage('An account named "B2015" already exists; choose another name', FIELDS))).toEqual([])
    expect(credentialsToClear(splitEngineMessage('The key store is locked: unlock it first', FIELDS))).toEqual([])
  })

  it('empties only the credential fields the refusal names, to be pasted again', () => {
    const split = splitEngineMessage(
      'Invalid input for accounts.add: apiBaseUrl: use https://; credentials.password: The passphrase starts or ends with a space; paste it again without it',
      FIELDS,
    )
    expect(credentialsToClear(split)).toEqual(['credentials.password'])
  })
})

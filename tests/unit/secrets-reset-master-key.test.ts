import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountView, SecretsStatusView } from '../../src-main/api/contract'

// The master key is gone from the OS keychain (a keychain reset, a new login keyring, the data folder
// restored on another computer): the credentials sealed with it can never be opened. Resetting the key
// deletes those boxes, keeps the accounts (as needing credentials) and makes a new key, so entering the
// credentials again works without removing every account.

const KEY = 'A'.repeat(60) + 'pppp'
const SECRET = 'S'.repeat(64)

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

async function call(c: Core, name: string, input: unknown) {
  return c.router.invoke(name as never, input as never, { door: 'test' } as never)
}
async function ok<T>(c: Core, name: string, input: unknown): Promise<T> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

describe('secrets.resetMasterKey', () => {
  it('after the keychain lost the master key: keeps the accounts, forgets their credentials, and new ones can be saved', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-reset-key-'))
    const keychain = memoryKeychain()
    let c = (core = tempCore({ keychain, dataDir }))
    const account = await ok<AccountView>(c, 'accounts.add', { exchange: 'binance', label: 'Main', credentials: { apiKey: KEY, secret: SECRET } })
    await c.stop()
    keychain.entries.clear()

    c = core = tempCore({ keychain, dataDir })
    expect(await ok<SecretsStatusView>(c, 'secrets.status', {})).toMatchObject({ mode: 'unavailable' })
    expect(await call(c, 'accounts.update', { id: account.id, credentials: { apiKey: KEY, secret: SECRET } })).toMatchObject({ ok: false })

    expect(await ok<SecretsStatusView>(c, 'secrets.resetMasterKey', {})).toMatchObject({ mode: 'keychain', locked: false })
    const [kept] = await ok<AccountView[]>(c, 'accounts.list', {})
    expect(kept).toMatchObject({ id: account.id, label: 'Main', keyMode: null })
    const saved = await ok<AccountView>(c, 'accounts.update', { id: account.id, credentials: { apiKey: KEY, secret: SECRET } })
    expect(saved).toMatchObject({ keyMode: 'keychain', keyHint: '••••pppp' })
  })

  it('is refused while the master key is there (nothing is deleted)', async () => {
    const c = (core = tempCore({ keychain: memoryKeychain() }))
    await ok<AccountView>(c, 'accounts.add', { exchange: 'binance', label: 'Main', credentials: { apiKey: KEY, secret: SECRET } })
    expect(await call(c, 'secrets.resetMasterKey', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await ok<AccountView[]>(c, 'accounts.list', {}))[0]).toMatchObject({ keyMode: 'keychain' })
  })
})

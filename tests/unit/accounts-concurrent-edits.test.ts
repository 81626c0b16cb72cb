import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountView, AccountsChanged } from '../../src-main/api/contract'

// Two edits of one account at once (two windows): a key rotation waits on the key store while a rename
// (and sandbox switch) is saved. Each edit writes only the fields it names, onto the account as it is
// when written, so neither undoes the other.

const KEY = 'A'.repeat(60) + 'pppp'
const KEY2 = 'B'.repeat(60) + 'qqqq'
const SECRET = 'S'.repeat(64)

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

async function ok<T>(c: Core, name: string, input: unknown): Promise<T> {
  const reply = await c.router.invoke(name as never, input as never, { door: 'test' } as never)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

describe('accounts: concurrent edits', () => {
  it('a key rotation saved while a rename is made elsewhere keeps the new name and sandbox flag', async () => {
    const c = (core = tempCore({ keychain: memoryKeychain() }))
    const account = await ok<AccountView>(c, 'accounts.add', { exchange: 'binance', label: 'Binance main', credentials: { apiKey: KEY, secret: SECRET } })
    const seen: AccountsChanged[] = []
    c.streams.open('accounts.changed', {}, (p) => seen.push(p as AccountsChanged))

    const [rotated, renamed] = await Promise.all([
      ok<AccountView>(c, 'accounts.update', { id: account.id, credentials: { apiKey: KEY2, secret: SECRET } }),
      ok<AccountView>(c, 'accounts.update', { id: account.id, label: 'Binance – long term', sandbox: true }),
    ])

    expect(renamed).toMatchObject({ label: 'Binance – long term', sandbox: true })
    expect(rotated).toMatchObject({ label: 'Binance – long term', sandbox: true, keyHint: '••••qqqq' })
    const [stored] = await ok<AccountView[]>(c, 'accounts.list', {})
    expect(stored).toMatchObject({ label: 'Binance – long term', sandbox: true, keyHint: '••••qqqq' })
    // Each edit changed how the account connects; each says so.
    expect(seen.filter((e) => e.change === 'updated').map((e) => e.change === 'updated' && e.reconnects)).toEqual([true, true])
  })

})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { tempCore } from '../support/temp-core'
import { recordedExchangeAccount, type RecordedWhere } from '../support/account-records'
import { rejected } from '../support/thrown'
import { AppError } from '../../src-main/api/errors'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { AccountsService } from '../../src-main/accounts/service'
import type { AccountVenue, CcxtAccountConfig, ConnectionTest } from '../../src-main/venues/ccxt/venue'
import { silentLogger } from '../../src-main/log'

// The exchange account an account's history comes from is learnt while keys may change: what is learnt for one
// key must not be recorded for another, and a key saved while it is being learnt must still be checked.

const key = (tail: string) => 'K'.repeat(60) + tail
const SECRET = 'S'.repeat(64)
const UID: Record<string, string> = { [key('aaa1')]: '111111', [key('aaa2')]: '111111', [key('bbb1')]: '222222' }

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

/** A fake exchange whose answers can be held back (a slow connection test / identity request). */
function setup() {
  const c = (core = tempCore({ keychain: memoryKeychain() }))
  let hold: Promise<void> | null = null
  const holdNext = () => {
    let release!: () => void
    hold = new Promise<void>((resolve) => (release = resolve))
    return release
  }
  const answer = async (config: CcxtAccountConfig): Promise<ConnectionTest> => {
    const waiting = hold
    hold = null
    if (waiting) await waiting
    const uid = UID[config.credentials.apiKey]
    return { ok: true, kind: null, message: 'ok', canTrade: true, balanceCount: 1, latencyMs: 1, exchangeAccount: uid ?? null }
  }
  const service = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
    createVenue: (config) =>
      ({
        id: config.accountId,
        connect: async () => {},
        testConnection: () => answer(config),
        exchangeAccount: async () => (await answer(config)).exchangeAccount,
        close: async () => {},
      }) as unknown as AccountVenue,
  })
  const recorded = (id: string, where?: RecordedWhere) => recordedExchangeAccount(c.store.sqlite, id, where)
  return { c, service, holdNext, recorded }
}

describe('accounts: learning the exchange account while the key changes', () => {
  it("a connection test of the old key that ends after a new key was saved does not record the old key's account", async () => {
    const { service, holdNext, recorded } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const release = holdNext()
    const testing = service.test(account.id)
    // Never tested: nothing to check the new key against, so it is saved at once.
    await service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    release()
    await rejected(testing, AppError)
    expect(recorded(account.id)).not.toBe('111111')
    // The new key's own test records its account, and its owner's rotated key is then accepted as the same.
    await service.test(account.id)
    expect(recorded(account.id)).toBe('222222')
  })

  it('a test of the old key that ends after a new key was saved writes nothing onto the new key, and says so', async () => {
    const { service, holdNext } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const release = holdNext()
    const testing = service.test(account.id)
    await service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    release()
    const error = await rejected(testing, AppError)
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('test it again')
    // The new key was never tested: no OK, latency or time of a test that was about the old one.
    expect(service.get(account.id)).toMatchObject({ keyHint: '••••bbb1', lastTest: null, canTrade: null })
  })

  it('a test that ends after the account moved to the test network writes nothing onto the new environment', async () => {
    const { service, holdNext } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const release = holdNext()
    const testing = service.test(account.id)
    await service.update({ id: account.id, sandbox: true })
    release()
    await rejected(testing, AppError)
    expect(service.get(account.id)).toMatchObject({ sandbox: true, lastTest: null })
  })

  it("a new key saved while the account's exchange account is being learnt is still checked against it", async () => {
    const { c, service, holdNext, recorded } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const releaseTest = holdNext()
    const testing = service.test(account.id)
    // The new key's sealing waits (the key store) while the test of the current key ends and records its account.
    const seal = c.secrets.seal.bind(c.secrets)
    let sealing!: () => void
    const sealStarted = new Promise<void>((resolve) => (sealing = resolve))
    let releaseSeal!: () => void
    const sealGate = new Promise<void>((resolve) => (releaseSeal = resolve))
    vi.spyOn(c.secrets, 'seal').mockImplementationOnce(async (...args) => {
      sealing()
      await sealGate
      return seal(...args)
    })
    const updating = service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    await sealStarted
    releaseTest()
    await testing
    expect(recorded(account.id)).toBe('111111')
    releaseSeal()
    const error = await rejected(updating, AppError)
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(service.get(account.id)).toMatchObject({ keyHint: '••••aaa1' })
  })

  it("a move back checked with the account's key does not take along another key saved meanwhile unchecked", async () => {
    const { service, holdNext } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    await service.test(account.id)
    await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    const release = holdNext()
    // This window moves it back to the live exchange: its key (uid 111111's) is being tested there...
    const moving = service.update({ id: account.id, sandbox: false })
    await new Promise((resolve) => setTimeout(resolve, 20))
    // ...while another window saves another user's key on the test network (nothing recorded there: unchecked).
    await service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    release()
    const error = await rejected(moving, AppError)
    expect(error.message).toContain("The account's key belongs to another Binance account (uid 222222)")
    expect(service.get(account.id)).toMatchObject({ sandbox: true, keyHint: '••••bbb1' })
  })

  it('a key checked while another window moved the account to the test network does not record the live account there', async () => {
    const { service, holdNext, recorded } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    await service.test(account.id)
    expect(recorded(account.id)).toBe('111111')
    const release = holdNext()
    // This window's new key is being tested on the live exchange...
    const updating = service.update({ id: account.id, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    await new Promise((resolve) => setTimeout(resolve, 20))
    // ...while another window moves the account to the test network, whose user is another (learnt at its first test).
    await service.update({ id: account.id, sandbox: true })
    release()
    await updating
    expect(service.get(account.id)).toMatchObject({ sandbox: true, keyHint: '••••aaa2' })
    expect(recorded(account.id, { sandbox: true })).toBeNull()
    expect(recorded(account.id)).toBe('111111')
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { migrationsUpTo, tempCore, tempDir, migrationsDir } from '../support/temp-core'
import { recordedExchangeAccount } from '../support/account-records'
import { openStore } from '../../src-main/store/open'
import { rejected } from '../support/thrown'
import { AppError } from '../../src-main/api/errors'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { AccountsService } from '../../src-main/accounts/service'
import type { AccountVenue, CcxtAccountConfig, ConnectionTest } from '../../src-main/venues/ccxt/venue'
import { silentLogger } from '../../src-main/log'
import { splitEngineMessage } from '../../src-renderer/ui/engineMessage'

// A new key for an account must belong to the same exchange account: a key of another user would merge that
// account's fills, orders and balances into this one's history. The exchange account is learnt at the first
// good connection test; a key change is tested first and refused, with nothing changed, when the key is
// another account's (or when it cannot be told whose it is); a rotated key of the same account is accepted.

const key = (tail: string) => 'K'.repeat(60) + tail
const SECRET = 'S'.repeat(64)
/** Which exchange account (uid) each key belongs to, as the fake exchange answers. */
const UID: Record<string, string> = { [key('aaa1')]: '111111', [key('aaa2')]: '111111', [key('bbb1')]: '222222', [key('sss1')]: '900000', [key('sss2')]: '900000' }

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

function setup(answer: (config: CcxtAccountConfig) => ConnectionTest = goodAnswer, dataDir?: string) {
  const c = (core = tempCore({ keychain: memoryKeychain(), ...(dataDir ? { dataDir } : {}) }))
  const built: CcxtAccountConfig[] = []
  const service = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
    createVenue: (config) => {
      built.push(config)
      return { id: config.accountId, testConnection: async () => answer(config), close: async () => {} } as unknown as AccountVenue
    },
  })
  return { c, service, built }
}

function goodAnswer(config: CcxtAccountConfig): ConnectionTest {
  const uid = UID[config.credentials.apiKey]
  if (uid === undefined) return { ok: false, kind: 'invalid-key', message: 'Binance refused the key (-2015)', canTrade: null, balanceCount: 0, latencyMs: 1, exchangeAccount: null }
  return { ok: true, kind: null, message: 'ok', canTrade: true, balanceCount: 1, latencyMs: 1, exchangeAccount: uid }
}

/** The account's row and its sealed credentials, byte for byte. */
function stored(c: Core, id: string): string {
  const rows = [
    c.store.sqlite.prepare('SELECT * FROM accounts WHERE id = ?').all(id),
    c.store.sqlite.prepare('SELECT * FROM account_secrets WHERE account_id = ?').all(id),
  ]
  return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Buffer || v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))
}

async function tested(service: AccountsService, apiKey: string) {
  const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey, secret: SECRET } })
  expect(await service.test(account.id)).toMatchObject({ ok: true })
  return account
}

describe('accounts: a new key must belong to the same exchange account', () => {
  it("refuses another account's key, leaving the stored key, the account and its last test as they were", async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    const before = stored(c, account.id)

    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error).toMatchObject({ code: 'CONFLICT' })
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(error.message).toContain('uid 111111')
    expect(error.message).toContain('add it as a new account')
    expect(stored(c, account.id)).toBe(before)
    expect(service.get(account.id)).toMatchObject({ keyHint: '••••aaa1', lastTest: { ok: true } })
    // The account editor shows it under the API key field (where it shows every refusal of a key).
    const shown = splitEngineMessage(error.message, ['label', 'credentials.apiKey', 'credentials.secret'])
    expect(shown.fields['credentials.apiKey']).toMatch(/^This key belongs to another Binance account \(uid 222222\)/)
    expect(shown.general).toBeNull()
  })

  it('accepts a rotated key of the same exchange account', async () => {
    const { service } = setup()
    const account = await tested(service, key('aaa1'))
    const view = await service.update({ id: account.id, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    expect(view.keyHint).toBe('••••aaa2')
    // and the one after it is still checked against the same exchange account
    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error.message).toContain('another Binance account (uid 222222)')
    expect(service.get(account.id).keyHint).toBe('••••aaa2')
  })

  it('refuses a new key whose account cannot be checked (the exchange refuses it), saying why', async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    const before = stored(c, account.id)
    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('zzz9'), secret: SECRET } }), AppError)
    expect(error).toMatchObject({ code: 'CONFLICT' })
    expect(error.message).toContain('could not confirm that the new key belongs to the same Binance account (uid 111111)')
    expect(error.message).toContain('-2015')
    expect(stored(c, account.id)).toBe(before)
  })

  it("refuses a new key whose account the exchange would not tell, saying the exchange's reason", async () => {
    const { c, service } = setup((config) => {
      const answer = goodAnswer(config)
      return config.credentials.apiKey === key('aaa2')
        ? { ...answer, exchangeAccount: null, exchangeAccountUnknown: 'Binance refused the request: this key has no permission for it (-2015)' }
        : answer
    })
    const account = await tested(service, key('aaa1'))
    const before = stored(c, account.id)
    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('aaa2'), secret: SECRET } }), AppError)
    expect(error.message).toContain('could not confirm that the new key belongs to the same Binance account (uid 111111)')
    expect(error.message).toContain('this key has no permission for it (-2015)')
    expect(stored(c, account.id)).toBe(before)
  })

  it('tests the new key where the account will connect (a rename in the same edit is kept)', async () => {
    const { service, built } = setup()
    const account = await tested(service, key('aaa1'))
    const view = await service.update({ id: account.id, label: 'Binance long term', credentials: { apiKey: key('aaa2'), secret: SECRET } })
    expect(view).toMatchObject({ label: 'Binance long term', keyHint: '••••aaa2' })
    expect(built.at(-1)?.credentials.apiKey).toBe(key('aaa2'))
  })

  it('an account never tested has no exchange account to compare: the new key is saved untested', async () => {
    const { service, built } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const view = await service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    expect(view.keyHint).toBe('••••bbb1')
    expect(built).toHaveLength(0)
    // its first good test learns the exchange account; from then on it is checked
    await service.test(account.id)
    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('aaa1'), secret: SECRET } }), AppError)
    expect(error.message).toContain('another Binance account (uid 111111)')
  })

  it('an account that connected (never tested) learns its exchange account in the background: a new key is checked', async () => {
    const { c, service } = setup()
    const asked: string[] = []
    const learning = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
      createVenue: (config) =>
        ({
          id: config.accountId,
          connect: async () => {},
          exchangeAccount: async () => (asked.push(config.credentials.apiKey), UID[config.credentials.apiKey] ?? null),
          close: async () => {},
        }) as unknown as AccountVenue,
    })
    const account = await learning.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const venue = await learning.openVenue(account.id)
    await venue.connect()
    await vi.waitFor(() => expect(recordedExchangeAccount(c.store.sqlite, account.id)).toBe('111111'), { timeout: 10_000 })
    expect(asked).toEqual([key('aaa1')])
    // connecting again asks nothing more
    await venue.connect()
    expect(asked).toHaveLength(1)
    const error = await rejected(service.update({ id: account.id, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error.message).toContain('another Binance account (uid 222222)')
    await learning.stop()
  })

  it('the test network has its own exchange account (a testnet user is another user): a first key there is not checked against the live one', async () => {
    const { service } = setup()
    const account = await tested(service, key('aaa1'))
    const view = await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('sss1'), secret: SECRET } })
    expect(view).toMatchObject({ sandbox: true, keyHint: '••••sss1' })
  })

  it('a key changed in the same edit that moves the account back to the live exchange is checked against the account recorded there', async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('sss1'), secret: SECRET } })
    const before = stored(c, account.id)
    const error = await rejected(service.update({ id: account.id, sandbox: false, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error).toMatchObject({ code: 'CONFLICT' })
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(error.message).toContain('uid 111111')
    expect(stored(c, account.id)).toBe(before)
    expect(service.get(account.id)).toMatchObject({ sandbox: true, keyHint: '••••sss1' })
    // its owner's rotated key goes back with it
    const view = await service.update({ id: account.id, sandbox: false, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    expect(view).toMatchObject({ sandbox: false, keyHint: '••••aaa2' })
  })

  it("moving back without a new key checks the account's key against the exchange account recorded there", async () => {
    const { c, service, built } = setup()
    const account = await tested(service, key('aaa1'))
    // on the test network (nothing recorded there) another user's key is saved unchecked...
    await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    const before = stored(c, account.id)
    // ...and does not come back to the live exchange, where the history is uid 111111's
    const error = await rejected(service.update({ id: account.id, sandbox: false }), AppError)
    expect(error).toMatchObject({ code: 'CONFLICT' })
    expect(error.message).toContain("The account's key belongs to another Binance account (uid 222222) than the Binance account (uid 111111)")
    expect(built.at(-1)).toMatchObject({ sandbox: false, credentials: { apiKey: key('bbb1') } })
    expect(stored(c, account.id)).toBe(before)
  })

  it("each environment keeps its own exchange account: a move and back checks against the test network's", async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('sss1'), secret: SECRET } })
    await service.test(account.id)
    expect(recordedExchangeAccount(c.store.sqlite, account.id, { sandbox: true })).toBe('900000')
    await service.update({ id: account.id, sandbox: false, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    expect(recordedExchangeAccount(c.store.sqlite, account.id)).toBe('111111')
    const error = await rejected(service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(error.message).toContain('uid 900000')
    const view = await service.update({ id: account.id, sandbox: true, credentials: { apiKey: key('sss2'), secret: SECRET } })
    expect(view).toMatchObject({ sandbox: true, keyHint: '••••sss2' })
  })

  it('another base URL is another environment with its own exchange account', async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    const proxy = 'https://binance-proxy.example.com'
    await service.update({ id: account.id, apiBaseUrl: proxy, credentials: { apiKey: key('bbb1'), secret: SECRET } })
    await service.test(account.id)
    expect(recordedExchangeAccount(c.store.sqlite, account.id, { apiBaseUrl: proxy })).toBe('222222')
    expect(recordedExchangeAccount(c.store.sqlite, account.id)).toBe('111111')
    const error = await rejected(service.update({ id: account.id, apiBaseUrl: null }), AppError)
    expect(error.message).toContain("The account's key belongs to another Binance account (uid 222222)")
  })

  it("the exchange's own API written out as a base URL is the live exchange, not another environment: a new key is checked there", async () => {
    const { c, service } = setup()
    const account = await tested(service, key('aaa1'))
    const before = stored(c, account.id)
    // the URL the form shows as the placeholder for "the exchange's own API", in any spelling
    const error = await rejected(service.update({ id: account.id, apiBaseUrl: 'https://API.binance.com/', credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error).toMatchObject({ code: 'CONFLICT' })
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(error.message).toContain('uid 111111')
    expect(stored(c, account.id)).toBe(before)
    // its owner's key goes there; a test there keeps the one record the live exchange has
    const view = await service.update({ id: account.id, apiBaseUrl: 'https://api.binance.com', credentials: { apiKey: key('aaa2'), secret: SECRET } })
    expect(view).toMatchObject({ apiBaseUrl: 'https://api.binance.com', keyHint: '••••aaa2' })
    await service.test(account.id)
    expect(c.store.sqlite.prepare('SELECT api_base_url, exchange_account FROM account_exchange_accounts WHERE account_id = ?').all(account.id)).toEqual([
      { api_base_url: '', exchange_account: '111111' },
    ])
    // and back to the exchange's own API with another user's key: still checked
    const back = await rejected(service.update({ id: account.id, apiBaseUrl: null, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(back.message).toContain('This key belongs to another Binance account (uid 222222)')
  })

  it('an exchange that cannot tell whose key it is (Kraken) is not checked', async () => {
    const { service, built } = setup(() => ({ ok: true, kind: null, message: 'ok', canTrade: null, balanceCount: 1, latencyMs: 1, exchangeAccount: null }))
    const krakenKey = (n: string) => 'k'.repeat(53) + n + '='
    const account = await service.add({ exchange: 'kraken', label: 'Kraken', credentials: { apiKey: krakenKey('1'), secret: 'x'.repeat(86) + '==' } })
    await service.test(account.id)
    const view = await service.update({ id: account.id, credentials: { apiKey: krakenKey('2'), secret: 'y'.repeat(86) + '==' } })
    expect(view.keyHint).toBe(`••••${krakenKey('2').slice(-4)}`)
    expect(built).toHaveLength(1) // the test only: the key change asked nothing
  })
})

describe('accounts: upgrading a database that recorded one exchange account per account', () => {
  it('keeps each recorded exchange account for the environment the account connected to', () => {
    const dataDir = tempDir('co-exchange-account-')
    const old = openStore(dataDir, migrationsUpTo('0047_rate_holds_held_ms'))
    const put = old.sqlite.prepare(
      "INSERT INTO accounts (id, exchange, label, sandbox, api_base_url, key_hint, exchange_account, created_at, updated_at) VALUES (?, 'binance', ?, ?, ?, '••••AAAA', ?, 1, 2)",
    )
    put.run('live', 'Live', 0, null, '111111')
    put.run('test', 'Test', 1, null, '900000')
    put.run('proxy', 'Proxy', 0, 'https://binance-proxy.example.com', '222222')
    put.run('never', 'Never tested', 0, null, null)
    old.close()
    const store = openStore(dataDir, migrationsDir)
    expect(recordedExchangeAccount(store.sqlite, 'live')).toBe('111111')
    expect(recordedExchangeAccount(store.sqlite, 'live', { sandbox: true })).toBeNull()
    expect(recordedExchangeAccount(store.sqlite, 'test', { sandbox: true })).toBe('900000')
    expect(recordedExchangeAccount(store.sqlite, 'test')).toBeNull()
    expect(recordedExchangeAccount(store.sqlite, 'proxy', { apiBaseUrl: 'https://binance-proxy.example.com' })).toBe('222222')
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM account_exchange_accounts').get()).toEqual({ n: 3 })
    store.close()
  })

  it("an account recorded with the exchange's own API written out still checks a key for the live exchange against it", async () => {
    const dataDir = tempDir('co-exchange-account-')
    const old = openStore(dataDir, migrationsUpTo('0047_rate_holds_held_ms'))
    old.sqlite
      .prepare(
        "INSERT INTO accounts (id, exchange, label, sandbox, api_base_url, key_hint, exchange_account, created_at, updated_at) VALUES ('spelled', 'binance', 'Spelled', 0, 'https://api.binance.com', '••••aaa1', '111111', 1, 2)",
      )
      .run()
    old.close()
    const { service } = setup(goodAnswer, dataDir)
    const error = await rejected(service.update({ id: 'spelled', apiBaseUrl: null, credentials: { apiKey: key('bbb1'), secret: SECRET } }), AppError)
    expect(error.message).toContain('This key belongs to another Binance account (uid 222222)')
    expect(error.message).toContain('uid 111111')
  })
})

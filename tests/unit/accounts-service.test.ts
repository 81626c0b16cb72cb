import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { AccountsService } from '../../src-main/accounts/service'
import type { AccountTestResult, AccountView, AccountsChanged, ExchangeInfo, SecretsStatusView } from '../../src-main/api/contract'
import type { AccountVenue, CcxtAccountConfig, ConnectionTest } from '../../src-main/venues/ccxt/venue'
import { silentLogger } from '../../src-main/log'

const ctx = { door: 'test' } as const
const alnum = (n: number, seed = 'aB3') => seed.repeat(Math.ceil(n / seed.length)).slice(0, n)
const API_KEY = alnum(60, 'Kx7') + 'Z9y1'
const SECRET = alnum(64, 'Sq2w')
const OKX_KEY = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
const OKX_SECRET = 'A1B2C3D4E5F60718293A4B5C6D7E8F90'
const OKX_PASSPHRASE = 'Tr1cky passphrase!'

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

function start(keychain = memoryKeychain()): Core {
  core = tempCore({ keychain })
  return core
}

async function call(c: Core, name: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }> {
  return c.router.invoke(name, input, ctx) as never
}

async function ok<T>(c: Core, name: string, input: unknown): Promise<T> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

const binanceInput = (over: Record<string, unknown> = {}) => ({
  exchange: 'binance',
  label: 'Main',
  credentials: { apiKey: API_KEY, secret: SECRET },
  ...over,
})

/** Every row of the tables this module (and secrets/) owns. */
function snapshot(c: Core): string {
  const rows = ['accounts', 'account_secrets', 'secrets_keyring'].map((t) => c.store.sqlite.prepare(`SELECT * FROM ${t}`).all())
  return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Buffer || v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))
}

/** An AccountsService on the same engine whose venues are fakes that report what they were built with. */
function withFakeVenues(c: Core, answer: (config: CcxtAccountConfig) => ConnectionTest) {
  const built: CcxtAccountConfig[] = []
  const service = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
    createVenue: (config) => {
      built.push(config)
      return { id: config.accountId, testConnection: async () => answer(config), close: async () => {} } as unknown as AccountVenue
    },
  })
  return { service, built }
}

describe('accounts: add, list, update, remove', () => {
  it('adds an account: credentials sealed, only a key hint shown, announced on accounts.changed', async () => {
    const c = start()
    const seen: AccountsChanged[] = []
    c.streams.open('accounts.changed', {}, (p) => seen.push(p as AccountsChanged))
    const view = await ok<AccountView>(c, 'accounts.add', binanceInput({ apiBaseUrl: 'https://proxy.example.com/' }))
    expect(view).toMatchObject({
      exchange: 'binance',
      exchangeName: 'Binance',
      label: 'Main',
      sandbox: false,
      apiBaseUrl: 'https://proxy.example.com',
      keyHint: '••••Z9y1',
      keyMode: 'keychain',
      canTrade: null,
      lastTest: null,
    })
    expect(await ok<AccountView[]>(c, 'accounts.list', {})).toEqual([view])
    expect(seen).toEqual([{ change: 'added', id: view.id, account: view }])
    const sealed = c.store.sqlite.prepare('SELECT * FROM account_secrets').get() as Record<string, Buffer | string>
    expect(sealed.key_mode).toBe('keychain')
    expect(sealed.iv).toHaveLength(12)
    expect(sealed.auth_tag).toHaveLength(16)
    expect(Buffer.from(sealed.ciphertext as Buffer).includes(Buffer.from(SECRET))).toBe(false)
    expect(snapshot(c)).not.toContain(SECRET)
    expect(snapshot(c)).not.toContain(API_KEY)
  })

  it('lists the supported exchanges with what each needs', async () => {
    const c = start()
    const list = await ok<ExchangeInfo[]>(c, 'exchanges.list', {})
    expect(list.map((e) => e.id)).toEqual(['binance', 'coinbase', 'kraken', 'okx', 'gate', 'bitget', 'bybit', 'mexc'])
    expect(list.find((e) => e.id === 'okx')).toMatchObject({ needsPassword: true, sandbox: true })
    expect(list.find((e) => e.id === 'kraken')).toMatchObject({ needsPassword: false, sandbox: false })
  })

  it('updates label, sandbox and base URL; changing the endpoint clears the last test', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', binanceInput())
    const { service } = withFakeVenues(c, () => ({ ok: true, kind: null, message: 'ok', canTrade: true, balanceCount: 3, latencyMs: 12 }))
    await service.test(added.id)
    expect(service.get(added.id).lastTest).toMatchObject({ ok: true, canTrade: true, balanceCount: 3 })
    const renamed = await ok<AccountView>(c, 'accounts.update', { id: added.id, label: 'Renamed' })
    expect(renamed).toMatchObject({ label: 'Renamed', canTrade: true })
    expect(renamed.lastTest).not.toBeNull()
    const moved = await ok<AccountView>(c, 'accounts.update', { id: added.id, sandbox: true, apiBaseUrl: 'http://127.0.0.1:9000' })
    expect(moved).toMatchObject({ sandbox: true, apiBaseUrl: 'http://127.0.0.1:9000', canTrade: null, lastTest: null })
    const cleared = await ok<AccountView>(c, 'accounts.update', { id: added.id, apiBaseUrl: null })
    expect(cleared.apiBaseUrl).toBeNull()
  })

  it('replaces the credentials: new hint, new seal, and the venue gets the new ones', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', binanceInput())
    const before = snapshot(c)
    const newKey = alnum(60, 'Nn4') + 'QQ77'
    const updated = await ok<AccountView>(c, 'accounts.update', { id: added.id, credentials: { apiKey: newKey, secret: alnum(64, 'zz9') } })
    expect(updated.keyHint).toBe('••••QQ77')
    expect(snapshot(c)).not.toBe(before)
    const { service, built } = withFakeVenues(c, () => ({ ok: true, kind: null, message: 'ok', canTrade: null, balanceCount: 0, latencyMs: 1 }))
    await service.test(added.id)
    expect(built[0]?.credentials).toEqual({ apiKey: newKey, secret: alnum(64, 'zz9') })
    expect(built[0]).toMatchObject({ exchange: 'binance', sandbox: false, apiBaseUrl: null, accountId: added.id })
  })

  it('keeps the OKX passphrase sealed with the key', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', {
      exchange: 'okx',
      label: 'OKX',
      sandbox: true,
      credentials: { apiKey: OKX_KEY, secret: OKX_SECRET, password: OKX_PASSPHRASE },
    })
    expect(added).toMatchObject({ exchange: 'okx', sandbox: true, keyHint: '••••3301' })
    const { service, built } = withFakeVenues(c, () => ({ ok: true, kind: null, message: 'ok', canTrade: null, balanceCount: 0, latencyMs: 1 }))
    await service.test(added.id)
    expect(built[0]?.credentials).toEqual({ apiKey: OKX_KEY, secret: OKX_SECRET, password: OKX_PASSPHRASE })
    expect(snapshot(c)).not.toContain(OKX_PASSPHRASE)
  })

  it('removes the account and its sealed secret in one go', async () => {
    const c = start()
    const keep = await ok<AccountView>(c, 'accounts.add', binanceInput({ label: 'Keep' }))
    const drop = await ok<AccountView>(c, 'accounts.add', binanceInput({ label: 'Drop' }))
    const seen: AccountsChanged[] = []
    c.streams.open('accounts.changed', {}, (p) => seen.push(p as AccountsChanged))
    expect(await ok(c, 'accounts.remove', { id: drop.id })).toEqual({ id: drop.id, removed: true })
    expect((await ok<AccountView[]>(c, 'accounts.list', {})).map((a) => a.id)).toEqual([keep.id])
    const secrets = c.store.sqlite.prepare('SELECT account_id FROM account_secrets').all()
    expect(secrets).toEqual([{ account_id: keep.id }])
    expect(seen).toEqual([{ change: 'removed', id: drop.id, account: null }])
    expect(await call(c, 'accounts.remove', { id: drop.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('the database cascades a deleted account to its secret (foreign key)', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', binanceInput())
    c.store.sqlite.prepare('DELETE FROM accounts WHERE id = ?').run(added.id)
    expect(c.store.sqlite.prepare('SELECT COUNT(*) AS n FROM account_secrets').get()).toEqual({ n: 0 })
  })

  it('a sealed row moved to another account does not open (the account id is the AAD)', async () => {
    const c = start()
    const a = await ok<AccountView>(c, 'accounts.add', binanceInput({ label: 'A' }))
    const b = await ok<AccountView>(c, 'accounts.add', binanceInput({ label: 'B', credentials: { apiKey: alnum(64, 'q1'), secret: alnum(64, 'w2') } }))
    const rowA = c.store.sqlite.prepare('SELECT ciphertext, iv, auth_tag FROM account_secrets WHERE account_id = ?').get(a.id) as Record<string, Buffer>
    c.store.sqlite
      .prepare('UPDATE account_secrets SET ciphertext = ?, iv = ?, auth_tag = ? WHERE account_id = ?')
      .run(rowA.ciphertext, rowA.iv, rowA.auth_tag, b.id)
    const { service } = withFakeVenues(c, () => ({ ok: true, kind: null, message: 'ok', canTrade: null, balanceCount: 0, latencyMs: 1 }))
    await expect(service.test(b.id)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/could not be opened/) })
  })

  it('keeps a failed test on the account without forgetting what was known about trading', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', binanceInput())
    let next: ConnectionTest = { ok: true, kind: null, message: 'ok', canTrade: false, balanceCount: 1, latencyMs: 5 }
    const { service } = withFakeVenues(c, () => next)
    await service.test(added.id)
    next = { ok: false, kind: 'rate-limited', message: 'Binance is rate-limiting this app', canTrade: null, balanceCount: 0, latencyMs: 0 }
    const result: AccountTestResult = await service.test(added.id)
    expect(result).toMatchObject({ accountId: added.id, ok: false, kind: 'rate-limited' })
    expect(service.get(added.id)).toMatchObject({ canTrade: false, lastTest: { ok: false, kind: 'rate-limited', canTrade: null } })
  })
})

describe('accounts: invalid input is refused with a specific message and changes nothing', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['unknown exchange', 'accounts.add', binanceInput({ exchange: 'binanse' }), /exchange: Unknown exchange "binanse"; supported: binance, coinbase/],
    ['empty key', 'accounts.add', binanceInput({ credentials: { apiKey: '', secret: SECRET } }), /credentials\.apiKey: The API key is empty/],
    ['key with a space', 'accounts.add', binanceInput({ credentials: { apiKey: `${API_KEY.slice(1)} `, secret: SECRET } }), /credentials\.apiKey: The API key contains spaces/],
    ['short key', 'accounts.add', binanceInput({ credentials: { apiKey: API_KEY.slice(4), secret: SECRET } }), /Binance API keys are 64 letters and digits; this one \(60 characters\) is not/],
    ['missing passphrase', 'accounts.add', { exchange: 'okx', label: 'x', credentials: { apiKey: OKX_KEY, secret: OKX_SECRET } }, /credentials\.password: OKX needs the passphrase/],
    ['ftp base URL', 'accounts.add', binanceInput({ apiBaseUrl: 'ftp://example.com' }), /apiBaseUrl: The base URL must start with https:\/\/ or http:\/\//],
    ['remote http base URL', 'accounts.add', binanceInput({ apiBaseUrl: 'http://example.com' }), /Plain http:\/\/ is only allowed for this machine/],
    ['base URL with a path', 'accounts.add', binanceInput({ apiBaseUrl: 'https://example.com/api' }), /origin only/],
    ['base URL with a password', 'accounts.add', binanceInput({ apiBaseUrl: 'https://u:p@example.com' }), /user name or password/],
    ['not a URL', 'accounts.add', binanceInput({ apiBaseUrl: 'example' }), /not a valid URL/],
    ['sandbox where ccxt has none', 'accounts.add', { exchange: 'kraken', label: 'k', sandbox: true, credentials: { apiKey: `${alnum(54)}==`, secret: `${alnum(86)}==` } }, /Kraken has no sandbox/],
    ['empty label', 'accounts.add', binanceInput({ label: '   ' }), /label: Give the account a name/],
    ['unknown field', 'accounts.add', binanceInput({ withdraw: true }), /withdraw/],
    ['nothing to update', 'accounts.update', { id: 'x' }, /Nothing to change/],
  ]
  for (const [name, command, input, message] of cases) {
    it(name, async () => {
      const c = start()
      await ok(c, 'accounts.add', binanceInput({ label: 'existing' }))
      const before = snapshot(c)
      const reply = await call(c, command, input)
      expect(reply.ok).toBe(false)
      if (!reply.ok) {
        expect(reply.error.code).toBe('BAD_INPUT')
        expect(reply.error.message).toMatch(message)
        expect(reply.error.message).not.toContain(SECRET)
        expect(reply.error.message).not.toContain(API_KEY.slice(0, 40))
      }
      expect(snapshot(c)).toBe(before)
    })
  }

  it('update: bad credentials, a sandbox the exchange lacks, or an unknown id change nothing', async () => {
    const c = start()
    const added = await ok<AccountView>(c, 'accounts.add', { ...binanceInput(), exchange: 'mexc', credentials: { apiKey: `mx0${alnum(15)}`, secret: alnum(32) } })
    const before = snapshot(c)
    const badCreds = await call(c, 'accounts.update', { id: added.id, label: 'new', credentials: { apiKey: 'short', secret: alnum(32) } })
    expect(badCreds).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^credentials\.apiKey: MEXC API keys are/) } })
    const sandbox = await call(c, 'accounts.update', { id: added.id, sandbox: true })
    expect(sandbox).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: 'sandbox: MEXC has no sandbox (test network) in ccxt; turn sandbox off' } })
    const missing = await call(c, 'accounts.update', { id: 'nope', label: 'x' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(snapshot(c)).toBe(before)
  })

  it('with no usable key nothing is stored, and the reason is given', async () => {
    const c = start(memoryKeychain({}, { unavailable: 'no Secret Service provider is running' }))
    const before = snapshot(c)
    const reply = await call(c, 'accounts.add', binanceInput())
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    if (!reply.ok) expect(reply.error.message).toContain('no Secret Service provider is running')
    expect(snapshot(c)).toBe(before)
  })
})

describe('secrets commands through the contract', () => {
  it('a passphrase is not offered while the email password is sealed with the keychain key', async () => {
    const c = start()
    const mail = { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'me', password: 'smtp-pw-1', from: 'a@example.com', to: 'b@example.com' }
    await ok(c, 'alerts.emailSet', mail)
    const dataDir = (c as Core & { dataDir: string }).dataDir
    await c.stop()
    // The keychain is gone on the next start: a passphrase-derived key would leave that password unreadable.
    core = tempCore({ keychain: memoryKeychain({}, { unavailable: 'no D-Bus session' }), dataDir })
    expect(await ok<SecretsStatusView>(core, 'secrets.status', {})).toMatchObject({ mode: 'unavailable', canUsePassphrase: false })
    expect(await call(core, 'secrets.usePassphrase', { passphrase: 'a long passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('1 stored credential(s) are sealed with the keychain') },
    })
    // Without the password (settings kept, password cleared) the passphrase is offered.
    await ok(core, 'alerts.emailSet', { ...mail, password: null })
    expect(await ok<SecretsStatusView>(core, 'secrets.status', {})).toMatchObject({ canUsePassphrase: true })
  })

  it('status, passphrase opt-in and unlock', async () => {
    const keychain = memoryKeychain({}, { unavailable: 'no D-Bus session' })
    const c = start(keychain)
    expect(await ok<SecretsStatusView>(c, 'secrets.status', {})).toMatchObject({ mode: 'unavailable', canUsePassphrase: true })
    expect(await call(c, 'secrets.usePassphrase', { passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(await ok<SecretsStatusView>(c, 'secrets.usePassphrase', { passphrase: 'a long passphrase' })).toEqual({
      mode: 'passphrase',
      locked: false,
      detail: 'Unlocked with your passphrase for this session',
    })
    const added = await ok<AccountView>(c, 'accounts.add', binanceInput())
    expect(added.keyMode).toBe('passphrase')

    // restart on the same data dir: locked until unlocked
    const dataDir = (c as Core & { dataDir: string }).dataDir
    await c.stop()
    core = tempCore({ keychain, dataDir })
    const again = core
    expect(await ok<SecretsStatusView>(again, 'secrets.status', {})).toMatchObject({ mode: 'passphrase', locked: true })
    expect((await ok<AccountView[]>(again, 'accounts.list', {})).map((a) => a.id)).toEqual([added.id])
    const wrong = await call(again, 'secrets.unlock', { passphrase: 'a wrong passphrase' })
    expect(wrong).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong passphrase: it does not open the credentials stored in this database (4 more tries before each try waits)' } })
    expect(await ok<SecretsStatusView>(again, 'secrets.unlock', { passphrase: 'a long passphrase' })).toMatchObject({ locked: false })
  })
})

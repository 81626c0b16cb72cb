import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, randomKey, type BinanceFixture } from '../support/binance/fixture'
import { tempCore, tempDir } from '../support/temp-core'
import { commandValue } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import { consoleLogger, type Logger } from '../../src-main/log'
import { keytarKeychain } from '../../src-main/secrets/keytar-keychain'
import { MASTER_KEY_ACCOUNT, memoryKeychain } from '../../src-main/secrets/keychain'
import { DB_FILE_NAME } from '../../src-main/store/open'
import type { AccountTestResult, AccountView, SecretsStatusView } from '../../src-main/api/contract'

// The real OS keychain (Secret Service on Linux: run through scripts/with-keyring.sh). The master key is
// created in it, survives an engine restart, and opens the credentials sealed before the restart. Then
// the database file, its WAL and everything logged are searched for the credentials and the passphrase.
// A per-run keychain service name keeps the developer's real "CryptoOrchestrator" item untouched.

const ctx = { door: 'test' } as const
const service = `CryptoOrchestrator-test-${crypto.randomUUID()}`
interface Keytar {
  getPassword(s: string, a: string): Promise<string | null>
  deletePassword(s: string, a: string): Promise<boolean>
}
let keytar: Keytar
let fx: BinanceFixture
const logLines: string[] = []
const log: Logger = consoleLogger('engine', { error: (line: string) => logLines.push(line) })
const dataDir = tempDir('co-keychain-')
const cores: Core[] = []

// What must never be stored or logged in clear.
const binanceSecret = () => fx.keys.trader.secret
const unknownSecret = randomKey()
const OKX_SECRET = crypto.randomBytes(16).toString('hex').toUpperCase()
const OKX_PASSPHRASE = `okx-pass-${crypto.randomBytes(6).toString('hex')}`
const APP_PASSPHRASE = `app-pass-${crypto.randomBytes(6).toString('hex')}`

beforeAll(async () => {
  keytar = (await import('keytar')) as unknown as Keytar
  try {
    await keytar.getPassword(service, 'probe')
  } catch (err) {
    throw new Error(`No usable OS keychain (${String(err)}). Run through scripts/with-keyring.sh.`)
  }
  fx = await createBinanceFixture()
})

afterAll(async () => {
  for (const core of cores) await core.stop().catch(() => undefined)
  await fx?.close()
  await keytar?.deletePassword(service, MASTER_KEY_ACCOUNT).catch(() => false)
})

function engine(options: Parameters<typeof tempCore>[0] = {}): Core {
  const core = tempCore({ dataDir, keychain: keytarKeychain({ service }), log, ...options })
  cores.push(core)
  return core
}

/** The text and its base64 (at every alignment) and hex forms. */
function forms(secret: string): string[] {
  const out = [secret, Buffer.from(secret).toString('hex')]
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from(secret.slice(shift)).toString('base64').replace(/=+$/, '')
    out.push(b64.slice(0, b64.length - 2))
  }
  return out
}

function filesOf(dir: string): Buffer[] {
  return [DB_FILE_NAME, `${DB_FILE_NAME}-wal`, `${DB_FILE_NAME}-shm`]
    .map((f) => path.join(dir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f))
}

function expectNowhere(secrets: string[], blobs: Buffer[], what: string): void {
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      for (const blob of blobs) {
        expect(blob.includes(Buffer.from(form, 'utf8')), `${what} contains a form of a secret`).toBe(false)
        expect(blob.includes(Buffer.from(form, 'utf16le')), `${what} contains a UTF-16 form of a secret`).toBe(false)
      }
    }
  }
}

describe('the master key in the real OS keychain', () => {
  let binanceId = ''

  it('is created in the keychain on first use', async () => {
    const core = engine()
    expect(await keytar.getPassword(service, MASTER_KEY_ACCOUNT)).toBeNull()
    const status = await commandValue<SecretsStatusView>(core, 'secrets.status', {})
    expect(status.mode).toBe('keychain')
    const stored = await keytar.getPassword(service, MASTER_KEY_ACCOUNT)
    expect(stored).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(stored ?? '', 'base64')).toHaveLength(32)

    const { apiKey, secret } = fx.keys.trader
    const binance = await commandValue<AccountView>(core, 'accounts.add', {
      exchange: 'binance',
      label: 'Local Binance',
      apiBaseUrl: fx.server.restUrl,
      credentials: { apiKey, secret },
    })
    binanceId = binance.id
    expect(binance.keyMode).toBe('keychain')
    await commandValue(core, 'accounts.add', {
      exchange: 'okx',
      label: 'OKX',
      credentials: { apiKey: crypto.randomUUID(), secret: OKX_SECRET, password: OKX_PASSPHRASE },
    })
    await commandValue(core, 'accounts.add', {
      exchange: 'binance',
      label: 'Unknown key',
      apiBaseUrl: fx.server.restUrl,
      credentials: { apiKey: randomKey(), secret: unknownSecret },
    })
    expect((await commandValue<AccountTestResult>(core, 'accounts.test', { id: binanceId })).ok).toBe(true)
    await core.stop()
  })

  it('survives an engine restart: the same key, and the sealed credentials open with it', async () => {
    const before = await keytar.getPassword(service, MASTER_KEY_ACCOUNT)
    const core = engine()
    expect(await commandValue<SecretsStatusView>(core, 'secrets.status', {})).toMatchObject({ mode: 'keychain', locked: false })
    expect(await keytar.getPassword(service, MASTER_KEY_ACCOUNT)).toBe(before)
    expect((await commandValue<AccountView[]>(core, 'accounts.list', {})).length).toBe(3)
    const result = await commandValue<AccountTestResult>(core, 'accounts.test', { id: binanceId })
    expect(result).toMatchObject({ ok: true, canTrade: true, balanceCount: 2 })
    // a failure is logged and kept; it must not leak either
    const accounts = await commandValue<AccountView[]>(core, 'accounts.list', {})
    const unknown = accounts.find((a) => a.label === 'Unknown key')
    expect((await commandValue<AccountTestResult>(core, 'accounts.test', { id: unknown?.id })).kind).toBe('invalid-key')

    // while the engine runs (WAL not yet checkpointed) and after it stops
    expectNowhere([binanceSecret(), unknownSecret, OKX_SECRET, OKX_PASSPHRASE], filesOf(dataDir), 'the open database')
    await core.stop()
    expectNowhere([binanceSecret(), unknownSecret, OKX_SECRET, OKX_PASSPHRASE], filesOf(dataDir), 'the closed database')
  })

  it('nothing logged carries a credential or a passphrase', () => {
    expect(logLines.some((l) => l.includes('account added'))).toBe(true)
    expectNowhere([binanceSecret(), unknownSecret, OKX_SECRET, OKX_PASSPHRASE, APP_PASSPHRASE], [Buffer.from(logLines.join('\n'))], 'the log')
  })

  it('a wrong key in the keychain is noticed, not used', async () => {
    const good = await keytar.getPassword(service, MASTER_KEY_ACCOUNT)
    const setter = (await import('keytar')) as unknown as { setPassword(s: string, a: string, p: string): Promise<void> }
    await setter.setPassword(service, MASTER_KEY_ACCOUNT, crypto.randomBytes(32).toString('base64'))
    const core = engine()
    const status = await commandValue<SecretsStatusView>(core, 'secrets.status', {})
    expect(status).toMatchObject({ mode: 'unavailable', canUsePassphrase: false })
    const refused = await core.router.invoke('accounts.test', { id: binanceId }, ctx)
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    await setter.setPassword(service, MASTER_KEY_ACCOUNT, good ?? '')
    expect(await commandValue<SecretsStatusView>(core, 'secrets.status', {})).toMatchObject({ mode: 'keychain' })
    await core.stop()
  })
})

describe('passphrase mode when the keychain is unavailable', () => {
  it('keeps the passphrase and the sealed credentials out of the files and the log', async () => {
    const dir = tempDir('co-passphrase-')
    const keychain = memoryKeychain({}, { unavailable: 'no Secret Service in this test' })
    const core = engine({ dataDir: dir, keychain })
    await commandValue(core, 'secrets.usePassphrase', { passphrase: APP_PASSPHRASE })
    const { apiKey, secret } = fx.keys.trader
    const account = await commandValue<AccountView>(core, 'accounts.add', {
      exchange: 'binance',
      label: 'Passphrase account',
      apiBaseUrl: fx.server.restUrl,
      credentials: { apiKey, secret },
    })
    await core.stop()
    const again = engine({ dataDir: dir, keychain })
    expect(await again.router.invoke('secrets.unlock', { passphrase: `${APP_PASSPHRASE}x` }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    await commandValue(again, 'secrets.unlock', { passphrase: APP_PASSPHRASE })
    expect((await commandValue<AccountTestResult>(again, 'accounts.test', { id: account.id })).ok).toBe(true)
    expectNowhere([secret, APP_PASSPHRASE], filesOf(dir), 'the passphrase-mode database')
    await again.stop()
    expectNowhere([secret, APP_PASSPHRASE], filesOf(dir), 'the closed passphrase-mode database')
    expectNowhere([secret, APP_PASSPHRASE], [Buffer.from(logLines.join('\n'))], 'the log')
  })
})

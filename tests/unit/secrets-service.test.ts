import { afterEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { SecretsService, SCRYPT } from '../../src-main/secrets/service'
import { KEYCHAIN_SERVICE, KeychainUnavailable, MASTER_KEY_ACCOUNT, memoryKeychain } from '../../src-main/secrets/keychain'
import { keytarKeychain } from '../../src-main/secrets/keytar-keychain'
import { secretsKeyring } from '../../src-main/store/schema'
import { AppError } from '../../src-main/api/errors'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempDir } from '../support/temp-core'

const stores: Store[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function store(dir = tempDir()): Store & { dir: string } {
  const s = openStore(dir, migrationsDir)
  stores.push(s)
  return Object.assign(s, { dir })
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('expected an AppError')
}

const PASS = 'correct horse battery staple'

describe('master key in the keychain', () => {
  it('is created once (32 random bytes, service CryptoOrchestrator / account master-key) and reused', async () => {
    expect(KEYCHAIN_SERVICE).toBe('CryptoOrchestrator')
    expect(MASTER_KEY_ACCOUNT).toBe('master-key')
    const keychain = memoryKeychain()
    const s = store()
    const first = new SecretsService(s.db, keychain, silentLogger)
    expect(await first.status()).toMatchObject({ mode: 'keychain', locked: false })
    const stored = keychain.entries.get('master-key')
    expect(stored).toBeDefined()
    expect(Buffer.from(stored ?? '', 'base64')).toHaveLength(32)
    const box = await first.seal('hello', 'acc-1')
    expect(box.mode).toBe('keychain')

    // an engine restart: a new service on the same database and keychain
    const second = new SecretsService(s.db, keychain, silentLogger)
    expect(await second.status()).toMatchObject({ mode: 'keychain' })
    expect(keychain.entries.get('master-key')).toBe(stored)
    expect(await second.open(box, 'keychain', 'acc-1')).toBe('hello')
    await expect(second.open(box, 'keychain', 'acc-2')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })

  it('creates only one key when asked concurrently', async () => {
    const keychain = memoryKeychain()
    let writes = 0
    const set = keychain.set.bind(keychain)
    keychain.set = async (a, v) => {
      writes++
      await set(a, v)
    }
    const service = new SecretsService(store().db, keychain, silentLogger)
    await Promise.all([service.status(), service.seal('a', 'x'), service.status(), service.seal('b', 'y')])
    expect(writes).toBe(1)
  })

  it('reports a replaced keychain key instead of sealing with it', async () => {
    const keychain = memoryKeychain()
    const s = store()
    await new SecretsService(s.db, keychain, silentLogger).status()
    keychain.entries.set('master-key', Buffer.alloc(32, 7).toString('base64'))
    const status = await new SecretsService(s.db, keychain, silentLogger).status()
    expect(status).toMatchObject({ mode: 'unavailable' })
    if (status.mode === 'unavailable') expect(status.reason).toMatch(/not the one that sealed/)
  })

  it('does not silently make a new key when the old one sealed stored credentials', async () => {
    const keychain = memoryKeychain()
    const s = store()
    await new SecretsService(s.db, keychain, silentLogger).status()
    keychain.entries.clear()
    const service = new SecretsService(s.db, keychain, silentLogger, { sealedCount: (m) => (m === 'keychain' ? 2 : 0) })
    const status = await service.status()
    expect(status).toMatchObject({ mode: 'unavailable', canUsePassphrase: false })
    if (status.mode === 'unavailable') expect(status.reason).toMatch(/missing from the OS keychain, so 2 stored/)
    expect(keychain.entries.size).toBe(0)
  })
})

describe('keychain unavailable → passphrase mode', () => {
  it('says why, refuses to seal, and never falls back to plaintext', async () => {
    const keychain = memoryKeychain({}, { unavailable: 'no D-Bus session' })
    const service = new SecretsService(store().db, keychain, silentLogger)
    const status = await service.status()
    expect(status).toEqual({
      mode: 'unavailable',
      locked: true,
      reason: 'The OS keychain is unavailable: no D-Bus session.',
      canUsePassphrase: true,
    })
    const refused = await appError(service.seal('secret', 'acc'))
    expect(refused.code).toBe('UNAVAILABLE')
    expect(refused.message).toContain('no D-Bus session')
    expect(refused.message).toContain('passphrase')
  })

  it('opts in with a passphrase: scrypt (N=2^15, r=8, p=1) with a random salt and a sealed verifier', async () => {
    const s = store()
    const service = new SecretsService(s.db, memoryKeychain({}, { unavailable: 'x' }), silentLogger)
    expect(await service.usePassphrase(PASS)).toMatchObject({ mode: 'passphrase', locked: false })
    const row = s.db.select().from(secretsKeyring).get()
    expect(row).toMatchObject({ mode: 'passphrase', kdf: 'scrypt', kdfN: 2 ** 15, kdfR: 8, kdfP: 1 })
    expect(SCRYPT.N).toBeGreaterThanOrEqual(2 ** 15)
    expect(row?.kdfSalt).toHaveLength(16)
    expect(row?.verifierCiphertext.includes(Buffer.from(PASS))).toBe(false)
    const box = await service.seal('api secret', 'acc-1')
    expect(box.mode).toBe('passphrase')
    expect(await service.open(box, 'passphrase', 'acc-1')).toBe('api secret')
  })

  it('needs an unlock per start: a wrong passphrase is refused clearly, the right one opens', async () => {
    const s = store()
    const keychain = memoryKeychain({}, { unavailable: 'x' })
    const first = new SecretsService(s.db, keychain, silentLogger)
    await first.usePassphrase(PASS)
    const box = await first.seal('api secret', 'acc-1')

    const restarted = new SecretsService(s.db, keychain, silentLogger)
    expect(await restarted.status()).toMatchObject({ mode: 'passphrase', locked: true })
    expect((await appError(restarted.seal('x', 'y'))).message).toMatch(/locked: unlock/)
    const wrong = await appError(restarted.unlock('correct horse battery stapler'))
    expect(wrong.code).toBe('FORBIDDEN')
    expect(wrong.message).toBe('Wrong passphrase: it does not open the credentials stored in this database (4 more tries before each try waits)')
    expect(await restarted.status()).toMatchObject({ mode: 'passphrase', locked: true })
    expect(await restarted.unlock(PASS)).toMatchObject({ mode: 'passphrase', locked: false })
    expect(await restarted.open(box, 'passphrase', 'acc-1')).toBe('api secret')
    // still passphrase mode even if the keychain comes back: its credentials are sealed with that key
    keychain.unavailable = undefined
    expect(await new SecretsService(s.db, keychain, silentLogger).status()).toMatchObject({ mode: 'passphrase', locked: true })
  })

  it('validates the passphrase and only offers it while the keychain is unavailable', async () => {
    const unavailable = new SecretsService(store().db, memoryKeychain({}, { unavailable: 'x' }), silentLogger)
    expect((await appError(unavailable.usePassphrase('short'))).message).toMatch(/at least 8 characters/)
    expect((await appError(unavailable.usePassphrase('        '))).message).toMatch(/only spaces/)
    const available = new SecretsService(store().db, memoryKeychain(), silentLogger)
    expect((await appError(available.usePassphrase(PASS))).code).toBe('CONFLICT')
    expect((await appError(available.unlock(PASS))).code).toBe('CONFLICT')
    const blocked = new SecretsService(store().db, memoryKeychain({}, { unavailable: 'x' }), silentLogger, {
      sealedCount: (m) => (m === 'keychain' ? 1 : 0),
    })
    expect(await blocked.status()).toMatchObject({ canUsePassphrase: false })
    expect((await appError(blocked.usePassphrase(PASS))).message).toMatch(/sealed with the keychain's master key/)
  })

  it('a box sealed in one mode does not open in the other', async () => {
    const keychainService = new SecretsService(store().db, memoryKeychain(), silentLogger)
    const box = await keychainService.seal('x', 'a')
    const passphraseService = new SecretsService(store().db, memoryKeychain({}, { unavailable: 'x' }), silentLogger)
    await passphraseService.usePassphrase(PASS)
    expect((await appError(passphraseService.open(box, 'keychain', 'a'))).message).toMatch(/sealed with the keychain key/)
  })

  it('retries the keychain while it is unavailable (it may come back)', async () => {
    const keychain = memoryKeychain({}, { unavailable: 'locked' })
    const service = new SecretsService(store().db, keychain, silentLogger)
    expect((await service.status()).mode).toBe('unavailable')
    keychain.unavailable = undefined
    expect((await service.status()).mode).toBe('keychain')
  })
})

describe('keytar keychain', () => {
  it('turns a missing keytar module into KeychainUnavailable with the reason', async () => {
    const keychain = keytarKeychain({ service: 'test', load: () => Promise.reject(new Error('Cannot find module keytar')) })
    await expect(keychain.get('master-key')).rejects.toThrow(KeychainUnavailable)
    await expect(keychain.get('master-key')).rejects.toMatchObject({ reason: expect.stringContaining('Cannot find module keytar') })
  })

  it('explains a missing Secret Service / D-Bus session', async () => {
    const failing = async () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')
    }
    const keychain = keytarKeychain({
      service: 'test',
      load: async () => ({ getPassword: failing, setPassword: failing, deletePassword: failing }),
    })
    const err = await keychain.get('master-key').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KeychainUnavailable)
    expect((err as KeychainUnavailable).reason).toMatch(/no D-Bus session is running/)
  })

  it('uses its service name with keytar', async () => {
    const calls: string[] = []
    const keychain = keytarKeychain({
      service: 'svc',
      load: async () => ({
        getPassword: async (s, a) => {
          calls.push(`get ${s} ${a}`)
          return null
        },
        setPassword: async (s, a) => {
          calls.push(`set ${s} ${a}`)
        },
        deletePassword: async (s, a) => {
          calls.push(`delete ${s} ${a}`)
          return true
        },
      }),
    })
    expect(await keychain.get('master-key')).toBeNull()
    await keychain.set('master-key', 'v')
    expect(await keychain.delete('master-key')).toBe(true)
    expect(calls).toEqual(['get svc master-key', 'set svc master-key', 'delete svc master-key'])
  })
})

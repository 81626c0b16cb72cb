import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { Logger } from '../log'
import { AppError } from '../api/errors'
import { secretsKeyring } from './tables'
import { KeychainUnavailable, MASTER_KEY_ACCOUNT, type Keychain } from './keychain'
import { KEY_BYTES, SealedBoxError, open, seal, type SealedBox } from './sealed-box'
import { SCRYPT, checkPassphrase, derive } from './kdf'
import { WrongAttempts } from '../lock/attempts'
export { SCRYPT, PASSPHRASE_MIN, PASSPHRASE_MAX } from './kdf'

// Holds the master key that seals API credentials (and the alerts' mail password and webhook URLs), and
// nothing else. Two modes:
//  - keychain:   a random 32-byte key kept in the OS keychain (service "CryptoOrchestrator", account
//                "master-key"); ready whenever the keychain is.
//  - passphrase: chosen by the user only when the keychain is unavailable; the key is derived with scrypt
//                from the passphrase and a random salt (both parameters and salt in SQLite), and must be
//                unlocked once per start. A sealed verifier tells a wrong passphrase from a right one.
//                Wrong passphrases wait as the app lock's do (lock/attempts.ts), counted in the same row.
// When neither is ready the status says why; nothing is ever stored in plaintext instead.
// The key never leaves this service: callers seal and open through it.

export type KeyMode = 'keychain' | 'passphrase'

export type SecretsStatus =
  | { mode: 'keychain'; locked: false; detail: string }
  | { mode: 'passphrase'; locked: boolean; detail: string }
  | { mode: 'unavailable'; locked: true; reason: string; canUsePassphrase: boolean }

const ROW_ID = 'master'
const VERIFIER_AAD = 'CryptoOrchestrator/secrets-keyring/verifier/v1'
const VERIFIER_TEXT = 'CryptoOrchestrator master key verifier v1'

export interface SecretsServiceOptions {
  /** How many stored credentials are sealed with a key of this mode (the accounts module answers). */
  sealedCount?: (mode: KeyMode) => number
  now?: () => number
}

type State =
  | { kind: 'ready'; mode: KeyMode; key: Buffer }
  | { kind: 'locked' }
  | { kind: 'unavailable'; reason: string; retry: boolean }

export class SecretsService {
  private state: State | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private readonly sealedCounts: ((mode: KeyMode) => number)[] = []
  private readonly forgetters: ((mode: KeyMode) => number)[] = []
  private readonly readyListeners: (() => void)[] = []
  private readonly now: () => number
  private readonly attempts: WrongAttempts

  constructor(
    private readonly db: Db,
    private readonly keychain: Keychain,
    private readonly log: Logger,
    options: SecretsServiceOptions = {},
  ) {
    if (options.sealedCount) this.sealedCounts.push(options.sealedCount)
    this.now = options.now ?? Date.now
    this.attempts = new WrongAttempts(
      {
        read: () => {
          const row = this.readRow()
          return { failures: row?.failures ?? 0, retryAt: row?.retryAt ?? null }
        },
        write: ({ failures, retryAt }) =>
          void this.db.update(secretsKeyring).set({ failures, retryAt }).where(eq(secretsKeyring.id, ROW_ID)).run(),
      },
      this.now,
    )
  }

  /** Lets a module that seals (exchange accounts, the email channel) report how many boxes each key mode holds. */
  addSealedCount(count: (mode: KeyMode) => number): void {
    this.sealedCounts.push(count)
  }

  /** Lets a module that seals delete its boxes sealed with a key of this mode (run in resetMasterKey's transaction). */
  addForget(forget: (mode: KeyMode) => number): void {
    this.forgetters.push(forget)
  }

  /**
   * The master key is lost (missing from the keychain, or another key there): deletes every box sealed with
   * it, which can never be opened again, and makes a new key. What held them stays (accounts then need
   * their credentials entered again). Refused while the key is usable or the keychain cannot be reached.
   */
  resetMasterKey(): Promise<SecretsStatus> {
    return this.exclusive(async () => {
      await this.settle()
      if (this.state?.kind !== 'unavailable' || this.readRow()?.mode === 'passphrase') {
        throw new AppError('CONFLICT', 'The master key is usable; there is nothing to reset (no credential was deleted)')
      }
      let stored: string | null
      try {
        stored = await this.keychain.get(MASTER_KEY_ACCOUNT)
      } catch (err) {
        const reason = err instanceof KeychainUnavailable ? err.reason : 'the keychain failed unexpectedly'
        throw new AppError('UNAVAILABLE', `The OS keychain is unavailable: ${reason}. Make it available first (no credential was deleted)`)
      }
      let forgotten = 0
      this.db.transaction(() => {
        for (const forget of this.forgetters) forgotten += forget('keychain')
        this.db.delete(secretsKeyring).where(eq(secretsKeyring.id, ROW_ID)).run()
      })
      // An item this app cannot use (not a 32-byte key) is replaced; a valid key there is adopted.
      if (stored !== null && !decodeKey(stored)) await this.keychain.delete(MASTER_KEY_ACCOUNT)
      this.state = undefined
      await this.settle()
      this.log.warn(`master key reset: ${forgotten} stored credential(s) that could not be opened were deleted`)
      return this.describe()
    })
  }

  /**
   * Called each time the master key becomes usable (at the first use of a keychain key, a passphrase
   * unlocked or chosen): data kept in plaintext until a key was there can be sealed then.
   */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener)
  }

  private sealedCount(mode: KeyMode): number {
    return this.sealedCounts.reduce((n, count) => n + count(mode), 0)
  }

  /** Where the master key stands. An unavailable keychain is asked again on every call (it may be back). */
  status(): Promise<SecretsStatus> {
    return this.exclusive(async () => {
      await this.settle()
      return this.describe()
    })
  }

  /** The mode a seal made now would use, or null when sealing is impossible. Never waits for the keychain. */
  currentMode(): KeyMode | null {
    return this.state?.kind === 'ready' ? this.state.mode : null
  }

  /** Opts in to a passphrase-derived key. Only while the keychain is unavailable and nothing is sealed yet. */
  usePassphrase(passphrase: string): Promise<SecretsStatus> {
    return this.exclusive(async () => {
      await this.settle()
      const state = this.state
      if (state?.kind !== 'unavailable') {
        throw new AppError(
          'CONFLICT',
          state?.kind === 'locked' || this.readRow()?.mode === 'passphrase'
            ? 'A passphrase is already set for this database; unlock it with secrets.unlock'
            : 'The OS keychain holds the master key; a passphrase is only offered when the keychain is unavailable',
        )
      }
      const blocked = this.passphraseBlockedBy()
      if (blocked) throw new AppError('CONFLICT', blocked)
      checkPassphrase(passphrase)
      const salt = crypto.randomBytes(SCRYPT.saltBytes)
      const key = await derive(passphrase, salt, SCRYPT)
      this.writeKeyring(key, { mode: 'passphrase', kdf: 'scrypt', kdfSalt: salt, kdfN: SCRYPT.N, kdfR: SCRYPT.r, kdfP: SCRYPT.p })
      this.setReady('passphrase', key)
      this.log.info('credentials are now protected by a passphrase-derived key')
      return this.describe()
    })
  }

  /** Derives the key from the passphrase and checks it against the stored verifier. */
  unlock(passphrase: string): Promise<SecretsStatus> {
    return this.exclusive(async () => {
      await this.settle()
      const row = this.readRow()
      if (row?.mode !== 'passphrase') {
        throw new AppError('CONFLICT', 'Credentials are not protected by a passphrase; there is nothing to unlock')
      }
      if (row.kdf !== 'scrypt' || !row.kdfSalt || !row.kdfN || !row.kdfR || !row.kdfP) {
        throw new AppError('UNAVAILABLE', 'The stored key-derivation settings are damaged; the passphrase cannot be checked')
      }
      if (typeof passphrase !== 'string' || passphrase.length === 0) {
        throw new AppError('BAD_INPUT', 'Enter the passphrase')
      }
      this.attempts.mayTry()
      const key = await derive(passphrase, row.kdfSalt, { N: row.kdfN, r: row.kdfR, p: row.kdfP })
      if (!verifies(key, row)) {
        key.fill(0)
        throw this.attempts.wrong('Wrong passphrase: it does not open the credentials stored in this database')
      }
      this.attempts.right()
      if (this.state?.kind === 'ready') this.state.key.fill(0)
      this.setReady('passphrase', key)
      return this.describe()
    })
  }

  /** Seals with the master key; AppError UNAVAILABLE (saying why) when there is no usable key. */
  async seal(plaintext: string, aad: string): Promise<SealedBox & { mode: KeyMode }> {
    const { key, mode } = await this.readyKey()
    return { ...seal(key, plaintext, aad), mode }
  }

  /** Opens a box sealed by seal(); the caller passes the mode recorded with it. */
  async open(box: SealedBox, mode: KeyMode, aad: string): Promise<string> {
    const ready = await this.readyKey()
    if (ready.mode !== mode) {
      throw new AppError(
        'UNAVAILABLE',
        `These credentials were sealed with the ${mode} key, but the ${ready.mode} key is in use; enter them again`,
      )
    }
    try {
      return open(ready.key, box, aad).toString('utf8')
    } catch (err) {
      if (err instanceof SealedBoxError) {
        throw new AppError('UNAVAILABLE', 'The stored credentials could not be opened (wrong key, or the row was altered); enter them again')
      }
      throw err
    }
  }

  /** Forgets the key held in memory. */
  stop(): Promise<void> {
    return this.exclusive(async () => {
      if (this.state?.kind === 'ready') this.state.key.fill(0)
      this.state = undefined
    })
  }

  private async readyKey(): Promise<{ key: Buffer; mode: KeyMode }> {
    return this.exclusive(async () => {
      await this.settle()
      const state = this.state
      if (state?.kind === 'ready') return { key: state.key, mode: state.mode }
      const status = this.describe()
      if (status.mode === 'passphrase') {
        throw new AppError('UNAVAILABLE', 'Credentials are locked: unlock them with your passphrase first')
      }
      throw new AppError(
        'UNAVAILABLE',
        `Credentials cannot be sealed or opened: ${status.mode === 'unavailable' ? status.reason : 'no key'}` +
          (status.mode === 'unavailable' && status.canUsePassphrase ? ' You may protect them with a passphrase instead.' : ''),
      )
    })
  }

  /** Works out the state once, and again while the keychain is unavailable (it may have come back). */
  private async settle(): Promise<void> {
    if (this.state && !(this.state.kind === 'unavailable' && this.state.retry)) return
    const row = this.readRow()
    if (row?.mode === 'passphrase') {
      this.state = { kind: 'locked' }
      return
    }
    let stored: string | null
    try {
      stored = await this.keychain.get(MASTER_KEY_ACCOUNT)
    } catch (err) {
      const reason = err instanceof KeychainUnavailable ? err.reason : 'the keychain failed unexpectedly'
      if (!(err instanceof KeychainUnavailable)) this.log.error('keychain read failed', err)
      this.setUnavailable(`The OS keychain is unavailable: ${reason}.`)
      return
    }
    if (stored !== null) {
      const key = decodeKey(stored)
      if (!key) {
        this.setUnavailable('The master key in the OS keychain is not a 32-byte key; it was not written by this app.')
        return
      }
      if (row && !verifies(key, row)) {
        key.fill(0)
        this.setUnavailable(
          'The master key in the OS keychain is not the one that sealed the credentials in this database. ' +
            'Remove the accounts and add them again, or restore the original keychain item.',
        )
        return
      }
      if (!row) this.writeKeychainVerifier(key)
      this.setReady('keychain', key)
      return
    }
    // No master key yet. Make one, unless this database holds credentials sealed with a previous one.
    const orphaned = this.sealedCount('keychain')
    if (row && orphaned > 0) {
      this.setUnavailable(
        `The master key is missing from the OS keychain, so ${orphaned} stored credential(s) sealed with it ` +
          'cannot be opened. Remove them (the exchange accounts, the email password on the Alerts page, alerts with a webhook) and enter them again.',
      )
      return
    }
    try {
      await this.keychain.set(MASTER_KEY_ACCOUNT, crypto.randomBytes(KEY_BYTES).toString('base64'))
      // Read back what the keychain holds (another process may have written first): that is the key.
      const readBack = await this.keychain.get(MASTER_KEY_ACCOUNT)
      const key = readBack === null ? null : decodeKey(readBack)
      if (!key) {
        this.setUnavailable('The OS keychain accepted the master key but did not return it.')
        return
      }
      this.writeKeychainVerifier(key)
      this.setReady('keychain', key)
      this.log.info(`created the master key in the ${this.keychain.description}`)
    } catch (err) {
      const reason = err instanceof KeychainUnavailable ? err.reason : 'the keychain failed unexpectedly'
      if (!(err instanceof KeychainUnavailable)) this.log.error('keychain write failed', err)
      this.setUnavailable(`The OS keychain is unavailable: ${reason}.`)
    }
  }

  /** The key is usable; whoever waits for it (plaintext to seal) hears so, after this operation. */
  private setReady(mode: KeyMode, key: Buffer): void {
    this.state = { kind: 'ready', mode, key }
    for (const listener of this.readyListeners) {
      setImmediate(() => {
        try {
          listener()
        } catch (err) {
          this.log.error('a key store listener failed', err)
        }
      })
    }
  }

  private setUnavailable(reason: string): void {
    this.state = { kind: 'unavailable', reason, retry: true }
  }

  private describe(): SecretsStatus {
    const state = this.state
    if (state?.kind === 'ready') {
      return state.mode === 'keychain'
        ? { mode: 'keychain', locked: false, detail: `Master key held in the ${this.keychain.description}` }
        : { mode: 'passphrase', locked: false, detail: 'Unlocked with your passphrase for this session' }
    }
    if (state?.kind === 'locked') {
      return { mode: 'passphrase', locked: true, detail: 'Protected by a passphrase; unlock to use the accounts' }
    }
    return {
      mode: 'unavailable',
      locked: true,
      reason: state?.reason ?? 'The key store has not been checked yet.',
      canUsePassphrase: this.passphraseBlockedBy() === null,
    }
  }

  /** Why a passphrase cannot be chosen now, or null when it can. */
  private passphraseBlockedBy(): string | null {
    const sealed = this.sealedCount('keychain')
    if (sealed > 0) {
      return (
        `${sealed} stored credential(s) are sealed with the keychain's master key; make the keychain ` +
        'available again, or remove them (the exchange accounts, the email password, alerts with a webhook) before choosing a passphrase'
      )
    }
    return null
  }

  private writeKeychainVerifier(key: Buffer): void {
    this.writeKeyring(key, { mode: 'keychain', kdf: null, kdfSalt: null, kdfN: null, kdfR: null, kdfP: null })
  }

  /** Stores how the master key is obtained, with a sealed verifier that detects a wrong key later. */
  private writeKeyring(
    key: Buffer,
    how: Pick<typeof secretsKeyring.$inferInsert, 'mode' | 'kdf' | 'kdfSalt' | 'kdfN' | 'kdfR' | 'kdfP'>,
  ): void {
    const verifier = seal(key, VERIFIER_TEXT, VERIFIER_AAD)
    const at = this.now()
    const row = {
      ...how,
      verifierCiphertext: verifier.ciphertext,
      verifierIv: verifier.iv,
      verifierTag: verifier.tag,
      updatedAt: at,
    }
    this.db
      .insert(secretsKeyring)
      .values({ id: ROW_ID, createdAt: at, ...row })
      .onConflictDoUpdate({ target: secretsKeyring.id, set: row })
      .run()
  }

  private readRow(): typeof secretsKeyring.$inferSelect | undefined {
    return this.db.select().from(secretsKeyring).where(eq(secretsKeyring.id, ROW_ID)).get()
  }

  /** One operation at a time, so two callers can never create two master keys. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }
}

function verifies(key: Buffer, row: { verifierCiphertext: Buffer; verifierIv: Buffer; verifierTag: Buffer }): boolean {
  try {
    const text = open(key, { ciphertext: row.verifierCiphertext, iv: row.verifierIv, tag: row.verifierTag }, VERIFIER_AAD)
    return text.toString('utf8') === VERIFIER_TEXT
  } catch {
    return false
  }
}

function decodeKey(stored: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(stored)) return null
  const key = Buffer.from(stored, 'base64')
  return key.length === KEY_BYTES ? key : null
}

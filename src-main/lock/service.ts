import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { EventBus, EngineEvents } from '../bus'
import type { Logger } from '../log'
import { AppError } from '../api/errors'
import { SCRYPT, checkPassphrase, derive, type ScryptParams } from '../secrets/kdf'
import type { LockStatus } from '../api/schemas/lock'
import { appLock } from './tables'
import { WrongAttempts } from './attempts'

const ROW_ID = 'app'
type LockReason = EngineEvents['appLocked']['reason']

export interface LockOptions {
  db: Db
  bus: EventBus
  log: Logger
  now: () => number
  /** Minutes without input before it locks (0: never): the lock.idleMinutes setting, read when checked. */
  idleMinutes: () => number
  /** scrypt's cost (tests lower it; a stored verifier keeps the parameters it was made with). */
  scrypt?: ScryptParams
  /** How often the idle clock is looked at (default 5 s). */
  checkEveryMs?: number
  /** The idle clock's source: monotonic, so a wall clock set back or forward neither stops nor fires it (default performance.now). */
  monotonic?: () => number
}

/**
 * The app lock. With a passphrase set, the engine starts locked, locks on request and after idle minutes,
 * and unlocks on the passphrase; while locked the doors answer only what the lock screen needs
 * (lock/guard.ts). Wrong passphrases are counted in SQLite, and after five each try waits longer (lock/attempts.ts).
 * It hides the app from whoever sits at the screen; it is not encryption of the database (credentials
 * are sealed by secrets/ either way).
 */
export class LockService {
  private locked = false
  /** On the monotonic clock. */
  private lastInput: number
  private readonly monotonic: () => number
  private timer: NodeJS.Timeout | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private readonly attempts: WrongAttempts

  constructor(private readonly o: LockOptions) {
    this.monotonic = o.monotonic ?? (() => performance.now())
    this.lastInput = this.monotonic()
    this.attempts = new WrongAttempts(
      {
        read: () => {
          const row = this.row()
          return { failures: row?.failures ?? 0, retryAt: row?.retryAt ?? null }
        },
        write: ({ failures, retryAt }) => void o.db.update(appLock).set({ failures, retryAt }).where(eq(appLock.id, ROW_ID)).run(),
      },
      o.now,
    )
  }

  start(): void {
    if (this.row()) this.setLocked('start')
    this.timer = setInterval(() => this.checkIdle(), this.o.checkEveryMs ?? 5_000)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  isLocked(): boolean {
    return this.locked
  }

  status(): LockStatus {
    const row = this.row()
    return {
      enabled: row !== undefined,
      locked: this.locked,
      idleMinutes: this.o.idleMinutes(),
      failures: row?.failures ?? 0,
      retryAt: row ? this.attempts.retryAt() : null,
    }
  }

  /** A key press or click on a screen: the idle clock starts again. */
  touch(): void {
    if (!this.locked) this.lastInput = this.monotonic()
  }

  checkIdle(): void {
    const minutes = this.o.idleMinutes()
    if (this.locked || minutes <= 0 || !this.row()) return
    if (this.monotonic() - this.lastInput >= minutes * 60_000) this.setLocked('idle')
  }

  /** The computer's screen locked or it went to sleep (the desktop shell says so): lock too, if a passphrase is set. */
  lockWithSystem(): void {
    if (!this.locked && this.row()) this.setLocked('system')
  }

  lock(): LockStatus {
    if (!this.row()) throw new AppError('CONFLICT', 'No lock passphrase is set: set one under Settings → Security first')
    if (!this.locked) this.setLocked('manual')
    return this.status()
  }

  unlock(passphrase: string): Promise<LockStatus> {
    return this.exclusive(async () => {
      const row = this.row()
      if (!row) {
        this.locked = false
        return this.status()
      }
      await this.check(passphrase, 'Wrong passphrase')
      if (this.locked) {
        this.locked = false
        this.lastInput = this.monotonic()
        this.changed()
      }
      return this.status()
    })
  }

  /** Sets the passphrase, or changes it (the current one is asked first). Setting it does not lock. */
  setPassphrase(current: string | undefined, next: string): Promise<LockStatus> {
    return this.exclusive(async () => {
      checkPassphrase(next)
      if (this.row()) {
        if (current === undefined) throw new AppError('BAD_INPUT', 'Type the current passphrase to change it')
        await this.check(current, 'The current passphrase is wrong')
      }
      const params = this.o.scrypt ?? SCRYPT
      const salt = crypto.randomBytes(16)
      const verifier = await derive(next, salt, params)
      const values = { verifier, salt, kdfN: params.N, kdfR: params.r, kdfP: params.p, failures: 0, retryAt: null, updatedAt: this.o.now() }
      this.o.db
        .insert(appLock)
        .values({ id: ROW_ID, ...values })
        .onConflictDoUpdate({ target: appLock.id, set: values })
        .run()
      // Typing the passphrase is input: the idle clock starts now, not when the engine started (no screen
      // reports activity while no passphrase is set).
      this.lastInput = this.monotonic()
      this.changed()
      return this.status()
    })
  }

  /** Removes the lock (the current passphrase is asked first). */
  clear(current: string): Promise<LockStatus> {
    return this.exclusive(async () => {
      if (!this.row()) throw new AppError('CONFLICT', 'No lock passphrase is set')
      await this.check(current, 'The current passphrase is wrong')
      this.o.db.delete(appLock).where(eq(appLock.id, ROW_ID)).run()
      this.locked = false
      this.changed()
      return this.status()
    })
  }

  /** Checks a passphrase against the stored verifier, counting wrong ones; throws when it is wrong or must wait. */
  private async check(passphrase: string, wrong: string): Promise<void> {
    const row = this.row()!
    this.attempts.mayTry()
    const derived = await derive(passphrase, row.salt, { N: row.kdfN, r: row.kdfR, p: row.kdfP })
    if (derived.length === row.verifier.length && crypto.timingSafeEqual(derived, row.verifier)) {
      this.lastInput = this.monotonic() // the right passphrase was just typed
      this.attempts.right()
      return
    }
    const refused = this.attempts.wrong(wrong)
    this.changed()
    throw refused
  }

  private setLocked(reason: LockReason): void {
    this.locked = true
    this.o.log.info(`app locked (${reason})`)
    this.o.bus.emit('appLocked', { at: this.o.now(), reason, idleMinutes: this.o.idleMinutes() })
    this.changed()
  }

  private changed(): void {
    this.o.bus.emit('lockChanged', { status: this.status() })
  }

  private row() {
    return this.o.db.select().from(appLock).where(eq(appLock.id, ROW_ID)).get()
  }

  /** One passphrase check at a time, so two quick tries cannot both pass the wrong-attempt count. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }
}

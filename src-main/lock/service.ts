import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { EventBus, EngineEvents } from '../bus'
import type { Logger } from '../log'
import { AppError } from '../api/errors'
import { SCRYPT, checkPassphrase, derive, type ScryptParams } from '../secrets/kdf'
import type { LockStatus } from '../api/schemas/lock'
import { appLock } from './tables'

const ROW_ID = 'app'
type LockReason = EngineEvents['appLocked']['reason']
/** Wrong passphrases allowed before each further try waits: 30 s, doubling, at most 15 minutes. */
export const FREE_ATTEMPTS = 5
const FIRST_WAIT_MS = 30_000
const MAX_WAIT_MS = 15 * 60_000

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
 * (lock/guard.ts). Wrong passphrases are counted in SQLite, and after FREE_ATTEMPTS each try waits longer.
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

  constructor(private readonly o: LockOptions) {
    this.monotonic = o.monotonic ?? (() => performance.now())
    this.lastInput = this.monotonic()
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
      retryAt: row ? this.retryAt(row) : null,
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
    const now = this.o.now()
    const retryAt = this.retryAt(row)
    if (retryAt !== null) throw tooMany(retryAt - now)
    const derived = await derive(passphrase, row.salt, { N: row.kdfN, r: row.kdfR, p: row.kdfP })
    if (derived.length === row.verifier.length && crypto.timingSafeEqual(derived, row.verifier)) {
      this.lastInput = this.monotonic() // the right passphrase was just typed
      if (row.failures !== 0) this.o.db.update(appLock).set({ failures: 0, retryAt: null }).where(eq(appLock.id, ROW_ID)).run()
      return
    }
    const failures = row.failures + 1
    const wait = waitAfter(failures)
    this.o.db.update(appLock).set({ failures, retryAt: wait > 0 ? this.o.now() + wait : null }).where(eq(appLock.id, ROW_ID)).run()
    this.changed()
    const left = FREE_ATTEMPTS - failures
    throw new AppError(
      'FORBIDDEN',
      wait > 0 ? `${wrong}. Try again in ${waitText(wait)}` : `${wrong} (${left} more ${left === 1 ? 'try' : 'tries'} before each try waits)`,
    )
  }

  /**
   * When the next try may be made, or null when it may be made now. The time is stored on the wall clock so
   * it outlasts a restart; one further away than the failure count's wait can only come from a clock set
   * back since, so it is brought back to now + that wait (and stored so), never longer.
   */
  private retryAt(row: { failures: number; retryAt: number | null }): number | null {
    if (row.retryAt === null) return null
    const now = this.o.now()
    const latest = now + waitAfter(row.failures)
    if (row.retryAt > latest) {
      this.o.db.update(appLock).set({ retryAt: latest }).where(eq(appLock.id, ROW_ID)).run()
      return latest > now ? latest : null
    }
    return row.retryAt > now ? row.retryAt : null
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

/** The wait after this many wrong passphrases: none for the first FREE_ATTEMPTS - 1, then 30 s doubling, at most 15 min. */
function waitAfter(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_ATTEMPTS))
}

function tooMany(ms: number): AppError {
  return new AppError('TOO_MANY_ATTEMPTS', `Too many wrong passphrases: try again in ${waitText(ms)}`)
}

function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000)
  return s < 90 ? `${s} s` : `${Math.ceil(s / 60)} min`
}

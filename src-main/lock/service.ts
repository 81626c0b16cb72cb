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

/** One connected screen's idle clock (on the monotonic clock), whether it locked itself, and when (a step, see LockService.step). */
interface Screen {
  lastInput: number
  idleLocked: boolean
  lockedAt: number
}

/**
 * The app lock. With a passphrase set, the engine starts locked, locks on request and with the computer,
 * and unlocks on the passphrase; while locked the doors answer only what the lock screen needs
 * (lock/guard.ts). Idle minutes are counted per screen (an app window, a browser tab): a screen left
 * without input locks itself alone, whatever is done on the others, until its passphrase is typed there. Wrong passphrases are counted in SQLite, and after five each try waits longer (lock/attempts.ts).
 * It hides the app from whoever sits at the screen; it is not encryption of the database (credentials
 * are sealed by secrets/ either way).
 */
export class LockService {
  /** The engine-wide lock (start, manual, system): every screen is locked while it holds. */
  private locked = false
  private readonly screens = new Map<number, Screen>()
  private nextScreen = 1
  /** The newest input on any screen (monotonic): a screen opened after long silence starts locked. */
  private lastInput: number
  /** When a screen was last closed while idle-locked (a reload of it): new screens start locked until a passphrase is typed after it. */
  private lockedScreenLeftAt: number | null = null
  /** When the passphrase was last typed right (on any screen). */
  private lastUnlockAt = 0
  /**
   * Locks and unlocks are ordered by this counter, not by a clock: a lock and an unlock in the same
   * millisecond must still say which came first.
   */
  private steps = 0
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

  /**
   * A screen connected: its idle clock starts now. It starts locked when another screen idle-locked, or one
   * was closed so, after the passphrase was last typed, or no screen had input for the idle minutes: a reload
   * or a new tab does not open a screen that was left, while the reload that follows an unlock opens unlocked.
   */
  openScreen(): number {
    const id = this.nextScreen++
    const since = this.lastUnlockAt
    const locked =
      this.idleLimitMs() !== null &&
      ((this.lockedScreenLeftAt ?? -1) > since || [...this.screens.values()].some((s) => s.idleLocked && s.lockedAt > since) || this.idleFor(this.lastInput))
    this.screens.set(id, { lastInput: this.monotonic(), idleLocked: locked, lockedAt: locked ? this.step() : 0 })
    return id
  }

  closeScreen(id: number): void {
    if (this.screens.get(id)?.idleLocked) this.lockedScreenLeftAt = this.step()
    this.screens.delete(id)
  }

  /** Locked for this screen (the engine-wide lock, or its own idle lock); without a screen, the engine-wide lock. */
  isLocked(screen?: number): boolean {
    return this.locked || (screen !== undefined && this.screens.get(screen)?.idleLocked === true)
  }

  /** Whether any screen is locked (desktop notices then say only that something arrived). */
  anyLocked(): boolean {
    return this.locked || [...this.screens.values()].some((s) => s.idleLocked)
  }

  status(screen?: number): LockStatus {
    const row = this.row()
    return {
      enabled: row !== undefined,
      locked: this.isLocked(screen),
      idleMinutes: this.o.idleMinutes(),
      failures: row?.failures ?? 0,
      retryAt: row ? this.attempts.retryAt() : null,
    }
  }

  /** A key press or click on a screen: its idle clock starts again (not while it is locked). */
  touch(screen?: number): void {
    if (!this.isLocked(screen)) this.input(screen)
  }

  /** Locks each screen left without input for the idle minutes; the others stay as they are. */
  checkIdle(): void {
    if (this.locked || this.idleLimitMs() === null) return
    for (const s of this.screens.values()) {
      if (s.idleLocked || !this.idleFor(s.lastInput)) continue
      s.idleLocked = true
      s.lockedAt = this.step()
      this.announce('idle')
    }
  }

  /** The computer's screen locked or it went to sleep (the desktop shell says so): lock too, if a passphrase is set. */
  lockWithSystem(): void {
    if (!this.locked && this.row()) this.setLocked('system')
  }

  lock(screen?: number): LockStatus {
    if (!this.row()) throw new AppError('CONFLICT', 'No lock passphrase is set: set one under Settings → Security first')
    if (!this.locked) this.setLocked('manual')
    return this.status(screen)
  }

  /** Opens the engine-wide lock and this screen's own idle lock; other idle-locked screens stay locked. */
  unlock(passphrase: string, screen?: number): Promise<LockStatus> {
    return this.exclusive(async () => {
      const row = this.row()
      if (!row) {
        this.unlockAll()
        return this.status(screen)
      }
      await this.check(passphrase, 'Wrong passphrase', screen)
      if (this.isLocked(screen)) {
        this.locked = false
        const own = screen === undefined ? undefined : this.screens.get(screen)
        if (own) own.idleLocked = false
        this.changed()
      }
      return this.status(screen)
    })
  }

  /** Sets the passphrase, or changes it (the current one is asked first). Setting it does not lock. */
  setPassphrase(current: string | undefined, next: string, screen?: number): Promise<LockStatus> {
    return this.exclusive(async () => {
      checkPassphrase(next)
      if (this.row()) {
        if (current === undefined) throw new AppError('BAD_INPUT', 'Type the current passphrase to change it')
        await this.check(current, 'The current passphrase is wrong', screen)
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
      // Typing the passphrase is input: the idle clock starts now, not when the engine started.
      this.input(screen)
      this.changed()
      return this.status(screen)
    })
  }

  /** Removes the lock (the current passphrase is asked first). */
  clear(current: string, screen?: number): Promise<LockStatus> {
    return this.exclusive(async () => {
      if (!this.row()) throw new AppError('CONFLICT', 'No lock passphrase is set')
      await this.check(current, 'The current passphrase is wrong', screen)
      this.o.db.delete(appLock).where(eq(appLock.id, ROW_ID)).run()
      this.unlockAll()
      this.changed()
      return this.status(screen)
    })
  }

  /** Checks a passphrase against the stored verifier, counting wrong ones; throws when it is wrong or must wait. */
  private async check(passphrase: string, wrong: string, screen: number | undefined): Promise<void> {
    const row = this.row()!
    this.attempts.mayTry()
    const derived = await derive(passphrase, row.salt, { N: row.kdfN, r: row.kdfR, p: row.kdfP })
    if (derived.length === row.verifier.length && crypto.timingSafeEqual(derived, row.verifier)) {
      this.input(screen) // the right passphrase was just typed
      this.lastUnlockAt = this.step()
      this.attempts.right()
      return
    }
    const refused = this.attempts.wrong(wrong)
    this.changed()
    throw refused
  }

  private setLocked(reason: LockReason): void {
    this.locked = true
    this.announce(reason)
  }

  private announce(reason: LockReason): void {
    this.o.log.info(reason === 'idle' ? 'a screen locked (idle)' : `app locked (${reason})`)
    this.o.bus.emit('appLocked', { at: this.o.now(), reason, idleMinutes: this.o.idleMinutes() })
    this.changed()
  }

  /**
   * The lock changed for the engine or for one screen. The event carries the engine-wide status; each
   * screen's lock.changed stream tells it its own (lock/guard.ts), so the others just hear it unchanged.
   */
  private changed(): void {
    this.o.bus.emit('lockChanged', { status: this.status() })
  }

  private input(screen: number | undefined): void {
    const now = this.monotonic()
    this.lastInput = now
    const s = screen === undefined ? undefined : this.screens.get(screen)
    if (s) s.lastInput = now
  }

  private step(): number {
    return ++this.steps
  }

  private unlockAll(): void {
    this.locked = false
    this.lockedScreenLeftAt = null
    for (const s of this.screens.values()) s.idleLocked = false
  }

  /** The idle limit in ms, or null when there is none (no passphrase, or 0 minutes). */
  private idleLimitMs(): number | null {
    const minutes = this.o.idleMinutes()
    return minutes > 0 && this.row() ? minutes * 60_000 : null
  }

  private idleFor(since: number): boolean {
    const limit = this.idleLimitMs()
    return limit !== null && this.monotonic() - since >= limit
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

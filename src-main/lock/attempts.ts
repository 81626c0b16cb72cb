import { AppError } from '../api/errors'

// The wait after wrong passphrases, shared by the app lock and the credentials' passphrase (secrets/):
// after FREE_ATTEMPTS wrong ones in a row each try waits, 30 s doubling up to 15 minutes, and the right one
// starts the count again. The count lives in the owner's own row, so it outlasts a restart.

/** Wrong passphrases allowed before each further try waits: 30 s, doubling, at most 15 minutes. */
export const FREE_ATTEMPTS = 5
const FIRST_WAIT_MS = 30_000
const MAX_WAIT_MS = 15 * 60_000

export interface AttemptCount {
  /** Wrong passphrases in a row. */
  failures: number
  /** No passphrase is checked before this time (ms UTC, wall clock); null when there is no wait. */
  retryAt: number | null
}

/** Where a count is kept: a row of the module that owns the passphrase. */
export interface AttemptStore {
  read(): AttemptCount
  write(count: AttemptCount): void
}

export class WrongAttempts {
  constructor(
    private readonly store: AttemptStore,
    private readonly now: () => number,
  ) {}

  failures(): number {
    return this.store.read().failures
  }

  /**
   * When the next try may be made, or null when it may be made now. The time is stored on the wall clock so
   * it outlasts a restart; one further away than the failure count's wait can only come from a clock set
   * back since, so it is brought back to now + that wait (and stored so), never longer.
   */
  retryAt(): number | null {
    const count = this.store.read()
    if (count.retryAt === null) return null
    const now = this.now()
    const latest = now + waitAfter(count.failures)
    if (count.retryAt > latest) {
      this.store.write({ failures: count.failures, retryAt: latest })
      return latest > now ? latest : null
    }
    return count.retryAt > now ? count.retryAt : null
  }

  /** Throws TOO_MANY_ATTEMPTS, saying how long to wait, while a wait runs. Call before checking a passphrase. */
  mayTry(): void {
    const retryAt = this.retryAt()
    if (retryAt !== null) {
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many wrong passphrases: try again in ${waitText(retryAt - this.now())}`)
    }
  }

  /** Counts a wrong passphrase and returns the error to throw: `wrong`, with the tries left or the wait. */
  wrong(wrong: string): AppError {
    const failures = this.store.read().failures + 1
    const wait = waitAfter(failures)
    this.store.write({ failures, retryAt: wait > 0 ? this.now() + wait : null })
    const left = FREE_ATTEMPTS - failures
    return new AppError(
      'FORBIDDEN',
      wait > 0 ? `${wrong}. Try again in ${waitText(wait)}` : `${wrong} (${left} more ${left === 1 ? 'try' : 'tries'} before each try waits)`,
    )
  }

  /** The right passphrase: the count starts again. */
  right(): void {
    const count = this.store.read()
    if (count.failures !== 0 || count.retryAt !== null) this.store.write({ failures: 0, retryAt: null })
  }
}

/** The wait after this many wrong passphrases: none for the first FREE_ATTEMPTS - 1, then 30 s doubling, at most 15 min. */
function waitAfter(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_ATTEMPTS))
}

function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000)
  return s < 90 ? `${s} s` : `${Math.ceil(s / 60)} min`
}

import { z } from 'zod'
import { PASSPHRASE_MAX, PASSPHRASE_MIN } from '../../secrets/kdf'

// The app lock (lock/): a passphrase that hides every screen of the app until it is typed, at start, on
// request and after idle minutes. The engine keeps running while locked (conditional orders stay armed).

export const lockStatusSchema = z.object({
  /** A lock passphrase is set. */
  enabled: z.boolean(),
  locked: z.boolean(),
  /** Minutes without input before it locks (0: never); the lock.idleMinutes setting. */
  idleMinutes: z.number().int(),
  /** Wrong passphrases in a row. */
  failures: z.number().int(),
  /** No passphrase is checked before this time (ms UTC). */
  retryAt: z.number().int().nullable(),
})

const passphrase = z.string().max(PASSPHRASE_MAX, `The passphrase must be at most ${PASSPHRASE_MAX} characters long`)
const newPassphrase = passphrase
  .min(PASSPHRASE_MIN, `The passphrase must be at least ${PASSPHRASE_MIN} characters long`)
  .refine((s) => s.trim().length > 0, 'The passphrase cannot be only spaces')

export const lockCommands = {
  'lock.status': { input: z.object({}).strict(), output: lockStatusSchema },
  /** The user pressed a key or clicked: the idle clock starts again. */
  'lock.activity': { input: z.object({}).strict(), output: z.null() },
  'lock.lock': { input: z.object({}).strict(), output: lockStatusSchema },
  'lock.unlock': { input: z.object({ passphrase: passphrase.min(1, 'Type the passphrase') }).strict(), output: lockStatusSchema },
  /** Sets or changes the passphrase; changing it needs the current one. */
  'lock.setPassphrase': { input: z.object({ current: passphrase.optional(), next: newPassphrase }).strict(), output: lockStatusSchema },
  /** Removes the lock; needs the current passphrase. */
  'lock.clear': { input: z.object({ current: passphrase.min(1, 'Type the current passphrase') }).strict(), output: lockStatusSchema },
} as const

export const lockStreams = {
  'lock.changed': { params: z.object({}).strict(), payload: lockStatusSchema },
} as const

export type LockStatus = z.infer<typeof lockStatusSchema>

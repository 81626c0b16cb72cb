import { openLedger, type LedgerContext } from './ledger-context'
import { recordCliAct } from './audit-command'
import type { Logger } from '../log'

/** A CLI act recorded in the audit log (door "cli"), done or failed. */
export interface CliAct<T> {
  action: string
  detail: string
  /** What the done act changed, for the log ('' for nothing to add). */
  made?: (result: T) => string
}

/**
 * Opens the ledger of the data folder for one command and closes it whatever happens. A command that
 * changes the ledger names its act: it is recorded in the audit log, done or failed.
 *
 * The audit entry is written after the change committed, so a failed write (a full disk, a write lock held
 * past the busy timeout) cannot undo it: it is reported through `warn` and never replaces the command's
 * own result or error — a script must not be told "nothing was imported" about an import that was saved.
 */
export async function withLedger<T>(
  dataDir: string,
  migrationsDir: string,
  log: Logger,
  run: (ledger: LedgerContext) => T | Promise<T>,
  act: CliAct<T> | undefined,
  warn: (message: string) => void,
): Promise<T> {
  const ledger = openLedger(dataDir, migrationsDir, log)
  const record = (outcome: 'ok' | 'FAILED', detail: (act: CliAct<T>) => string, done: string) => {
    if (!act) return
    try {
      recordCliAct(ledger.store.db, { action: act.action, outcome, detail: detail(act) })
    } catch (err) {
      warn(`${done}, but the audit log entry for it (${act.action} ${outcome}) could not be written: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  try {
    let result: T
    try {
      result = await run(ledger)
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      record('FAILED', (a) => `${a.detail} — ${reason}`.slice(0, 600), 'the command failed')
      throw err
    }
    record('ok', (a) => {
      const made = a.made?.(result) ?? ''
      return made === '' ? a.detail : `${a.detail} → ${made}`
    }, 'the change was saved')
    return result
  } finally {
    ledger.close()
  }
}

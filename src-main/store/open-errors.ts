import path from 'node:path'
import Database from 'better-sqlite3'

// SQLite's reasons for not opening a file name no file ("file is not a database", "unable to open database
// file"): a user with several data folders, or a script, cannot tell which one or what to do. These say.

const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/
const CANNOT_OPEN = /^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|IOERR)/
const BUSY = /^SQLITE_(BUSY|LOCKED)/
const sqliteCode = (err: unknown) => (err instanceof Database.SqliteError ? err.code : '')

/** True for an error about the file itself (not about one migration's SQL): it is explained as such. */
export function isFileProblem(err: unknown): boolean {
  return DAMAGED.test(sqliteCode(err)) || CANNOT_OPEN.test(sqliteCode(err)) || BUSY.test(sqliteCode(err))
}

/** The error to show for `err` met while opening the database `file`; the error itself when it is not a file problem. */
export function explainOpenError(err: unknown, file: string): unknown {
  const name = path.basename(file)
  const folder = path.dirname(file)
  const message = err instanceof Error ? err.message : String(err)
  if (DAMAGED.test(sqliteCode(err))) {
    return new Error(
      `The database at ${file} is damaged (${message}); nothing was changed. Restore a backup (from ${path.join(folder, 'backups')}, ` +
        `or your own) with the app closed: cryptoorchestrator restore FILE --data-dir ${JSON.stringify(folder)} (the damaged file is kept in backups/).`,
      { cause: err },
    )
  }
  if (CANNOT_OPEN.test(sqliteCode(err))) {
    return new Error(
      `Cannot open the database at ${file} (${message}). Check that the folder ${folder} is writable by you ` +
        `(SQLite writes ${name}-wal and ${name}-shm beside the database) and that nothing in it is in the way.`,
      { cause: err },
    )
  }
  if (BUSY.test(sqliteCode(err))) {
    // Another process (the app, a CLI import) held the write lock past the busy timeout while this one had
    // a migration to apply: nothing was changed, and a moment later it goes through.
    return new Error(`The database at ${file} is busy (the app is writing): try again in a moment. Nothing was changed.`, { cause: err })
  }
  const code = (err as NodeJS.ErrnoException | null)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new Error(`Cannot open the database at ${file}: its folder ${folder} cannot be created or used (${code}). Check the path and its permissions.`, { cause: err })
  }
  return err
}

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { backupDatabase, backupFileName } from './backup'
import { assertMigrationsKnown, MIGRATIONS_TABLE, type KnownMigration } from './migrations-check'
import { takeEngineLock } from './engine-lock'
import { DB_FILE_NAME } from './open'

// Putting a backup back as the data folder's database. Only with no engine on the folder (the engine lock
// is held for the whole swap, so the app cannot start half-way through), and never by overwriting: the
// backup is checked, copied beside the database under a temporary name and checked again; the database as
// it was is first copied to backups/ (it may hold what the user now regrets losing); its WAL is
// checkpointed into it so removing the side files drops nothing; then one rename puts the copy in place.

export class RestoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreError'
  }
}

export interface RestoreResult {
  /** The backup that was put back. */
  from: string
  /** The data folder's database, now the backup's content. */
  path: string
  bytes: number
  /** Where the database as it was before is kept, or null when there was none. */
  previous: string | null
}

export async function restoreDatabase(source: string, dataDir: string, known: KnownMigration[], at: number): Promise<RestoreResult> {
  const from = path.resolve(source)
  const target = path.join(dataDir, DB_FILE_NAME)
  if (from === target) throw new RestoreError(`${from} is the data folder's own database; name a backup file`)
  checkBackup(from, known)
  fs.mkdirSync(dataDir, { recursive: true })
  const lock = takeEngineLock(dataDir, 'cli restore')
  const staged = `${target}.restoring`
  try {
    fs.rmSync(staged, { force: true })
    await copyConsistent(from, staged)
    assertIntact(staged, from)
    const previous = fs.existsSync(target) ? await keepPrevious(target, dataDir, at) : null
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${side}`, { force: true })
    fs.renameSync(staged, target)
    return { from, path: target, bytes: fs.statSync(target).size, previous }
  } catch (err) {
    fs.rmSync(staged, { force: true })
    throw err
  } finally {
    lock.release()
  }
}

/** A readable SQLite file, intact, written by this app (its migrations table), by this or an older version. */
function checkBackup(file: string, known: KnownMigration[]): void {
  if (!fs.existsSync(file)) throw new RestoreError(`No file at ${file}`)
  if (!fs.statSync(file).isFile() || fs.statSync(file).size === 0) throw new RestoreError(`${file} is not a database backup (empty, or not a file)`)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new RestoreError(`${file} cannot be opened as a database: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    const table = readOrRefuse(file, () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE))
    if (table === undefined) throw new RestoreError(`${file} is a SQLite file but not a CryptoOrchestrator database (it has no ${MIGRATIONS_TABLE} table)`)
  } finally {
    db.close()
  }
  assertIntact(file, file)
  // A backup from a newer version holds migrations this one does not know: refused, as at start.
  assertMigrationsKnown(file, known)
}

function readOrRefuse<T>(file: string, read: () => T): T {
  try {
    return read()
  } catch (err) {
    throw new RestoreError(`${file} is not a readable database: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function assertIntact(file: string, named: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const result = readOrRefuse(named, () => db.pragma('quick_check', { simple: true }))
    if (result !== 'ok') throw new RestoreError(`${named} is damaged (SQLite's check says: ${String(result)}); nothing was restored`)
  } finally {
    db.close()
  }
}

/** A one-moment copy through SQLite's backup API (a backup still in WAL mode is read with its WAL). */
async function copyConsistent(from: string, to: string): Promise<void> {
  const source = new Database(from, { readonly: true, fileMustExist: true })
  try {
    await source.backup(to)
  } finally {
    source.close()
  }
}

/**
 * Copies the database being replaced to backups/, then empties its WAL into it. A database too damaged to
 * copy (the reason for many restores) is moved there as it is, with its WAL, byte for byte.
 */
async function keepPrevious(target: string, dataDir: string, at: number): Promise<string> {
  const kept = path.join(dataDir, 'backups', backupFileName(at).replace(/^cryptoorchestrator-/, 'cryptoorchestrator-before-restore-'))
  try {
    const db = new Database(target, { fileMustExist: true })
    try {
      await backupDatabase(db, kept)
      db.pragma('wal_checkpoint(TRUNCATE)')
      return kept
    } finally {
      db.close()
    }
  } catch (err) {
    if (!(err instanceof Database.SqliteError)) throw err
    fs.rmSync(kept, { force: true })
    fs.mkdirSync(path.dirname(kept), { recursive: true })
    // The WAL keeps its database's name beside it, so SQLite still reads the two together.
    if (fs.existsSync(`${target}-wal`)) fs.renameSync(`${target}-wal`, `${kept}-wal`)
    fs.renameSync(target, kept)
    return kept
  }
}

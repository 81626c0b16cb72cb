import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import Database from 'better-sqlite3'
import { backupDatabase, backupFileName } from './backup'
import { MIGRATIONS_TABLE, UnknownMigrationsError, type KnownMigration } from './migrations-check'
import { backupIdentity } from './backup-identity'
import { takeEngineLock } from './engine-lock'
import { DB_FILE_NAME } from './open'

// Putting a backup back as the data folder's database. Only with no engine on the folder (the engine lock
// is held for the whole swap, so the app cannot start half-way through), and never by overwriting: the
// backup's bytes are copied beside the database under a temporary name and that copy is checked (the
// backup itself is only read, so it may sit where nothing can be written: a USB stick, a read-only mount,
// another user's folder; SQLite opening it in place would need to write side files beside it); the
// database as it was is first copied to backups/ (it may hold what the user now regrets losing); its WAL is
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
  /** A `-wal` file lying beside a self-contained backup, left out of the restore (not part of it), or null. */
  ignoredWal: string | null
}

export async function restoreDatabase(source: string, dataDir: string, known: KnownMigration[], at: number): Promise<RestoreResult> {
  const from = path.resolve(source)
  const target = path.join(dataDir, DB_FILE_NAME)
  if (from === target) throw new RestoreError(`${from} is the data folder's own database; name a backup file`)
  if (!fs.existsSync(from)) throw new RestoreError(`No file at ${from}`)
  if (!fs.statSync(from).isFile() || fs.statSync(from).size === 0) throw new RestoreError(`${from} is not a database backup (empty, or not a file)`)
  fs.mkdirSync(dataDir, { recursive: true })
  const lock = takeEngineLock(dataDir, 'cli restore')
  const staged = `${target}.restoring`
  const stagedSides = ['-wal', '-shm', '-journal'].map((side) => `${staged}${side}`)
  try {
    for (const f of [staged, ...stagedSides]) fs.rmSync(f, { force: true })
    await copyBytes(from, staged)
    // A backup still in WAL mode (older versions wrote them so) may have its WAL beside it: read together.
    // Beside a self-contained (rollback-mode) backup a -wal is no part of it — stale, or another database's
    // copied along — and SQLite would replay its pages into the copy: it is left out, and the user told.
    const wal = `${from}-wal`
    const hasWal = fs.existsSync(wal) && fs.statSync(wal).size > 0
    let ignoredWal: string | null = null
    if (hasWal && inWalMode(staged)) await copyBytes(wal, `${staged}-wal`)
    else if (hasWal) ignoredWal = wal
    checkBackup(staged, from, known)
    const previous = fs.existsSync(target) ? await keepPrevious(target, dataDir, at) : null
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${side}`, { force: true })
    fs.renameSync(staged, target)
    return { from, path: target, bytes: fs.statSync(target).size, previous, ignoredWal }
  } catch (err) {
    fs.rmSync(staged, { force: true })
    throw err
  } finally {
    for (const f of stagedSides) fs.rmSync(f, { force: true })
    lock.release()
  }
}

/** Header bytes 18 and 19 (file format write / read version): 2 and 2 in WAL mode, 1 and 1 in rollback mode. */
function inWalMode(file: string): boolean {
  const header = Buffer.alloc(20)
  const fd = fs.openSync(file, 'r')
  try {
    return fs.readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2 && header[19] === 2
  } finally {
    fs.closeSync(fd)
  }
}

/** A plain byte copy, writable by its owner whatever the source's permissions (a read-only stick's 0444). */
async function copyBytes(from: string, to: string): Promise<void> {
  await pipeline(fs.createReadStream(from), fs.createWriteStream(to, { flags: 'wx', mode: 0o644 }))
}

/**
 * The staged copy is a readable SQLite file, intact, written by this app (its first migration recorded, its
 * tables there: backup-identity.ts), by this or an older version. It is made self-contained first (its WAL, if any, folded in). Messages name the backup.
 */
function checkBackup(staged: string, from: string, known: KnownMigration[]): void {
  let db: Database.Database
  try {
    db = new Database(staged, { fileMustExist: true })
  } catch (err) {
    throw new RestoreError(`${from} cannot be opened as a database: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    readOrRefuse(from, () => db.pragma('journal_mode = DELETE'))
    const table = readOrRefuse(from, () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE))
    if (table === undefined) throw new RestoreError(`${from} is a SQLite file but not a CryptoOrchestrator database (it has no ${MIGRATIONS_TABLE} table)`)
    const identity = readOrRefuse(from, () => backupIdentity(db, known))
    if (identity.kind === 'foreign') throw new RestoreError(`${from} is not a CryptoOrchestrator backup: ${identity.why}; nothing was restored`)
    // integrity_check, not quick_check: it also checks that every index matches its table. The ledger's
    // "each fact once" rests on its unique indexes, and a restore is rare: ~2 s for 120 MB is worth it.
    const result = readOrRefuse(from, () => db.pragma('integrity_check', { simple: true }))
    if (result !== 'ok') throw new RestoreError(`${from} is damaged (SQLite's check says: ${String(result)}); nothing was restored`)
    // A backup from a newer version holds migrations newer than this one knows: refused, as at start.
    if (identity.kind === 'newer') throw new UnknownMigrationsError(from, identity.unknown)
  } finally {
    db.close()
  }
}

function readOrRefuse<T>(file: string, read: () => T): T {
  try {
    return read()
  } catch (err) {
    throw new RestoreError(`${file} is not a readable database: ${err instanceof Error ? err.message : String(err)}`)
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

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { BackupResult } from '../api/contract'

/** Default backup file name: sortable, UTC, safe on every file system. */
export function backupFileName(at: number): string {
  return `cryptoorchestrator-${new Date(at).toISOString().replace(/[:.]/g, '-')}.sqlite`
}

/**
 * Writes a consistent copy with SQLite's online backup API: the app keeps reading and writing while
 * pages are copied, and the copy is a snapshot of one moment. Written to a temporary name first and
 * renamed, so a crash never leaves a half-written file under the final name.
 */
export async function backupDatabase(sqlite: Database.Database, destination: string): Promise<BackupResult> {
  const started = performance.now()
  fs.mkdirSync(path.dirname(destination), { recursive: true })
  if (fs.existsSync(destination)) throw new Error(`Backup target ${destination} already exists; choose another name or delete it`)
  const partial = `${destination}.partial`
  fs.rmSync(partial, { force: true })
  try {
    // After the first step, copy all remaining pages in one step: a write from another connection (the
    // desktop app while the CLI backs up) would otherwise restart a page-by-page backup again and again.
    // In WAL mode that one read transaction does not block writers.
    const progress = await sqlite.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 100) })
    selfContained(partial)
    fs.renameSync(partial, destination)
    return {
      path: destination,
      bytes: fs.statSync(destination).size,
      pages: progress.totalPages,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    }
  } catch (err) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true })
    throw err
  }
}

/**
 * The copy takes the live database's WAL mode, and SQLite opening a WAL file even read-only must create
 * -shm/-wal beside it: such a backup cannot be read from a USB stick or a read-only folder. In rollback
 * mode it is one file, complete by itself, readable wherever it is.
 */
function selfContained(file: string): void {
  const db = new Database(file, { fileMustExist: true })
  try {
    db.pragma('journal_mode = DELETE')
  } finally {
    db.close()
  }
}

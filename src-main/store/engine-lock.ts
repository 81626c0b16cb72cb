import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'

// One engine per data folder, whichever door starts it: the desktop app's single-instance lock covers the
// desktop only, and two engines on one database both trigger the same stops, re-send the same copies and
// deliver the same alerts. The lock is SQLite's own exclusive file lock on `engine.lock`, held by a
// connection for the engine's life: the operating system drops it when the process ends, however it ends,
// so there is no stale lock to clear by hand. Beside it, `engine.lock.json` says who holds it, for the
// refusal. The CLI does not take it: its commands only read, or write the ledger in a transaction.

export const ENGINE_LOCK_FILE = 'engine.lock'
const HOLDER_FILE = 'engine.lock.json'

interface Holder {
  pid: number
  door: string
  host: string
  since: number
}

const DOOR_NAMES: Record<string, string> = { electron: 'the desktop app', headless: 'the headless engine' }

export class EngineLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
  ) {
    const who = holder
      ? `${DOOR_NAMES[holder.door] ?? `the ${holder.door} engine`} (process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`}, started ${new Date(holder.since).toISOString()})`
      : 'another engine'
    super(`The data folder ${dataDir} is in use by ${who}. Close it first, or start this one with another data folder (--data-dir).`)
    this.name = 'EngineLockedError'
  }
}

export interface EngineLock {
  release(): void
}

export function takeEngineLock(dataDir: string, door: string, now: () => number = Date.now): EngineLock {
  fs.mkdirSync(dataDir, { recursive: true })
  const holderFile = path.join(dataDir, HOLDER_FILE)
  // timeout 0: a held lock is refused at once, not waited for.
  const lock = new Database(path.join(dataDir, ENGINE_LOCK_FILE), { timeout: 0 })
  try {
    lock.pragma('locking_mode = EXCLUSIVE')
    // Nothing is ever written to this file: its journal stays in memory, not as a file beside the database.
    lock.pragma('journal_mode = MEMORY')
    lock.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    lock.close()
    if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY')) throw new EngineLockedError(dataDir, readHolder(holderFile))
    throw err
  }
  const holder: Holder = { pid: process.pid, door, host: os.hostname(), since: now() }
  try {
    fs.writeFileSync(holderFile, `${JSON.stringify(holder)}\n`)
  } catch {
    // Only the refusal's wording depends on it.
  }
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      if (readHolder(holderFile)?.pid === process.pid) fs.rmSync(holderFile, { force: true })
      lock.close()
    },
  }
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>
    return typeof h.pid === 'number' && typeof h.door === 'string' && typeof h.since === 'number' ? { pid: h.pid, door: h.door, host: h.host ?? os.hostname(), since: h.since } : null
  } catch {
    return null
  }
}

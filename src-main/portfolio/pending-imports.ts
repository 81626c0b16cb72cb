import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError, messageOf } from '../api/errors'
import { sqliteOf, type LedgerDb } from './sqlite'

// Taking out an import that never completed (ledger.ts writes large files as a 'pending' import, chunk by
// chunk): its entries in short transactions too, then its row. Readers never saw any of it, so no replay
// needs to start over (the removal counter is not bumped). A pending import whose writing process is gone
// (a crash, a killed CLI) is a leftover: taken out when the engine or the CLI opens the database.
//
// Gone is decided without trusting a pid alone (the system gives a dead process's id to later ones): the
// writer stores this process's random OWNER_TOKEN and stamps heartbeat_at with every chunk's transaction —
// chunks commit well under a second apart — so one not stamped for STALE_AFTER_MS is a leftover, whatever
// process now holds its pid. This process's own imports are told apart by whether it is writing them now: one
// that failed and whose clean-up failed too is a leftover for the next import into its account to take out.

const DELETE_ROWS = 5000

/** This process, as the writer of its pending imports. */
export const OWNER_TOKEN = randomUUID()

/**
 * The pending imports this process is writing now, by database file and id. One of this process's own that
 * is not among them failed and could not be taken out at once (its clean-up was refused too): a leftover,
 * which the next import into its account takes out rather than waiting for a restart.
 */
const underWay = new Set<string>()
const keyOf = (sqlite: Database.Database, id: number) => `${sqlite.name}\u0000${id}`

/** Marks a pending import as being written by this process; the returned function ends that (write done or failed). */
export function writingImport(sqlite: Database.Database, id: number): () => void {
  const key = keyOf(sqlite, id)
  underWay.add(key)
  return () => underWay.delete(key)
}

/** Longer than any gap between two chunks of a live writer (a chunk stamps the import as it commits). */
export const STALE_AFTER_MS = 10 * 60_000

/** A leftover pending import that was taken out. */
export interface AbandonedImport {
  id: number
  account: string
  fileName: string | null
  /** Entries it had written before its process died. */
  entries: number
}

/** Takes a pending import out, DELETE_ROWS entries per transaction with a pause between (another process may be waiting to write). */
export async function discardPendingImport(sqlite: Database.Database, id: number, { pauseMs }: { pauseMs: number }): Promise<number> {
  let removed = 0
  for (;;) {
    const n = deleteSome(sqlite, id)
    removed += n
    if (n < DELETE_ROWS) break
    await new Promise((resolve) => setTimeout(resolve, pauseMs))
  }
  return removed
}

/** How a leftover is told from an import being written: the clock, and whether a pid is running (tests). */
export interface Liveness {
  now?: () => number
  alive?: (pid: number) => boolean
}

const PENDING = `select id, account, file_name as fileName, owner_pid as pid, owner_token as token, heartbeat_at as heartbeatAt, created_at as createdAt
  from ledger_imports where state = 'pending'`

/**
 * Takes out every pending import whose writer is no longer running (not this process's own). Synchronous:
 * it runs at start, before anything reads or imports (a leftover's rows would still count as duplicates of
 * a file imported again).
 */
export function discardAbandonedImports(db: LedgerDb, liveness: Liveness = {}): AbandonedImport[] {
  const sqlite = sqliteOf(db)
  const pending = pendingOf(sqlite, sqlite.prepare(PENDING).all())
  const out: AbandonedImport[] = []
  for (const p of pending) {
    if (ownerAlive(p, liveness)) continue
    let entries = 0
    for (let n = DELETE_ROWS; n === DELETE_ROWS; ) {
      n = deleteSome(sqlite, p.id)
      entries += n
    }
    out.push({ id: p.id, account: p.account, fileName: p.fileName, entries })
  }
  return out
}

/** A pending import: one still being written, or a leftover of a process that died. */
export interface PendingImport {
  id: number
  /** This process is writing it now (writingImport). */
  underWay: boolean
  account: string
  fileName: string | null
  pid: number | null
  token: string | null
  /** Null on an import left by a version before heartbeats: its creation time stands in. */
  heartbeatAt: number | null
  createdAt: number
}

/** The pending imports into `account`. */
export function pendingImportsInto(sqlite: Database.Database, account: string): PendingImport[] {
  return pendingOf(sqlite, sqlite.prepare(`${PENDING} and account = ?`).all(account))
}

function pendingOf(sqlite: Database.Database, rows: unknown[]): PendingImport[] {
  return (rows as Omit<PendingImport, 'underWay'>[]).map((r) => ({ ...r, underWay: underWay.has(keyOf(sqlite, r.id)) }))
}

/**
 * Whether a pending import's writer is still at it: this process, while it writes it (one of its own whose
 * write ended failed, its clean-up refused), or another that stamped it lately and whose pid runs. This
 * process's pid under another token is a former process's.
 */
export function ownerAlive(p: PendingImport, { now = Date.now, alive = processAlive }: Liveness = {}): boolean {
  if (p.token === OWNER_TOKEN) return p.underWay
  if (now() - (p.heartbeatAt ?? p.createdAt) > STALE_AFTER_MS) return false
  return p.pid !== null && p.pid !== process.pid && alive(p.pid)
}

/**
 * Takes out the leftovers among the pending imports into `account` (their writer died while this process
 * runs; the next start would take them out, but until then their rows would count as duplicates of a file
 * imported into the account, and leave with them).
 */
export async function discardLeftoversInto(sqlite: Database.Database, account: string, options: { pauseMs: number; now: () => number }): Promise<AbandonedImport[]> {
  const out: AbandonedImport[] = []
  for (const p of pendingImportsInto(sqlite, account)) {
    if (ownerAlive(p, { now: options.now })) continue
    let entries: number
    try {
      entries = await discardPendingImport(sqlite, p.id, options)
    } catch (err) {
      // Still refused (the database busy, say): what is left of it stays for the next try, or the next start.
      const file = p.fileName === null ? '' : ` (${p.fileName})`
      throw new AppError(
        'UNAVAILABLE',
        `An earlier import into ${account}${file} failed and could not be taken out (${messageOf(err)}); nothing was imported. ` +
          'Try again in a moment; if this keeps happening, restart the app, which takes it out as it starts',
      )
    }
    out.push({ id: p.id, account: p.account, fileName: p.fileName, entries })
  }
  return out
}

/** Deletes up to DELETE_ROWS of the import's entries, and the import row once none are left; returns how many entries went. */
function deleteSome(sqlite: Database.Database, id: number): number {
  return sqlite
    .transaction(() => {
      const n = sqlite.prepare('delete from ledger_entries where id in (select id from ledger_entries where import_id = ? limit ?)').run(id, DELETE_ROWS).changes
      if (n < DELETE_ROWS) sqlite.prepare("delete from ledger_imports where id = ? and state = 'pending'").run(id)
      return n
    })
    .immediate()
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The audit log's words for a leftover taken out at start. */
export function abandonedDetail(a: AbandonedImport): string {
  return `import ${a.id} account=${JSON.stringify(a.account)} fileName=${JSON.stringify(a.fileName)} was cut off before it completed (its process ended, or it was not written for ${STALE_AFTER_MS / 60_000} minutes); its ${a.entries} entries, never shown, were taken out`
}

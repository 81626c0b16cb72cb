import { and, desc, gt, lt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { EventBus } from '../bus'
import { silentLogger, type Logger } from '../log'
import { auditLog } from './tables'
import { GENESIS_HASH, entryHash, linkProblem, type ChainLink } from './chain'
import type { AuditEntry, AuditPage, AuditVerify } from '../api/schemas/audit'
import type { FileExport } from '../api/schemas/files'
import { spreadsheetCsv } from '../reports/spreadsheet-csv'

export interface AuditRecord {
  door: string
  action: string
  outcome: string
  detail: string
}

const LOCK_DETAIL = {
  start: () => 'a lock passphrase is set',
  idle: (minutes: number) => `after ${minutes} min without input`,
  system: () => 'the computer locked its screen or went to sleep',
}

const columns = {
  id: auditLog.id,
  at: auditLog.at,
  door: auditLog.door,
  action: auditLog.action,
  outcome: auditLog.outcome,
  detail: auditLog.detail,
  hash: auditLog.hash,
}

export interface AuditLogOptions {
  log?: Logger
  /** How soon an entry the file could not take is tried again (default 1 s). */
  retryMs?: number
}

/**
 * Owns `audit_log`: appends entries to the hash chain (each in its own transaction, reading the head
 * there, so another process writing the same file cannot fork the chain), pages through them, checks the
 * chain and exports it. Entries are never changed or deleted. An entry the file cannot take (another
 * process holds its write lock past the busy timeout) waits in memory, in order and with its own time,
 * and is tried again before any newer one and on a short timer until written; only a crash in that
 * window loses it.
 */
export class AuditLog {
  private readonly unsubscribers: (() => void)[] = []
  private readonly waiting: (AuditRecord & { at: number })[] = []
  private retry: NodeJS.Timeout | null = null
  private stopped = false
  private readonly log: Logger
  private readonly retryMs: number

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
    options: AuditLogOptions = {},
  ) {
    this.log = options.log ?? silentLogger
    this.retryMs = options.retryMs ?? 1_000
    this.unsubscribers.push(
      bus.on('engineStarted', (e) => this.record({ door: 'engine', action: 'engine.start', outcome: 'ok', detail: `door=${JSON.stringify(e.door)}` })),
      // The lock's own acts; a lock or unlock asked through a door is recorded as that command.
      bus.on('appLocked', (e) => {
        if (e.reason !== 'manual') this.record({ door: 'engine', action: `lock.${e.reason}`, outcome: 'ok', detail: LOCK_DETAIL[e.reason](e.idleMinutes) })
      }),
    )
  }

  /** Records an entry now, or, when the file cannot take it, keeps it and retries until it is written (never throws for that). */
  record(record: AuditRecord): void {
    this.waiting.push({ ...record, at: this.now() })
    // While earlier entries wait for the file, this one waits behind them for the timer: no busy wait each time.
    if (!this.retry) this.flush(false)
  }

  /**
   * Writes an entry now or throws, for a process about to exit that cannot retry (the CLI), so the failure is
   * seen. Entries still waiting are written first.
   */
  append(record: AuditRecord): AuditEntry {
    if (!this.flush(false)) throw new Error('The audit log could not be written: the database is busy')
    return this.write({ ...record, at: this.now() })
  }

  /** Writes waiting entries, oldest first, stopping at the first the file will not take; true when none is left. */
  private flush(fromTimer: boolean): boolean {
    while (this.waiting.length > 0) {
      try {
        this.write(this.waiting[0]!, fromTimer)
      } catch (err) {
        if (this.stopped) {
          this.log.error('audit entry could not be written after the engine stopped', err)
        } else if (!this.retry) {
          if (!fromTimer) this.log.warn(`${this.waiting.length} audit ${this.waiting.length === 1 ? 'entry waits' : 'entries wait'} to be written; trying again`, err)
          this.retry = setTimeout(() => {
            this.retry = null
            if (this.flush(true)) this.log.info('waiting audit entries written')
          }, this.retryMs)
          this.retry.unref()
        }
        return false
      }
      this.waiting.shift()
    }
    return true
  }

  /**
   * One entry onto the chain's head. A retry from the timer does not sit in the busy wait: the file is
   * still busy or it is not, and the timer comes back either way.
   */
  private write(record: AuditRecord & { at: number }, noWait = false): AuditEntry {
    const busyMs = noWait ? (this.db.get<{ timeout: number }>(sql`PRAGMA busy_timeout`)?.timeout ?? 5_000) : 0
    if (noWait) this.db.run(sql`PRAGMA busy_timeout = 0`)
    try {
      const entry = this.db.transaction((tx) => {
        const head = tx.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()
        const fields = { id: (head?.id ?? 0) + 1, ...record }
        const prevHash = head?.hash ?? GENESIS_HASH
        const hash = entryHash(prevHash, fields)
        tx.insert(auditLog).values({ ...fields, prevHash, hash }).run()
        return { ...fields, hash }
      }, { behavior: 'immediate' })
      this.bus.emit('auditRecorded', { entry })
      return entry
    } finally {
      if (noWait) this.db.run(sql.raw(`PRAGMA busy_timeout = ${Math.trunc(busyMs)}`))
    }
  }

  list(query: { limit: number; before?: number; search?: string }): AuditPage {
    const conditions: SQL[] = []
    if (query.search) {
      const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      conditions.push(sql`lower(${auditLog.action} || ' ' || ${auditLog.door} || ' ' || ${auditLog.outcome} || ' ' || ${auditLog.detail}) like ${like} escape '\\'`)
    }
    const matching = conditions.length ? and(...conditions) : undefined
    const total = this.db.select({ n: sql<number>`count(*)` }).from(auditLog).where(matching).get()?.n ?? 0
    const page = query.before === undefined ? matching : and(matching, lt(auditLog.id, query.before))
    const entries = this.db.select(columns).from(auditLog).where(page).orderBy(desc(auditLog.id)).limit(query.limit).all()
    return { entries, total }
  }

  /** Recomputes the chain from the first entry. */
  verify(): AuditVerify {
    let prev: ChainLink = { id: 0, hash: GENESIS_HASH }
    // The link before `prev`: when `prev` turns out rewritten, the intact chain ends there.
    let before = prev
    let checked = 0
    for (const row of this.inOrder()) {
      const broken = linkProblem(prev, row)
      if (broken) {
        const head = broken.brokenAt === row.id ? prev : before
        return { ok: false, checked: broken.brokenAt === row.id ? checked : checked - 1, ...broken, headId: head.id, headHash: head.hash }
      }
      checked++
      before = prev
      prev = { id: row.id, hash: row.hash }
    }
    return { ok: true, checked, brokenAt: null, problem: null, headId: prev.id, headHash: prev.hash }
  }

  /**
   * The whole log, oldest first, as CSV with each entry's hash (a spreadsheet can re-check the links); written
   * for a spreadsheet as the tax CSV is (spreadsheet-csv.ts): a detail holds the user's own text.
   */
  exportCsv(): FileExport {
    const header = ['id', 'time (UTC)', 'door', 'action', 'outcome', 'detail', 'previous hash', 'hash']
    const rows: string[][] = [header]
    for (const r of this.inOrder()) {
      rows.push([String(r.id), new Date(r.at).toISOString(), r.door, r.action, r.outcome, r.detail, r.prevHash, r.hash])
    }
    const day = new Date(this.now()).toISOString().slice(0, 10)
    return { fileName: `audit-log-${day}.csv`, mime: 'text/csv', encoding: 'utf8', data: spreadsheetCsv(rows) }
  }

  /** Every entry, oldest first, read a page at a time so a long log is never held whole. */
  private *inOrder(pageSize = 5_000) {
    let after = 0
    for (;;) {
      const page = this.db.select().from(auditLog).where(gt(auditLog.id, after)).orderBy(auditLog.id).limit(pageSize).all()
      yield* page
      if (page.length < pageSize) return
      after = page[page.length - 1]!.id
    }
  }

  /** Stops listening; a last try for waiting entries, and a log line for any the file still would not take. */
  stop(): void {
    for (const off of this.unsubscribers) off()
    if (this.retry) clearTimeout(this.retry)
    this.retry = null
    const written = this.flush(false)
    this.stopped = true
    if (this.retry) clearTimeout(this.retry)
    this.retry = null
    if (!written) {
      this.log.error(`${this.waiting.length} audit ${this.waiting.length === 1 ? 'entry' : 'entries'} could not be written before the engine stopped`, this.waiting)
    }
  }
}

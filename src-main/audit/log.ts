import { stringify } from 'csv-stringify/sync'
import { and, desc, gt, lt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../store/open'
import type { EventBus } from '../bus'
import { auditLog } from './tables'
import { GENESIS_HASH, entryHash, linkProblem, type ChainLink } from './chain'
import type { AuditEntry, AuditPage, AuditVerify } from '../api/schemas/audit'
import type { FileExport } from '../api/schemas/files'
import { spreadsheetSafe } from '../reports/spreadsheet-text'

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

/**
 * Owns `audit_log`: appends entries to the hash chain (each in its own transaction, reading the head
 * there, so another process writing the same file cannot fork the chain), pages through them, checks the
 * chain and exports it. Entries are never changed or deleted.
 */
export class AuditLog {
  private readonly unsubscribers: (() => void)[] = []

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribers.push(
      bus.on('engineStarted', (e) => this.append({ door: 'engine', action: 'engine.start', outcome: 'ok', detail: `door=${JSON.stringify(e.door)}` })),
      // The lock's own acts; a lock or unlock asked through a door is recorded as that command.
      bus.on('appLocked', (e) => {
        if (e.reason !== 'manual') this.append({ door: 'engine', action: `lock.${e.reason}`, outcome: 'ok', detail: LOCK_DETAIL[e.reason](e.idleMinutes) })
      }),
    )
  }

  append(record: AuditRecord): AuditEntry {
    const entry = this.db.transaction((tx) => {
      const head = tx.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()
      const fields = { id: (head?.id ?? 0) + 1, at: this.now(), ...record }
      const prevHash = head?.hash ?? GENESIS_HASH
      const hash = entryHash(prevHash, fields)
      tx.insert(auditLog).values({ ...fields, prevHash, hash }).run()
      return { ...fields, hash }
    }, { behavior: 'immediate' })
    this.bus.emit('auditRecorded', { entry })
    return entry
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

  /** The whole log, oldest first, as CSV with each entry's hash (a spreadsheet can re-check the links). */
  exportCsv(): FileExport {
    const header = ['id', 'time (UTC)', 'door', 'action', 'outcome', 'detail', 'previous hash', 'hash']
    const rows: string[][] = [header]
    for (const r of this.inOrder()) {
      rows.push([String(r.id), new Date(r.at).toISOString(), r.door, r.action, r.outcome, spreadsheetSafe(r.detail), r.prevHash, r.hash])
    }
    const day = new Date(this.now()).toISOString().slice(0, 10)
    return { fileName: `audit-log-${day}.csv`, mime: 'text/csv', encoding: 'utf8', data: stringify(rows, { record_delimiter: '\r\n' }) }
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

  stop(): void {
    for (const off of this.unsubscribers) off()
  }
}

import type Database from 'better-sqlite3'
import type { SyncStatus } from '../../api/schemas/portfolio'
import { sqliteOf, type LedgerDb } from '../sqlite'

// The sync's own rows (tables.ts): cursors per account × phase × market, and each account's last run.

export type CursorPhase = 'trades' | 'deposit' | 'withdrawal' | 'conversion' | 'dust' | 'purchase' | 'reward'

export interface SyncCursor {
  account: string
  phase: CursorPhase
  /** Market symbol for trades; '' for the histories read by time alone (deposits, withdrawals, conversions, rewards). */
  market: string
  time: number | null
  fromId: string | null
  fetched: number
}

interface RunRow {
  account: string
  state: SyncStatus['state']
  phase: SyncStatus['phase']
  done: number
  total: number
  fetched: number
  inserted: number
  startedAt: number | null
  finishedAt: number | null
  lastSyncedAt: number | null
  error: string | null
  historyFrom: number | null
  /** JSON of SyncStatus.skipped. */
  skipped: string
}

export class SyncStore {
  readonly sqlite: Database.Database
  private readonly getCursor: Database.Statement
  private readonly listCursors: Database.Statement
  private readonly putCursor: Database.Statement
  private readonly rewind: Database.Statement
  private readonly getRun: Database.Statement
  private readonly listRuns: Database.Statement
  private readonly putRun: Database.Statement

  constructor(db: LedgerDb) {
    const sqlite = sqliteOf(db)
    this.sqlite = sqlite
    this.getCursor = sqlite.prepare(
      'select account, phase, market, time, from_id as fromId, fetched from portfolio_sync_cursors where account = ? and phase = ? and market = ?',
    )
    this.listCursors = sqlite.prepare(
      'select account, phase, market, time, from_id as fromId, fetched from portfolio_sync_cursors where account = ? order by phase, market',
    )
    this.putCursor = sqlite.prepare(
      `insert into portfolio_sync_cursors (account, phase, market, time, from_id, fetched, updated_at) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (account, phase, market) do update set time = excluded.time, from_id = excluded.from_id, fetched = excluded.fetched, updated_at = excluded.updated_at`,
    )
    this.rewind = sqlite.prepare('update portfolio_sync_cursors set time = null, from_id = null, updated_at = ? where account = ?')
    this.getRun = sqlite.prepare(
      `select account, state, phase, done, total, fetched, inserted, started_at as startedAt, finished_at as finishedAt,
              last_synced_at as lastSyncedAt, error, history_from as historyFrom, skipped from portfolio_sync_runs where account = ?`,
    )
    this.listRuns = sqlite.prepare(
      `select account, state, phase, done, total, fetched, inserted, started_at as startedAt, finished_at as finishedAt,
              last_synced_at as lastSyncedAt, error, history_from as historyFrom, skipped from portfolio_sync_runs`,
    )
    this.putRun = sqlite.prepare(
      `insert into portfolio_sync_runs (account, state, phase, done, total, fetched, inserted, started_at, finished_at, last_synced_at, error, history_from, skipped)
       values (@account, @state, @phase, @done, @total, @fetched, @inserted, @startedAt, @finishedAt, @lastSyncedAt, @error, @historyFrom, @skipped)
       on conflict (account) do update set state = excluded.state, phase = excluded.phase, done = excluded.done, total = excluded.total,
         fetched = excluded.fetched, inserted = excluded.inserted, started_at = excluded.started_at, finished_at = excluded.finished_at,
         last_synced_at = excluded.last_synced_at, error = excluded.error, history_from = excluded.history_from, skipped = excluded.skipped`,
    )
  }

  cursor(account: string, phase: CursorPhase, market: string): SyncCursor | undefined {
    return this.getCursor.get(account, phase, market) as SyncCursor | undefined
  }

  cursors(account: string): SyncCursor[] {
    return this.listCursors.all(account) as SyncCursor[]
  }

  /** Every cursor of the account back to the start (its markets stay known as synced). */
  rewindCursors(account: string, at: number): void {
    this.rewind.run(at, account)
  }

  saveCursor(c: SyncCursor, at: number): void {
    this.putCursor.run(c.account, c.phase, c.market, c.time, c.fromId, c.fetched, at)
  }

  run(account: string): SyncStatus | undefined {
    const row = this.getRun.get(account) as RunRow | undefined
    return row && statusOf(row)
  }

  runs(): SyncStatus[] {
    return (this.listRuns.all() as RunRow[]).map(statusOf)
  }

  saveRun(status: SyncStatus): void {
    this.putRun.run({ ...status, skipped: JSON.stringify(status.skipped) })
  }

  /** Runs `fn` in one transaction (a savepoint inside another). */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)()
  }
}

function statusOf(row: RunRow): SyncStatus {
  let skipped: Record<string, number> = {}
  try {
    const parsed: unknown = JSON.parse(row.skipped)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      skipped = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => Number.isInteger(e[1])))
    }
  } catch {
    // only this store writes the column; an unreadable value reads as nothing skipped
  }
  return { ...row, skipped }
}

import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import { AppError } from '../../api/errors'
import type { SyncStatus } from '../../api/schemas/portfolio'
import type { Venue } from '../../venues/port'
import type { PortfolioService } from '../service'
import { sqliteOf, type LedgerDb } from '../sqlite'
import { runSync, SyncCancelled, type HistoryVenue, type SyncRunOptions } from './run'
import { SyncStore } from './store'
import { addCount } from '../import/types'
import { visibleEntry } from '../visible'

// History sync per exchange account: at most one run per account at a time, started and cancelled by
// command, its progress announced on the bus (syncProgressed) at most 4 times a second — and at once when
// its state changes. A run's state is kept (portfolio_sync_runs), so after a restart the screen
// shows an interrupted run, and the next run resumes from the cursors.

const PROGRESS_EVERY_MS = 250

export interface SyncServiceDeps {
  db: LedgerDb
  bus: EventBus
  log: Logger
  portfolio: Pick<PortfolioService, 'importBatch' | 'recordMarks'>
  /** The account's venue (VenueRegistry.open). */
  openVenue(account: string): Promise<Venue>
  /** Whether the account is an exchange account (the only kind that syncs). */
  isExchangeAccount(account: string): boolean
  now?: () => number
  /** Options every run gets (tests: small pages, the windowed path). */
  runOptions?: SyncRunOptions
}

interface Running {
  controller: AbortController
  done: Promise<void>
  status: SyncStatus
  lastEmit: number
  timer: ReturnType<typeof setTimeout> | undefined
  announced: { state: SyncStatus['state'] } | null
}

export class SyncService {
  readonly store: SyncStore
  private readonly running = new Map<string, Running>()
  private readonly assetsStmt
  private readonly now: () => number

  constructor(private readonly deps: SyncServiceDeps) {
    this.store = new SyncStore(deps.db)
    this.now = deps.now ?? Date.now
    this.assetsStmt = sqliteOf(deps.db)
      .prepare(
        `select base as asset from ledger_entries where account = @account and ${visibleEntry()}
         union select quote from ledger_entries where account = @account and quote is not null and ${visibleEntry()}
         union select fee_asset from ledger_entries where account = @account and fee_asset is not null and ${visibleEntry()}`,
      )
      .pluck()
  }

  /** Runs a restart cut off are marked interrupted (their cursors say where the next run resumes). */
  start(): void {
    for (const run of this.store.runs()) {
      if (run.state === 'running') this.store.saveRun({ ...run, state: 'interrupted', finishedAt: null, error: null })
    }
  }

  async stop(): Promise<void> {
    const runs = [...this.running.values()]
    for (const r of runs) r.controller.abort()
    await Promise.allSettled(runs.map((r) => r.done))
  }

  status(account: string): SyncStatus {
    return this.running.get(account)?.status ?? this.store.run(account) ?? idleStatus(account)
  }

  /** Every account with a run, running or not. */
  statuses(): SyncStatus[] {
    const byAccount = new Map(this.store.runs().map((r) => [r.account, r]))
    for (const [account, r] of this.running) byAccount.set(account, r.status)
    return [...byAccount.values()]
  }

  /**
   * Starts (or resumes) syncing the account's history; returns at once with the run's first status. An
   * account already syncing returns its running status (one run per account).
   */
  sync(account: string, options: SyncRunOptions = {}): SyncStatus {
    const current = this.running.get(account)
    if (current) return { ...current.status }
    if (!this.deps.isExchangeAccount(account)) {
      throw new AppError('BAD_INPUT', `Account "${account}" is not an exchange account: only exchange accounts sync their history`)
    }
    const previous = this.store.run(account)
    const rewind = this.rewindTo(account, previous, options.since)
    // The first sync's choice holds for the histories read later (an app update adding one starts it there too).
    const historyFrom = options.since ?? previous?.historyFrom ?? null
    const status: SyncStatus = {
      account,
      state: 'running',
      phase: null,
      done: 0,
      total: 0,
      fetched: 0,
      inserted: 0,
      startedAt: this.now(),
      finishedAt: null,
      lastSyncedAt: previous?.lastSyncedAt ?? null,
      error: null,
      historyFrom,
      skipped: {},
    }
    const controller = new AbortController()
    const running: Running = { controller, status, done: Promise.resolve(), lastEmit: 0, timer: undefined, announced: null }
    this.running.set(account, running)
    this.store.transaction(() => {
      // An earlier start: every history is read again from there (the ledger's dedup keeps each entry once).
      if (rewind) this.store.rewindCursors(account, this.now())
      this.store.saveRun(status)
    })
    this.announce(running)
    running.done = this.execute(running, { ...this.deps.runOptions, ...options, ...(historyFrom === null ? {} : { since: historyFrom }) })
    return { ...status }
  }

  /**
   * Whether `since` moves the start of a history already read (cursors kept) earlier: then its cursors go
   * back to it. A later start is refused: what was stored before it stays in the ledger, so the account's
   * history would not start there.
   */
  private rewindTo(account: string, previous: SyncStatus | undefined, since: number | undefined): boolean {
    if (since === undefined || this.store.cursors(account).length === 0) return false
    const from = previous?.historyFrom ?? null
    if (from !== null && since < from) return true
    if (from === since) return false
    const start = from === null ? 'everything the exchange keeps' : `${new Date(from).toISOString().slice(0, 10)} (UTC)`
    throw new AppError(
      'BAD_INPUT',
      `The history of "${account}" is already synced from ${start}; a start can only move earlier (what is stored stays): sync without a start, or choose a day before that`,
    )
  }

  /** Stops the account's run after the request in flight; what was stored stays, the next run resumes. */
  async cancel(account: string): Promise<SyncStatus> {
    const running = this.running.get(account)
    if (!running) return this.status(account)
    running.controller.abort()
    await running.done
    return this.status(account)
  }

  /** Resolves when the account's current run (if any) has ended. */
  async settled(account: string): Promise<SyncStatus> {
    await this.running.get(account)?.done
    return this.status(account)
  }

  private async execute(running: Running, options: SyncRunOptions): Promise<void> {
    const { status } = running
    const account = status.account
    try {
      const venue = await this.deps.openVenue(account)
      if (!venue.historyPaging || !venue.fetchMyFillsPage) {
        throw new AppError('UNAVAILABLE', `The venue of "${account}" cannot read its trade history`)
      }
      await runSync({
        account,
        venue: venue as HistoryVenue,
        store: this.store,
        importBatch: (entries, meta) => this.deps.portfolio.importBatch(entries, meta),
        recordMarks: (marks) => this.deps.portfolio.recordMarks(marks),
        ledgerAssets: (a) => (this.assetsStmt.all({ account: a }) as string[]).filter((x) => typeof x === 'string' && x !== ''),
        now: this.now,
        signal: running.controller.signal,
        status,
        progress: () => this.announce(running),
        warn: (message) => this.deps.log.warn(`history sync of ${account}: ${message}`),
        skip: (reason, count) => {
          addCount(status.skipped, reason, count)
        },
        options,
      })
      status.state = 'done'
      status.lastSyncedAt = status.startedAt
    } catch (err) {
      if (err instanceof SyncCancelled) {
        status.state = 'interrupted'
      } else {
        status.state = 'failed'
        status.error = err instanceof Error ? err.message : String(err)
        this.deps.log.warn(`history sync of ${account} failed: ${status.error}`)
      }
    } finally {
      status.finishedAt = this.now()
      this.running.delete(account)
      clearTimeout(running.timer)
      this.store.saveRun(status)
      this.emit(running)
    }
  }

  /** At once on a new state, else at most every 250 ms (the latest status, trailing). */
  private announce(running: Running): void {
    const { status } = running
    const changed = !running.announced || running.announced.state !== status.state
    const now = Date.now()
    if (changed || now - running.lastEmit >= PROGRESS_EVERY_MS) {
      clearTimeout(running.timer)
      running.timer = undefined
      this.emit(running)
      return
    }
    running.timer ??= setTimeout(() => {
      running.timer = undefined
      if (this.running.get(status.account) === running) this.emit(running)
    }, PROGRESS_EVERY_MS - (now - running.lastEmit))
  }

  private emit(running: Running): void {
    running.lastEmit = Date.now()
    running.announced = { state: running.status.state }
    this.deps.bus.emit('syncProgressed', { status: { ...running.status } })
  }
}

export function idleStatus(account: string): SyncStatus {
  return { account, state: 'idle', phase: null, done: 0, total: 0, fetched: 0, inserted: 0, startedAt: null, finishedAt: null, lastSyncedAt: null, error: null, historyFrom: null, skipped: {} }
}

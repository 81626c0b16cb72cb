import type { EventBus } from '../bus'
import { importOverlaps, type ImportOverlap } from './import-overlap'
import type { Logger } from '../log'
import type { Db } from '../store/open'
import type { FillRecord } from '../trading/model'
import { listImports, type ImportRecord } from './imports'
import { LedgerWriter, type ChunkOptions, type ImportMeta, type ImportResult, type RemovedImport } from './ledger'
import { PriceMarkStore, storedPrices, type MarkChange, type StoredPrices } from './marks'
import { refuseCoinbaseOverlap } from './import/coinbase-overlap'
import { abandonedDetail } from './pending-imports'
import type { LedgerEntryInput } from './model'
import { computePortfolio, type ComputeOptions, type PortfolioResult, type PriceMarkInput } from './pnl'
import { SIM_LEDGER_ACCOUNT, SimLedgerFeed, type SimLedgerSource } from './sim-feed'
import { fillToEntry } from './symbols'
import { missingPaperFunding, paperClosingEntries, paperOpeningEntries, type PaperFundingFact } from './paper-funding'
import { sqliteOf } from './sqlite'
import { visibleEntry } from './visible'

// The portfolio module's face to the engine: owns the ledger tables, records the app's own fills as they
// happen (bus orderFilled → one ledger row, source 'app', deduplicated by venue + trade id so a later sync
// of the same trade is a no-op), feeds the simulated exchange's traders and prices in, and answers P&L.

/** Where the app's recorded fills can be re-read at start (the order manager), to catch up after a crash. */
export interface FillHistory {
  /** Newest first; `before` names the last fill of the page before (its time alone is ambiguous within a millisecond). */
  fills(query: { venueId?: string; limit: number; before?: { timestamp: number; venueId: string; symbol: string; tradeId: string } }): FillRecord[]
}

export interface PortfolioServiceDeps {
  db: Db
  bus: EventBus
  log: Logger
  now?: () => number
  fills?: FillHistory
  sim?: SimLedgerSource
  reportingCurrency?: string
  equivalents?: readonly string[]
  /** The paper accounts on real venues and their funding (see paper-funding.ts): backfilled at start. */
  paperFunding?: () => PaperFundingFact[]
  /** How large files are written in chunks (tests; see LedgerWriter). */
  chunks?: Partial<ChunkOptions>
}

const CATCH_UP_PAGE = 500

export class PortfolioService {
  readonly writer: LedgerWriter
  readonly marks: PriceMarkStore
  private readonly simFeed: SimLedgerFeed | null
  private readonly off: (() => void)[] = []
  private readonly knownStmt
  private readonly openedStmt
  private readonly prefixStmt

  constructor(private readonly deps: PortfolioServiceDeps) {
    const now = deps.now ?? Date.now
    this.writer = new LedgerWriter(deps.db, now, deps.chunks)
    this.marks = new PriceMarkStore(deps.db)
    const sqlite = sqliteOf(deps.db)
    // Every row has an external id or a content hash: each half is found through its partial unique index.
    this.knownStmt = sqlite
      .prepare(
        `select exists(select 1 from ledger_entries where account = @account and external_id is not null and ${visibleEntry()})
             or exists(select 1 from ledger_entries where account = @account and content_hash is not null and ${visibleEntry()})`,
      )
      .pluck()
    this.openedStmt = sqlite
      .prepare(`select min(timestamp) from ledger_entries where account = ? and external_id >= 'opening:' and external_id < 'opening;' and ${visibleEntry()}`)
      .pluck()
    this.prefixStmt = sqlite
      .prepare(`select exists(select 1 from ledger_entries where account = ? and external_id >= ? and external_id < ? and ${visibleEntry()})`)
      .pluck()
    this.simFeed = deps.sim
      ? new SimLedgerFeed({
          sim: deps.sim,
          importBatch: (entries, meta) => this.importBatch(entries, meta),
          marks: this.marks,
          known: (account) => this.knownStmt.get({ account }) === 1,
          log: deps.log,
        })
      : null
  }

  /** Starts recording: call before the simulated exchange starts, so opening balances come first. */
  start(): void {
    this.simFeed?.start()
    this.off.push(
      this.deps.bus.on('orderFilled', ({ fill }) => this.recordFill(fill)),
      this.deps.bus.on('paperReset', () => this.recordPaperReset()),
      this.deps.bus.on('paperAccountOpened', (e) => this.recordPaper(paperOpeningEntries(e.venueId, e.balances, e.at), `${e.venueId}'s starting balances`)),
      this.deps.bus.on('paperAccountClosed', (e) => this.recordPaper(paperClosingEntries(e.venueId, e.held, e.at), `what ${e.venueId} held when closed`)),
    )
    this.backfillPaperFunding()
    this.catchUp()
  }

  stop(): void {
    for (const off of this.off.splice(0)) off()
    this.simFeed?.stop()
  }

  /** Stores the new entries in one transaction (see LedgerWriter); tells the bus when anything was new. */
  importBatch(entries: readonly LedgerEntryInput[], meta: ImportMeta | null = null): ImportResult {
    const result = this.writer.importBatch(entries, meta)
    if (result.inserted > 0) this.deps.bus.emit('ledgerRecorded', { accounts: result.accounts, inserted: result.inserted, at: (this.deps.now ?? Date.now)() })
    return result
  }

  /**
   * An imported file: its entries (a large file in chunks, see LedgerWriter.importFile) and the prices it
   * states (they value its income), written with the transaction that makes the entries visible, so a file
   * whose entries are refused leaves no marks behind; the live portfolio is told after it commits.
   */
  async importFile(entries: readonly LedgerEntryInput[], marks: readonly PriceMarkInput[], meta: ImportMeta): Promise<ImportResult> {
    let written = 0
    const result = await this.writer.importFile(entries, meta, {
      first: () => refuseCoinbaseOverlap(this.deps.db, meta.account, entries),
      last: () => {
        written = this.marks.writeQuietly(marks)
      },
      abandoned: (a) => this.deps.log.warn(abandonedDetail(a)),
    })
    this.marks.told(written)
    if (result.inserted > 0) this.deps.bus.emit('ledgerRecorded', { accounts: result.accounts, inserted: result.inserted, at: (this.deps.now ?? Date.now)() })
    return result
  }

  /** The import accounts holding files of `format` (but `except`), and how many of these entries each has already. */
  importOverlaps(entries: readonly LedgerEntryInput[], format: string, except: string | null): ImportOverlap[] {
    return importOverlaps(this.deps.db, entries, format, except, (e, accounts, sample) => this.writer.countStoredIn(e, accounts, sample))
  }

  /** The imports into an account, newest first. */
  imports(account: string): ImportRecord[] {
    return listImports(this.deps.db, account)
  }

  /** Takes an import back out (see LedgerWriter.removeImport); tells the bus when entries left the ledger. */
  removeImport(id: number): RemovedImport | null {
    const removed = this.writer.removeImport(id)
    if (removed && removed.removed > 0) this.deps.bus.emit('ledgerRemoved', { accounts: [removed.account], removed: removed.removed, at: (this.deps.now ?? Date.now)() })
    return removed
  }

  /** P&L over the stored ledger; unrealized at `prices`, else at the last stored prices (each account's own venue's first). */
  compute(options: Omit<ComputeOptions, 'db' | 'entries' | 'marks'> = {}): PortfolioResult {
    const currency = {
      reportingCurrency: options.reportingCurrency ?? this.deps.reportingCurrency,
      equivalents: options.equivalents ?? this.deps.equivalents,
    }
    return computePortfolio({
      ...options,
      ...definedOnly(currency),
      db: this.deps.db,
      prices: options.prices ?? this.storedPrices({ ...definedOnly(currency), ...(options.at !== undefined ? { at: options.at } : {}) }).of,
    })
  }

  /** The stored prices as of `at` (default now): the newest per asset, and per account its own venue's first. */
  storedPrices(options: { reportingCurrency?: string; equivalents?: readonly string[]; at?: number } = {}): StoredPrices {
    return storedPrices(this.deps.db, {
      ...definedOnly({ reportingCurrency: this.deps.reportingCurrency, equivalents: this.deps.equivalents }),
      ...options,
      now: (this.deps.now ?? Date.now)(),
    })
  }

  recordMarks(marks: readonly PriceMarkInput[]): number {
    return this.marks.record(marks)
  }

  /** An imported rates file's marks, all of them (see PriceMarkStore.importAll). */
  importMarks(marks: readonly PriceMarkInput[]): { inserted: number; changes: MarkChange[] } {
    return this.marks.importAll(marks)
  }

  /** Writes the simulated traders' buffered fills now (tests; also done every second). */
  flush(): void {
    this.simFeed?.flush()
  }

  private recordFill(fill: FillRecord): void {
    const entry = fillToEntry(fill, fill.venueId, 'app')
    if (!entry) {
      this.deps.log.warn(`fill ${fill.tradeId} on ${fill.venueId} has no pair symbol (${fill.symbol}); not in the ledger`)
      return
    }
    if (!this.afterOpening(entry.account, entry.timestamp)) return
    try {
      this.importBatch([entry], null)
    } catch (err) {
      this.deps.log.error(`could not record fill ${fill.tradeId} on ${fill.venueId} in the ledger`, err)
    }
  }

  /**
   * An account whose ledger starts with opening balances (the paper account) already holds the result of
   * every fill before that moment: those are not entered again.
   */
  private afterOpening(account: string, timestamp: number): boolean {
    if (account !== SIM_LEDGER_ACCOUNT) return true
    const opened = this.openedStmt.get(account) as number | null
    return opened === null || timestamp >= opened
  }

  /**
   * Fills the order manager recorded that the ledger may have missed (a crash between the two writes):
   * newest first, page by page, until a page brings nothing new.
   */
  private catchUp(): void {
    const source = this.deps.fills
    if (!source) return
    let before: { timestamp: number; venueId: string; symbol: string; tradeId: string } | undefined
    try {
      for (;;) {
        const page = source.fills({ limit: CATCH_UP_PAGE, ...(before !== undefined ? { before } : {}) })
        if (page.length === 0) return
        const entries: LedgerEntryInput[] = []
        for (const fill of page) {
          const entry = fillToEntry(fill, fill.venueId, 'app')
          if (entry && this.afterOpening(entry.account, entry.timestamp)) entries.push(entry)
        }
        const { inserted } = this.importBatch(entries, null)
        if (inserted === 0 || page.length < CATCH_UP_PAGE) return
        const last = page[page.length - 1] as FillRecord
        before = { timestamp: last.timestamp, venueId: last.venueId, symbol: last.symbol, tradeId: last.tradeId }
      }
    } catch (err) {
      this.deps.log.error('could not catch up the ledger with recorded fills', err)
    }
  }

  /** Paper accounts an earlier version opened (or closed) without their deposits (withdrawals) in the ledger. */
  private backfillPaperFunding(): void {
    if (!this.deps.paperFunding) return
    try {
      // A prefix's ids run from 'opening:' up to (not including) 'opening;' (';' follows ':').
      const has = (account: string, prefix: string) => this.prefixStmt.get(account, prefix, `${prefix.slice(0, -1)};`) === 1
      this.recordPaper(missingPaperFunding(this.deps.paperFunding(), has), 'the paper accounts\' starting balances')
    } catch (err) {
      this.deps.log.error('could not read the paper accounts\' starting balances', err)
    }
  }

  private recordPaper(entries: LedgerEntryInput[], what: string): void {
    if (entries.length === 0) return
    try {
      this.importBatch(entries, null)
    } catch (err) {
      this.deps.log.error(`could not record ${what} in the ledger`, err)
    }
  }

  /** The paper balance was reset: what the ledger held leaves, the new balance arrives (at cost, no P&L). */
  private recordPaperReset(): void {
    const sim = this.deps.sim
    if (!sim) return
    try {
      const at = sim.engine.now()
      const held = this.compute({ account: SIM_LEDGER_ACCOUNT, prices: new Map() }).positions
      const entries: LedgerEntryInput[] = []
      const move = (kind: 'deposit' | 'withdrawal', asset: string, amount: string, tag: string) =>
        entries.push({ kind, account: SIM_LEDGER_ACCOUNT, timestamp: at, asset, amount, fee: null, source: 'app', externalId: `reset:${at}:${tag}:${asset}` })
      for (const p of held) {
        if (p.account !== SIM_LEDGER_ACCOUNT || p.amount === '0') continue
        if (p.amount.startsWith('-')) move('deposit', p.asset, p.amount.slice(1), 'settle')
        else move('withdrawal', p.asset, p.amount, 'out')
      }
      for (const b of sim.engine.balances(sim.paperAccount)) {
        if (/^\d*\.?\d+$/.test(b.total) && Number(b.total) > 0) move('deposit', b.asset, b.total, 'in')
      }
      this.importBatch(entries, null)
    } catch (err) {
      this.deps.log.error('could not record the paper balance reset in the ledger', err)
    }
  }
}

function definedOnly<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}

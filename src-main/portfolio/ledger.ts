import { hash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../api/errors'
import { sqliteOf, type LedgerDb } from './sqlite'
import { canonicalDecimal } from './decimal-text'
import type { LedgerEntryInput, LedgerSource } from './model'
import { discardLeftoversInto, discardPendingImport, OWNER_TOKEN, ownerAlive, pendingImportsInto, writingImport, type AbandonedImport } from './pending-imports'

// The ledger writer: the only code that writes ledger_entries / ledger_imports. A batch goes in as ONE
// transaction — a bad entry anywhere rejects the whole batch and nothing is stored. Each fact is stored
// once: `INSERT … ON CONFLICT DO NOTHING` against the unique (account, external_id) and
// (account, content_hash) indexes, so importing the same file (or syncing the same trades) twice changes
// nothing. Rows without a venue trade id get a content hash: sha256 of the canonical fields and the row's
// occurrence index among identical rows of the same batch, so two genuinely identical fills in one file
// both count, and the same file again matches both.
//
// A file (importFile) larger than one chunk goes in as several short transactions instead, so the running
// app — another process on the same database — can write its orders between them: its import row is
// 'pending' while the chunks go in, every reader ignores a pending import's entries (visible.ts), and the
// last transaction makes it 'complete'. Any failure takes the pending import back out; one whose process
// died is taken out at the next start (pending-imports.ts; each chunk stamps the import's heartbeat, so a
// writer is told alive without trusting its pid alone). All or nothing, as the user sees it.

export interface ImportMeta {
  /** The account the file / sync was for (entries carry their own account too). */
  account: string
  /** 'binance' | 'coinbase' | 'kraken' | 'generic' | 'ccxt' | ... */
  format: string
  fileName?: string | null
}

/** What taking an import back out removed. */
export interface RemovedImport {
  account: string
  fileName: string | null
  /** Entries removed with it. */
  removed: number
}

export interface ImportResult {
  inserted: number
  duplicates: number
  /** The ledger_imports row (provenance), or null when no meta was given or nothing was new. */
  importId: number | null
  /** Accounts that got new rows. */
  accounts: string[]
}

/** How a file larger than one chunk is written (tests make chunks small and watch between them). */
export interface ChunkOptions {
  /** Entries per transaction (at most; a chunk also ends after maxChunkMs). */
  rows: number
  /** A chunk's transaction commits after this long even when short of `rows`. */
  maxChunkMs: number
  /** Pause after each chunk: the writer's own event loop runs, and a writer waiting elsewhere may get in. */
  pauseMs: number
  /**
   * A longer pause after this much writing: a writer in another process waiting for the lock retries on its
   * own clock (SQLite's busy handler sleeps up to 100 ms between tries), and a gap longer than that is sure
   * to let it in, so no write of the app waits much longer than this for the import.
   */
  longPauseEveryMs: number
  longPauseMs: number
  /** Called after each chunk commits (tests). */
  afterChunk?: (chunk: number) => void
}

export const DEFAULT_CHUNKS: ChunkOptions = { rows: 5000, maxChunkMs: 100, pauseMs: 5, longPauseEveryMs: 500, longPauseMs: 110 }

/** Work done inside the first and last transactions of an import (the caller's checks and extra rows). */
export interface ImportHooks {
  /** In the first transaction, before anything is written: throw to refuse the file. */
  first?: () => void
  /** In the transaction that makes the entries visible. */
  last?: () => void
  /** A leftover of a process that died, taken out of the account before the file went in. */
  abandoned?: (a: AbandonedImport) => void
}

const SOURCES: ReadonlySet<string> = new Set<LedgerSource>(['venue', 'csv', 'app'])
const SIDES: ReadonlySet<string> = new Set(['buy', 'sell'])
const SEP = '\u001f'

type EntryRow = [
  account: string,
  kind: string,
  timestamp: number,
  symbol: string | null,
  base: string,
  quote: string | null,
  side: string | null,
  price: string | null,
  amount: string,
  feeAsset: string | null,
  feeAmount: string | null,
  source: string,
  externalId: string | null,
  contentHash: string | null,
  importId: number | null,
  createdAt: number,
  total: string | null,
  memo: string | null,
]

const INSERT_ENTRY = `insert into ledger_entries
  (account, kind, timestamp, symbol, base, quote, side, price, amount, fee_asset, fee_amount, source, external_id, content_hash, import_id, created_at, total, memo)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict do nothing`

// The next import id, never one handed out before (ledger_import_ids); also past any id stored without it.
const NEXT_IMPORT_ID = `insert into ledger_import_ids (id, last) values (1, (select coalesce(max(id), 0) from ledger_imports) + 1)
  on conflict (id) do update set last = max(last, (select coalesce(max(id), 0) from ledger_imports)) + 1
  returning last`

export class LedgerWriter {
  private readonly insertEntry: Database.Statement
  private readonly nextImportId: Database.Statement
  private readonly storedExternal: Database.Statement
  private readonly storedHash: Database.Statement
  private readonly insertImport: Database.Statement
  private readonly finishImport: Database.Statement
  private readonly dropImport: Database.Statement
  private readonly run: Database.Transaction<(entries: readonly LedgerEntryInput[], meta: ImportMeta | null, hooks?: ImportHooks) => ImportResult>
  private readonly takeBack: (id: number) => RemovedImport | null
  private readonly sqlite: Database.Database
  private readonly insertPending: Database.Statement
  private readonly completeImport: Database.Statement
  private readonly countRevealed: Database.Statement
  private readonly heartbeat: Database.Statement
  private readonly chunks: ChunkOptions

  constructor(
    db: LedgerDb,
    private readonly now: () => number = Date.now,
    chunks: Partial<ChunkOptions> = {},
  ) {
    const sqlite = sqliteOf(db)
    this.sqlite = sqlite
    this.chunks = { ...DEFAULT_CHUNKS, ...chunks }
    this.insertEntry = sqlite.prepare(INSERT_ENTRY)
    this.nextImportId = sqlite.prepare(NEXT_IMPORT_ID).pluck()
    this.storedExternal = sqlite.prepare('select 1 from ledger_entries where account = ? and external_id = ?').pluck()
    this.storedHash = sqlite.prepare('select 1 from ledger_entries where account = ? and timestamp = ? and content_hash = ?').pluck()
    this.insertImport = sqlite.prepare('insert into ledger_imports (id, account, format, file_name, rows, inserted, created_at) values (?, ?, ?, ?, ?, 0, ?)')
    this.finishImport = sqlite.prepare('update ledger_imports set inserted = ? where id = ?')
    this.dropImport = sqlite.prepare('delete from ledger_imports where id = ?')
    this.insertPending = sqlite.prepare(
      "insert into ledger_imports (id, account, format, file_name, rows, inserted, created_at, state, owner_pid, owner_token, heartbeat_at) values (?, ?, ?, ?, ?, 0, ?, 'pending', ?, ?, ?)",
    )
    this.heartbeat = sqlite.prepare("update ledger_imports set heartbeat_at = ? where id = ? and state = 'pending'")
    this.completeImport = sqlite.prepare(
      "update ledger_imports set inserted = ?, state = 'complete', owner_pid = null, owner_token = null, heartbeat_at = null where id = ? and state = 'pending'",
    )
    this.countRevealed = sqlite.prepare('update ledger_import_ids set revealed = revealed + 1 where id = 1')
    this.run = sqlite.transaction((entries: readonly LedgerEntryInput[], meta: ImportMeta | null, hooks: ImportHooks = {}) => {
      hooks.first?.()
      const result = this.write(entries, meta)
      hooks.last?.()
      return result
    })
    // A pending import is not there yet: it cannot be taken out (its own writer takes it out if it fails).
    const findImport = sqlite.prepare("select account, file_name as fileName from ledger_imports where id = ? and state = 'complete'")
    const dropEntries = sqlite.prepare('delete from ledger_entries where import_id = ?')
    const countRemoval = sqlite.prepare('update ledger_import_ids set removals = removals + 1 where id = 1')
    this.takeBack = sqlite.transaction((id: number): RemovedImport | null => {
      const found = findImport.get(id) as { account: string; fileName: string | null } | undefined
      if (!found) return null
      const removed = dropEntries.run(id).changes
      this.dropImport.run(id)
      // Tells replays in other processes (the running app, when the CLI removed it) that rows left.
      if (removed > 0) countRemoval.run()
      return { ...found, removed }
    })
  }

  /**
   * Takes an import back out: the entries it added and its provenance row, in one transaction; null when
   * there is no such import. (An entry another file also held was added by whichever came first.)
   */
  removeImport(id: number): RemovedImport | null {
    return this.takeBack(id)
  }

  /**
   * Of the entries at `sample` (ascending indexes), how many each of `accounts` holds already, found as an
   * import into that account would find them (venue id, content hash, a former booking); reads only. Each
   * row is read once and looked up in all the accounts by one query; only the sampled rows and those sharing
   * their times (identical rows are told apart by their order) are read. Invalid entries throw as an import would.
   */
  countStoredIn(entries: readonly LedgerEntryInput[], accounts: readonly string[], sample: readonly number[]): Map<string, number> {
    const counts = new Map(accounts.map((a) => [a, 0]))
    if (accounts.length === 0 || sample.length === 0) return counts
    const slots = accounts.map(() => '?').join(', ')
    const byExternal = this.sqlite.prepare(`select account from ledger_entries where account in (${slots}) and external_id = ?`).pluck()
    const byHash = this.sqlite.prepare(`select account from ledger_entries where account in (${slots}) and timestamp = ? and content_hash in (${slots})`).pluck()
    const picked = new Set(sample)
    const times = new Set(sample.map((i) => (entries[i] as LedgerEntryInput).timestamp))
    const context: number[] = []
    for (let i = 0; i <= (sample[sample.length - 1] as number); i++) if (times.has((entries[i] as LedgerEntryInput).timestamp)) context.push(i)
    const batch = new BatchState(context.map((i) => entries[i] as LedgerEntryInput))
    const r = newRow()
    const former = batch.formerRow
    const hashesIn = (row: EntryRow, seen: number) => accounts.map((a) => ((row[0] = a), contentHashAt(row, seen)))
    for (let k = 0; k < context.length; k++) {
      const index = context[k] as number
      const e = entries[index] as LedgerEntryInput
      canonicalRow(r, e, index, null, 0)
      // Counted in every row sharing a sampled row's time, as the import counts them.
      const seen = r[12] === null ? occurrence(r, batch.occurrences) : 0
      let formerSeen = -1
      if (r[12] === null && e.kind !== 'trade' && e.formerBooking) {
        canonicalRow(former, { ...e, amount: e.formerBooking.amount, fee: e.formerBooking.fee }, index, null, 0)
        formerSeen = occurrence(former, batch.formerOccurrences)
      }
      if (!picked.has(index)) continue
      const found = new Set<string>()
      const add = (list: unknown[]) => list.forEach((a) => found.add(a as string))
      if (r[12] !== null) add(byExternal.all(...accounts, r[12]))
      else {
        add(byHash.all(...accounts, r[2], ...hashesIn(r, seen)))
        if (formerSeen >= 0) add(byHash.all(...accounts, r[2], ...hashesIn(former, formerSeen)))
        if (e.formerExternalId) add(byExternal.all(...accounts, e.formerExternalId))
      }
      for (const a of found) counts.set(a, (counts.get(a) ?? 0) + 1)
    }
    return counts
  }

  /**
   * Stores the entries that are new; all or nothing. Throws AppError BAD_INPUT naming the entry (1-based)
   * and the field when one is invalid — and then nothing at all was stored.
   */
  importBatch(entries: readonly LedgerEntryInput[], meta: ImportMeta | null = null): ImportResult {
    if (meta !== null) {
      if (!nonEmpty(meta.account)) throw new AppError('BAD_INPUT', 'import account must be a non-empty name')
      if (!nonEmpty(meta.format)) throw new AppError('BAD_INPUT', 'import format must be named')
    }
    if (entries.length === 0) return { inserted: 0, duplicates: 0, importId: null, accounts: [] }
    return this.run(entries, meta)
  }

  /**
   * An imported file: like importBatch with a meta, but a file larger than one chunk is written in short
   * transactions with pauses between them (see the top of this file), so no write of another process waits
   * long for it. `hooks.first` runs in the first transaction, `hooks.last` in the one that makes the entries
   * visible. On any failure nothing of the file stays (it is taken back out) and the error is thrown.
   */
  async importFile(entries: readonly LedgerEntryInput[], meta: ImportMeta, hooks: ImportHooks = {}): Promise<ImportResult> {
    if (!nonEmpty(meta.account)) throw new AppError('BAD_INPUT', 'import account must be a non-empty name')
    if (!nonEmpty(meta.format)) throw new AppError('BAD_INPUT', 'import format must be named')
    // Only when there is one (rare): otherwise the first transaction starts at once, as before.
    if (pendingImportsInto(this.sqlite, meta.account).some((p) => !ownerAlive(p, { now: this.now }))) {
      for (const a of await discardLeftoversInto(this.sqlite, meta.account, { ...this.chunks, now: this.now })) hooks.abandoned?.(a)
    }
    const first = () => {
      this.refuseWhilePending(meta.account)
      hooks.first?.()
    }
    if (entries.length <= this.chunks.rows) return this.run.immediate(entries, meta, { ...hooks, first })
    const createdAt = this.now()
    const importId = this.sqlite.transaction(() => {
      first()
      const id = Number(this.nextImportId.get())
      this.insertPending.run(id, meta.account, meta.format, meta.fileName ?? null, entries.length, createdAt, process.pid, OWNER_TOKEN, createdAt)
      return id
    }).immediate()
    const written = writingImport(this.sqlite, importId)
    try {
      const batch = new BatchState(entries)
      const chunk = this.sqlite.transaction((from: number) => {
        this.heartbeat.run(this.now(), importId)
        return this.writeEntries(batch, from, importId, createdAt, this.chunks)
      })
      let n = 0
      let busy = 0
      for (let from = 0; from < entries.length; ) {
        const t0 = performance.now()
        from = chunk.immediate(from)
        busy += performance.now() - t0
        this.chunks.afterChunk?.(++n)
        const long = busy >= this.chunks.longPauseEveryMs
        if (long) busy = 0
        await pause(long ? this.chunks.longPauseMs : this.chunks.pauseMs)
      }
      this.sqlite.transaction(() => {
        hooks.last?.()
        if (batch.inserted === 0) this.dropImport.run(importId)
        else if (this.completeImport.run(batch.inserted, importId).changes !== 1) throw new Error(`import ${importId} was taken out while it was being written`)
        // Replays in every process (the running app, when the CLI imported) start over: see tables.ts.
        else this.countRevealed.run()
      }).immediate()
      return batch.result(batch.inserted === 0 ? null : importId)
    } catch (err) {
      try {
        await discardPendingImport(this.sqlite, importId, this.chunks)
      } catch {
        // The connection is gone too (the app closing), or the database refused the deletes: the next import
        // into the account (no longer under way, below) or the next start takes the pending import out.
      }
      throw err
    } finally {
      written()
    }
  }

  /**
   * In an import's first transaction (so no other import can start in between): refused while another import
   * into the account is being written. Its rows are not stored yet — they leave again if it fails — so this
   * file would count them as already there, and lose them with it; the same file twice would be split
   * between the two imports.
   */
  private refuseWhilePending(account: string): void {
    if (pendingImportsInto(this.sqlite, account).length === 0) return
    // A leftover whose writer died since the check before this transaction is taken out at the next try.
    throw new AppError('CONFLICT', `an import into ${account} is still being written; try again when it has finished; nothing was imported`)
  }

  private write(entries: readonly LedgerEntryInput[], meta: ImportMeta | null): ImportResult {
    const createdAt = this.now()
    let importId: number | null = null
    if (meta !== null) {
      importId = Number(this.nextImportId.get())
      this.insertImport.run(importId, meta.account, meta.format, meta.fileName ?? null, entries.length, createdAt)
    }
    const batch = new BatchState(entries)
    this.writeEntries(batch, 0, importId, createdAt, null)
    const inserted = batch.inserted
    if (importId !== null) {
      if (inserted === 0) this.dropImport.run(importId)
      else this.finishImport.run(inserted, importId)
    }
    return batch.result(inserted === 0 ? null : importId)
  }

  /**
   * Writes entries from `from` on: all of them, or (with `limit`) up to limit.rows or until limit.maxChunkMs
   * passed. Returns the index after the last one written.
   */
  private writeEntries(batch: BatchState, from: number, importId: number | null, createdAt: number, limit: ChunkOptions | null): number {
    const { entries, occurrences, accounts } = batch
    const r = newRow()
    const insert = this.insertEntry
    let inserted = 0
    const end = limit === null ? entries.length : Math.min(entries.length, from + limit.rows)
    const deadline = limit === null ? Number.POSITIVE_INFINITY : performance.now() + limit.maxChunkMs
    let i = from
    for (; i < end; i++) {
      // The clock is read every 256 rows: a chunk ends in time even where rows are slow (big indexes).
      if ((i & 255) === 255 && i > from && performance.now() > deadline) break
      canonicalRow(r, entries[i] as LedgerEntryInput, i, importId, createdAt)
      r[13] = r[12] === null ? contentHash(r, occurrences) : null
      if (r[12] === null && this.storedBefore(batch, i, r, importId, createdAt)) continue
      // Spread arguments bind faster than an array in better-sqlite3.
      if (insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17]).changes > 0) {
        inserted++
        if (!accounts.has(r[0])) accounts.add(r[0])
      }
    }
    batch.inserted += inserted
    return i
  }

  /** Whether the row at `index` (content hash `r`) is stored as earlier versions identified or booked it. */
  private storedBefore(batch: BatchState, index: number, r: EntryRow, importId: number | null, createdAt: number): boolean {
    const e = batch.entries[index] as LedgerEntryInput
    let booked = false
    if (e.kind !== 'trade' && e.formerBooking) {
      // Hashed as the earlier version hashed it, identical former bookings counted apart (as its batch did).
      const former = batch.formerRow
      canonicalRow(former, { ...e, amount: e.formerBooking.amount, fee: e.formerBooking.fee }, index, importId, createdAt)
      booked = this.storedHash.get(r[0], r[2], contentHash(former, batch.formerOccurrences)) !== undefined
    }
    return booked || (!!e.formerExternalId && this.storedExternal.get(r[0], e.formerExternalId) !== undefined)
  }
}

/** One batch's progress across its chunks: the occurrence counts run over the whole file. */
class BatchState {
  readonly occurrences: Occurrences
  /** The same over the rows' former bookings (LedgerTransferInput.formerBooking), and a row to hash them in. */
  readonly formerOccurrences: Occurrences
  readonly formerRow = newRow()
  readonly accounts = new Set<string>()
  inserted = 0

  constructor(readonly entries: readonly LedgerEntryInput[]) {
    const sorted = inTimeOrder(entries)
    this.occurrences = new Occurrences(sorted)
    this.formerOccurrences = new Occurrences(sorted)
  }

  result(importId: number | null): ImportResult {
    return { inserted: this.inserted, duplicates: this.entries.length - this.inserted, importId, accounts: [...this.accounts] }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** sha256 over the canonical fields (not the source) + the occurrence index of identical rows in this batch. */
function contentHash(r: EntryRow, occurrences: Occurrences): string {
  return contentHashAt(r, occurrence(r, occurrences))
}

/** How many rows identical to `r` came earlier in the batch (counting this one in). */
function occurrence(r: EntryRow, occurrences: Occurrences): number {
  return occurrences.count(r[2], contentHashAt(r, 0))
}

/** The content hash of `r`, the `seen`-th of identical rows in its batch. */
function contentHashAt(r: EntryRow, seen: number): string {
  const key =
    r[0] + SEP + r[1] + SEP + r[2] + SEP + (r[3] ?? '') + SEP + r[4] + SEP + (r[5] ?? '') + SEP + (r[6] ?? '') + SEP + (r[7] ?? '') + SEP + r[8] + SEP + (r[9] ?? '') + SEP + (r[10] ?? '') +
    // Only a stated total joins the key, so rows stored before totals existed keep their hashes.
    (r[16] === null ? '' : `${SEP}total=${r[16]}`)
  return seen === 0 ? hash('sha256', key, 'base64url') : hash('sha256', `${key}${SEP}#${seen}`, 'base64url')
}

/**
 * How many identical rows came earlier in this batch. Identical rows share their timestamp, so in a batch
 * sorted by time (either way — exports come oldest or newest first) only the current timestamp's rows need
 * remembering; an unsorted batch remembers every row. Same answers either way.
 */
class Occurrences {
  private readonly all: Map<string, number> | null
  private groupTime = Number.NaN
  private group = new Map<string, number>()

  constructor(sorted: boolean) {
    this.all = sorted ? null : new Map()
  }

  count(timestamp: number, first: string): number {
    let seen: Map<string, number>
    if (this.all !== null) {
      seen = this.all
    } else {
      if (timestamp !== this.groupTime) {
        this.groupTime = timestamp
        if (this.group.size > 0) this.group = new Map()
      }
      seen = this.group
    }
    const n = seen.get(first)
    seen.set(first, n === undefined ? 1 : n + 1)
    return n ?? 0
  }
}

function inTimeOrder(entries: readonly LedgerEntryInput[]): boolean {
  let up = true
  let down = true
  for (let i = 1; i < entries.length && (up || down); i++) {
    const a = (entries[i - 1] as LedgerEntryInput).timestamp
    const b = (entries[i] as LedgerEntryInput).timestamp
    if (b < a) up = false
    if (b > a) down = false
  }
  return up || down
}

function newRow(): EntryRow {
  return ['', '', 0, null, '', null, null, null, '', null, null, '', null, null, null, 0, null, null]
}

/** A movement's words from its source ("ETH 2.0 Staking"): descriptive only, never part of the dedup key. */
function memoOf(memo: unknown, index: number): string | null {
  if (memo === undefined || memo === null) return null
  if (typeof memo !== 'string') throw bad(index, 'memo must be text')
  const text = memo.trim()
  if (text.length > 120) throw bad(index, `memo is ${text.length} characters, at most 120`)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 32 || c === 127) throw bad(index, 'memo must not hold control characters')
  }
  return text === '' ? null : text
}

function nonEmpty(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= 200 && (x.charCodeAt(0) > 32 || x.trim() !== '')
}

function bad(index: number, message: string): AppError {
  return new AppError('BAD_INPUT', `entry ${index + 1}: ${message}`)
}

/** Validates `e` and writes its canonical column values into `r` (contentHash left to the caller). */
function canonicalRow(r: EntryRow, e: LedgerEntryInput, index: number, importId: number | null, createdAt: number): void {
  if (e === null || typeof e !== 'object') throw bad(index, 'not an entry')
  if (!nonEmpty(e.account)) throw bad(index, 'account must be a non-empty name')
  if (!Number.isSafeInteger(e.timestamp) || e.timestamp < 0) throw bad(index, `timestamp must be integer milliseconds since 1970, got ${String(e.timestamp)}`)
  if (!SOURCES.has(e.source)) throw bad(index, `source must be venue, csv or app, got "${String(e.source)}"`)
  const externalId = e.externalId ?? null
  if (externalId !== null && !nonEmpty(externalId)) throw bad(index, 'externalId must be a non-empty string or null')
  const amount = positive(e.amount, 'amount', index)
  let feeAsset: string | null = null
  let feeAmount: string | null = null
  if (e.fee !== null && e.fee !== undefined) {
    if (!nonEmpty(e.fee.asset)) throw bad(index, 'fee asset must be named')
    feeAsset = e.fee.asset
    feeAmount = canonicalDecimal(e.fee.amount)
    if (feeAmount === null) throw bad(index, `fee amount "${String(e.fee.amount)}" is not a decimal number`)
  }
  r[0] = e.account
  r[2] = e.timestamp
  r[8] = amount
  r[9] = feeAsset
  r[10] = feeAmount
  r[11] = e.source
  r[12] = externalId
  r[14] = importId
  r[15] = createdAt
  if (e.kind === 'trade') {
    if (!nonEmpty(e.symbol)) throw bad(index, 'symbol must be named')
    if (!nonEmpty(e.base) || !nonEmpty(e.quote)) throw bad(index, 'base and quote assets must be named')
    if (e.base === e.quote) throw bad(index, `base and quote are both ${e.base}`)
    if (!SIDES.has(e.side)) throw bad(index, `side must be buy or sell, got "${String(e.side)}"`)
    const price = canonicalDecimal(e.price)
    if (price === null) throw bad(index, `price "${String(e.price)}" is not a decimal number`)
    if (price.startsWith('-')) throw bad(index, `price must not be negative, got ${price}`)
    r[16] = e.total === undefined || e.total === null ? null : positive(e.total, 'total', index)
    r[17] = memoOf(e.memo, index)
    r[1] = 'trade'
    r[3] = e.symbol
    r[4] = e.base
    r[5] = e.quote
    r[6] = e.side
    r[7] = price
    return
  }
  if (e.kind !== 'deposit' && e.kind !== 'withdrawal' && e.kind !== 'income') {
    throw bad(index, `kind must be trade, deposit, withdrawal or income, got "${String((e as { kind: unknown }).kind)}"`)
  }
  if (!nonEmpty(e.asset)) throw bad(index, 'asset must be named')
  r[17] = memoOf(e.memo, index)
  r[1] = e.kind
  r[3] = null
  r[4] = e.asset
  r[5] = null
  r[6] = null
  r[7] = null
  r[16] = null
}

function positive(text: string, field: string, index: number): string {
  const d = canonicalDecimal(text)
  if (d === null) throw bad(index, `${field} "${String(text)}" is not a decimal number`)
  if (d === '0' || d.startsWith('-')) throw bad(index, `${field} must be greater than 0, got ${d}`)
  return d
}

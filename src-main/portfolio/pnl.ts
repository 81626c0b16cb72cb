import type Database from 'better-sqlite3'
import { AppError } from '../api/errors'
import { sqliteOf, type LedgerDb } from './sqlite'
import { arithmetic, type ArithName } from './arith'
import { PortfolioBook, type AccountTotals, type PortfolioTotals, type TransferKind } from './lots'
import type { CostMethod, LedgerEntryInput, LedgerWarning, Lot, PositionPnl } from './model'
import { cashAssets, DEFAULT_EQUIVALENTS, priceAliases } from './prices'
import { NO_SIM_PAPER, simulatedPaperAccounts, venueOfTrade, type SimPaperAccounts } from './venue-prices'
import { visibleEntry } from './visible'

// computePortfolio: replays the ledger (the database, or entries given directly) in time order through
// the lots engine (lots.ts) and values what is held at the given prices. Rows are streamed from SQLite, so
// memory grows with the open lots, not with the history.

export interface PriceMarkInput {
  asset: string
  quote: string
  price: string
  at: number
  /** The venue whose price it is ('sim', an exchange account id); null or absent: unknown (a rates file). */
  venue?: string | null
}

export interface ComputeOptions {
  /** Read the ledger (ledger_entries + price_marks) from this database... */
  db?: LedgerDb
  /** ...or compute over these entries (any order; sorted by time, stable). */
  entries?: Iterable<LedgerEntryInput>
  /** Price observations to use with `entries` (with `db` they come from price_marks). */
  marks?: Iterable<PriceMarkInput>
  method?: CostMethod
  /** As of this time (ms): later entries are ignored. */
  at?: number
  /** Only this account's positions (prices still come from every account's trades). */
  account?: string
  /**
   * Asset → price in the reporting currency for unrealized P&L, or such a map per account (each valued at
   * its own venue's prices: storedPrices); a held asset without one is unpriced.
   */
  prices?: ReadonlyMap<string, string> | ((account: string) => ReadonlyMap<string, string>)
  /** Default USDT. */
  reportingCurrency?: string
  /** Treated as 1 unit of the reporting currency when it is one of them; default USDT, USD, USDC, BUSD. */
  equivalents?: readonly string[]
  /** Also sum realized P&L from this time on (realizedInPeriod). */
  since?: number
  /** Return the open lots too. */
  lots?: boolean
  /** 'fixed' (BigInt, default) or 'decimal' (decimal.js): same definition, same results to the last digit. */
  arithmetic?: ArithName
  /** The paper accounts on the simulated exchange; default: read from `db` (none with `entries`). */
  simPaper?: SimPaperAccounts
}

export interface PortfolioResult {
  positions: PositionPnl[]
  lots?: Lot[]
  warnings: LedgerWarning[]
  totals: PortfolioTotals
  accounts: AccountTotals[]
}

/** A ledger row as read for computing; absent values are '' (quote, side, price, fee). */
export type LedgerRow = [kind: string, account: string, timestamp: number, base: string, quote: string, side: string, price: string, amount: string, feeAsset: string, feeAmount: string, id: string, total: string, source: string]
export type MarkRow = [asset: string, quote: string, price: string, at: number, venue: string | null]

export function computePortfolio(options: ComputeOptions): PortfolioResult {
  const method = options.method ?? 'fifo'
  if (method !== 'fifo' && method !== 'average') throw new AppError('BAD_INPUT', `unknown cost method "${String(method)}" (fifo or average)`)
  const reporting = options.reportingCurrency ?? 'USDT'
  const at = options.at ?? Number.MAX_SAFE_INTEGER
  const book = new PortfolioBook(arithmetic(options.arithmetic ?? 'fixed'), {
    method,
    reporting,
    cash: cashAssets(reporting, options.equivalents ?? DEFAULT_EQUIVALENTS),
    alias: priceAliases(reporting, options.equivalents ?? DEFAULT_EQUIVALENTS),
    simPaper: simPaperOf(options),
    ...(options.since !== undefined ? { since: options.since } : {}),
  })
  const only = options.account
  replayLedger(book, { ...options, at, includes: only === undefined ? () => true : (a) => a === only })

  const valued = book.valued(options.prices ?? new Map(), options.at ?? Date.now())
  return {
    positions: valued.positions,
    ...(options.lots ? { lots: book.lots() } : {}),
    warnings: valued.warnings,
    totals: valued.totals,
    accounts: valued.accounts,
  }
}

/** The simulated paper accounts of a computation's ledger: given, else read from its database. */
export function simPaperOf(source: { db?: LedgerDb | undefined; simPaper?: SimPaperAccounts | undefined }): SimPaperAccounts {
  return source.simPaper ?? (source.db !== undefined ? simulatedPaperAccounts(source.db) : NO_SIM_PAPER)
}

export interface ReplayOptions {
  db?: LedgerDb
  entries?: Iterable<LedgerEntryInput>
  marks?: Iterable<PriceMarkInput>
  /** Entries and marks after this time (ms) are left out. */
  at: number
  /** Accounts booked; every other account's trades are only observed for their prices. */
  includes: (account: string) => boolean
  /** Called every STEP_ROWS rows: a long job's checkpoint, which may throw to stop the replay. */
  step?: () => void
}

const STEP_ROWS = 512

/** The ledger (database or given entries) and the price marks, in time order, through `book`. */
export function replayLedger<N>(book: PortfolioBook<N>, options: ReplayOptions): void {
  const { at, includes } = options
  const sim = book.prices.simPaper
  if (options.db !== undefined) {
    const sqlite = sqliteOf(options.db)
    const marks = sqlite.prepare('select asset, quote, price, at, venue from price_marks where at <= ? order by at, id').raw().iterate(at) as IterableIterator<MarkRow>
    replay(ledgerRows(sqlite, at), (r) => r[2], marks, book, options.step, (r) => {
      const feeAsset = r[8] === '' ? null : r[8]
      const feeAmount = r[9] === '' ? null : r[9]
      if (!includes(r[1])) {
        if (r[0] === 'trade') book.observe(r[3], r[4], r[6], r[2], venueOfTrade(r[1], r[12], sim))
      } else if (r[0] === 'trade') {
        book.trade(r[1], r[2], r[3], r[4], r[5] as 'buy' | 'sell', r[6], r[7], feeAsset, feeAmount, r[11] === '' ? null : r[11], venueOfTrade(r[1], r[12], sim))
      } else {
        book.transfer(r[0] as TransferKind, r[1], r[2], r[3], r[7], feeAsset, feeAmount)
      }
    })
    return
  }
  const marks = [...(options.marks ?? [])]
    .filter((m) => m.at <= at)
    .sort((a, b) => a.at - b.at)
    .map((m): MarkRow => [m.asset, m.quote, m.price, m.at, m.venue ?? null])
  replay(inTimeOrder(options.entries ?? [], at), (e) => e.timestamp, marks[Symbol.iterator](), book, options.step, (e) => {
    const fee = e.fee
    if (!includes(e.account)) {
      if (e.kind === 'trade') book.observe(e.base, e.quote, e.price, e.timestamp, venueOfTrade(e.account, e.source, sim))
    } else if (e.kind === 'trade') {
      book.trade(e.account, e.timestamp, e.base, e.quote, e.side, e.price, e.amount, fee ? fee.asset : null, fee ? fee.amount : null, e.total ?? null, venueOfTrade(e.account, e.source, sim))
    } else {
      book.transfer(e.kind, e.account, e.timestamp, e.asset, e.amount, fee ? fee.asset : null, fee ? fee.amount : null)
    }
  })
}

/**
 * Merges the entries and the marks by time; a mark at the same ms as an entry comes first. Both iterators
 * are closed however it ends: an open statement iterator would keep the connection busy for every later query.
 */
function replay<R, N>(rows: Iterator<R>, timeOf: (r: R) => number, marks: Iterator<MarkRow>, book: PortfolioBook<N>, step: (() => void) | undefined, apply: (r: R) => void): void {
  let mark = marks.next()
  let r = rows.next()
  try {
    for (let n = 1; !r.done; r = rows.next(), n++) {
      const row = r.value
      const t = timeOf(row)
      while (!mark.done && mark.value[3] <= t) {
        book.mark(mark.value[0], mark.value[1], mark.value[2], mark.value[3], mark.value[4])
        mark = marks.next()
      }
      apply(row)
      if (step && n % STEP_ROWS === 0) step()
    }
  } finally {
    if (!r.done) rows.return?.()
    if (!mark.done) marks.return?.()
  }
}

/** The entries up to `at`, by time (stable: same-time entries keep their order); no copy when already sorted. */
function inTimeOrder(entries: Iterable<LedgerEntryInput>, at: number): Iterator<LedgerEntryInput> {
  const list = Array.isArray(entries) ? (entries as LedgerEntryInput[]) : [...entries]
  let sorted = true
  let filtered = false
  for (let i = 0; i < list.length; i++) {
    const t = (list[i] as LedgerEntryInput).timestamp
    if (t > at) filtered = true
    if (i > 0 && t < (list[i - 1] as LedgerEntryInput).timestamp) sorted = false
  }
  if (sorted && !filtered) return list[Symbol.iterator]()
  const kept = filtered ? list.filter((e) => e.timestamp <= at) : list.slice()
  if (!sorted) kept.sort((a, b) => a.timestamp - b.timestamp)
  return kept[Symbol.iterator]()
}

const COLUMNS = ['kind', 'account', 'timestamp', 'base', "ifnull(quote, '')", "ifnull(side, '')", "ifnull(price, '')", 'amount', "ifnull(fee_asset, '')", "ifnull(fee_amount, '')", 'id', "ifnull(total, '')", 'source']
const SELECT_COLUMNS = COLUMNS.join(', ')
const CHUNK = 5000
const FIELD = '\u001f'
const LINE = '\u001e'

/**
 * The ledger up to `at`, in time order. Reading a million rows one by one costs more than computing
 * them (a JS round trip and ~10 strings per row), so rows come in chunks of 5,000 joined into one string
 * by SQLite and split here — about 1.5× faster. group_concat promises no order without an ORDER BY of its
 * own (which costs a sort per chunk), so the order is checked here and a chunk sorted if ever needed. A
 * name holding the separator characters would break a line's shape: that is detected and the rows are
 * then read one by one instead.
 */
export function* ledgerRows(sqlite: Database.Database, at: number): Generator<LedgerRow> {
  const line = COLUMNS.join(' || char(31) || ')
  const chunk = sqlite
    .prepare(
      `select group_concat(line, char(30)) from (
         select ${line} as line from ledger_entries
         where (timestamp, id) > (?, ?) and timestamp <= ? and ${visibleEntry()} order by timestamp, id limit ${CHUNK})`,
    )
    .pluck()
  let lastTime = Number.MIN_SAFE_INTEGER
  let lastId = 0
  for (;;) {
    const text = chunk.get(lastTime, lastId, at) as string | null
    if (text === null) return
    const lines = text.split(LINE)
    const rows: LedgerRow[] = []
    const ids: number[] = []
    let ordered = true
    let prevTime = lastTime
    let prevId = lastId
    for (const l of lines) {
      const f = l.split(FIELD) as unknown as LedgerRow
      if (f.length !== COLUMNS.length) {
        yield* rowsOneByOne(sqlite, at, lastTime, lastId)
        return
      }
      const time = Number(f[2])
      const id = Number(f[10])
      if (time < prevTime || (time === prevTime && id < prevId)) ordered = false
      prevTime = time
      prevId = id
      f[2] = time
      rows.push(f)
      ids.push(id)
    }
    if (!ordered) {
      const order = rows.map((_, i) => i).sort((a, b) => (rows[a] as LedgerRow)[2] - (rows[b] as LedgerRow)[2] || (ids[a] as number) - (ids[b] as number))
      const sorted = order.map((i) => rows[i] as LedgerRow)
      for (const r of sorted) yield r
      const last = order[order.length - 1] as number
      lastTime = (rows[last] as LedgerRow)[2]
      lastId = ids[last] as number
    } else {
      for (const r of rows) yield r
      lastTime = prevTime
      lastId = prevId
    }
    if (lines.length < CHUNK) return
  }
}

function* rowsOneByOne(sqlite: Database.Database, at: number, afterTime: number, afterId: number): Generator<LedgerRow> {
  yield* sqlite
    .prepare(`select ${SELECT_COLUMNS} from ledger_entries where (timestamp, id) > (?, ?) and timestamp <= ? and ${visibleEntry()} order by timestamp, id`)
    .raw()
    .iterate(afterTime, afterId, at) as IterableIterator<LedgerRow>
}

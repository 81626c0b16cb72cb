import type { SyncStatus } from '../../api/schemas/portfolio'
import { VenueError, type Conversion, type Fill, type Reward, type Transfer, type Venue } from '../../venues/port'
import type { ImportMeta, ImportResult } from '../ledger'
import type { LedgerEntryInput } from '../model'
import type { PriceMarkInput } from '../pnl'
import { splitSymbol } from '../symbols'
import { conversionEntries, fillEntries, rewardEntries, transferEntries } from './entries'
import { chooseMarkets } from './markets'
import type { CursorPhase, SyncCursor, SyncStore } from './store'
import { readWindow, windowsOf, type TimeWindow } from './windows'

// One account's history sync, start to end: deposits, withdrawals, conversions, dust sweeps, fiat purchases
// and rewards, then the account's markets, each read page by page from where the last run stopped (the
// cursors). Every page is stored with its cursor in ONE transaction, so whatever stops a run (cancel, crash,
// an exchange error) leaves the ledger and the cursors agreeing: the next run re-reads at most the page that
// was in flight, and the ledger's dedup makes that a no-op. Progress counts requests: done of total, total
// growing when a page comes back full.

const DAY = 86_400_000
/** A run's cursors stop this long before its start: the next run re-reads the last minute (late arrivals). */
export const SETTLE_MS = 60_000

export type HistoryVenue = Venue & Required<Pick<Venue, 'historyPaging' | 'fetchMyFillsPage'>>

export interface SyncRunOptions {
  /** Markets to read besides the ones found from balances and the ledger ("SOL/USDT"). */
  markets?: readonly string[]
  /** Rows per request, below the venue's maximum (tests use small pages). */
  pageLimit?: number
  /** 'time' reads trades by time windows even where the venue pages by id (tests of the windowed path). */
  tradePaging?: 'auto' | 'time'
  /** Where a first sync starts (default: the venue's history start). */
  since?: number
  /** Daily close marks from the venue's daily candles for markets with new fills (default true). */
  marks?: boolean
}

export interface SyncRunDeps {
  account: string
  venue: HistoryVenue
  store: SyncStore
  importBatch(entries: readonly LedgerEntryInput[], meta: ImportMeta | null): ImportResult
  recordMarks(marks: readonly PriceMarkInput[]): number
  /** Every asset the ledger holds any entry of for the account. */
  ledgerAssets(account: string): string[]
  now(): number
  signal: AbortSignal
  /** Mutated as the run goes; `progress()` announces it. */
  status: SyncStatus
  progress(): void
  warn(message: string): void
  /** Counts rows read but not stored, by reason (SyncStatus.skipped). */
  skip(reason: string, count: number): void
  options: SyncRunOptions
}

export class SyncCancelled extends Error {
  constructor() {
    super('The sync was cancelled')
    this.name = 'SyncCancelled'
  }
}

export async function runSync(d: SyncRunDeps): Promise<void> {
  // One run: the venue may read a history shared by the markets once (Kraken's trades of all pairs).
  return d.venue.historyRun ? d.venue.historyRun(() => syncAll(d)) : syncAll(d)
}

async function syncAll(d: SyncRunDeps): Promise<void> {
  const { account, venue, store, status } = d
  const paging = venue.historyPaging()
  const startedAt = d.now()
  const settled = startedAt - SETTLE_MS
  const meta: ImportMeta = { account, format: `sync:${venue.exchange}` }
  const stop = () => {
    if (d.signal.aborted) throw new SyncCancelled()
  }
  const step = (fetched: number, inserted: number, more = 0) => {
    status.done++
    status.total += more
    status.fetched += fetched
    status.inserted += inserted
    d.progress()
  }
  const commit = (entries: readonly LedgerEntryInput[], cursor: SyncCursor): number =>
    store.transaction(() => {
      const result = entries.length > 0 ? d.importBatch(entries, meta) : { inserted: 0 }
      store.saveCursor(cursor, d.now())
      return result.inserted
    })
  const firstSince = d.options.since ?? paging.start

  // ---- deposits, withdrawals, conversions and rewards first: their assets tell which markets to read ----
  const timed = timedPhases(d)
  const plans = timed.map((phase) => {
    const cursor = store.cursor(account, phase.cursor, '')
    const from = Math.max(cursor?.time ?? firstSince, phase.paging.start ?? -Infinity)
    return { phase, cursor, windows: windowsOf(from, startedAt, phase.paging.windowMs) }
  })
  status.total += plans.reduce((n, p) => n + p.windows.length, 0) + 1 // + choosing the markets
  d.progress()
  for (const { phase, cursor, windows } of plans) {
    status.phase = phase.shown
    d.progress()
    const limit = Math.min(d.options.pageLimit ?? Infinity, phase.paging.limit)
    let fetchedSoFar = cursor?.fetched ?? 0
    /** The oldest row still pending: the cursor waits there, so a later run picks it up completed. */
    let hold = Infinity
    for (const [i, w] of windows.entries()) {
      const read = await unlessRefused(d, phase, () => readWindow((page) => phase.fetch({ ...page, limit }), w, limit, phase.idOf, stop))
      if (read === null) {
        status.done += windows.length - i
        d.progress()
        break
      }
      const { rows, requests } = read
      stop()
      crowdedSkips(d, `${phase.noun}s`, limit, read.crowded)
      for (const row of rows) {
        const pending = phase.pendingAt(row)
        if (pending === null) continue
        hold = Math.min(hold, pending)
        d.skip(phase.pendingReason(row), 1)
      }
      fetchedSoFar += rows.length
      const time = Math.min(hold, w.until + 1, settled)
      const inserted = commit(phase.entries(rows), { account, phase: phase.cursor, market: '', time, fromId: null, fetched: fetchedSoFar })
      status.done += requests - 1
      status.total += requests - 1
      step(rows.length, inserted)
    }
  }

  // ---- the markets --------------------------------------------------------------------------------------
  status.phase = 'markets'
  d.progress()
  const [markets, balances] = await Promise.all([venue.loadMarkets(), venue.fetchBalances()])
  stop()
  const synced = store.cursors(account).filter((c) => c.phase === 'trades').map((c) => c.market)
  const choice = chooseMarkets({
    markets,
    assets: [...balances.map((b) => b.asset), ...d.ledgerAssets(account)],
    synced,
    given: d.options.markets ?? [],
  })
  if (choice.unknown.length > 0) d.warn(`not spot markets of ${venue.exchange}, skipped: ${choice.unknown.join(', ')}`)
  const byId = paging.trades.byId && d.options.tradePaging !== 'time'
  const tradeLimit = Math.min(d.options.pageLimit ?? Infinity, paging.trades.limit)
  const tradePlans = choice.symbols.map((symbol) => {
    const cursor = store.cursor(account, 'trades', symbol)
    const windows = byId ? [] : windowsOf(cursor?.time ?? firstSince, startedAt, paging.trades.windowMs)
    return { symbol, cursor, windows }
  })
  status.total += tradePlans.reduce((n, p) => n + (byId ? 1 : p.windows.length), 0)
  step(0, 0)

  // ---- the trades, market by market ---------------------------------------------------------------------
  status.phase = 'trades'
  d.progress()
  for (const plan of tradePlans) {
    let earliest = Infinity
    let fetchedSoFar = plan.cursor?.fetched ?? 0
    const cursorOf = (c: Partial<SyncCursor>): SyncCursor => ({
      account,
      phase: 'trades' as CursorPhase,
      market: plan.symbol,
      time: null,
      fromId: null,
      fetched: fetchedSoFar,
      ...c,
    })
    if (byId) {
      let fromId = plan.cursor?.fromId ?? '0'
      for (;;) {
        stop()
        const page = await venue.fetchMyFillsPage(plan.symbol, { fromId, limit: tradeLimit })
        stop()
        // Paging by id cannot start at a day: the pages before the History from day are walked through
        // (the id cursor goes past them) and their fills left out, as the time-windowed path never asks for them.
        const kept = page.filter((f) => f.timestamp >= firstSince)
        for (const f of kept) earliest = Math.min(earliest, f.timestamp)
        fetchedSoFar += page.length
        if (page.length > 0) fromId = nextId(maxId(page))
        const inserted = commit(fillEntries(account, kept), cursorOf({ fromId }))
        const more = page.length >= tradeLimit
        step(page.length, inserted, more ? 1 : 0)
        if (!more) break
      }
    } else {
      for (const w of plan.windows) {
        const { rows, requests, crowded } = await readWindow<Fill>(
          (page: TimeWindow) => venue.fetchMyFillsPage(plan.symbol, { ...page, limit: tradeLimit }),
          w,
          tradeLimit,
          (f) => f.tradeId,
          stop,
        )
        stop()
        crowdedSkips(d, `${plan.symbol} fills`, tradeLimit, crowded)
        for (const f of rows) earliest = Math.min(earliest, f.timestamp)
        fetchedSoFar += rows.length
        const sorted = rows.sort((a, b) => a.timestamp - b.timestamp)
        const inserted = commit(fillEntries(account, sorted), cursorOf({ time: Math.min(w.until + 1, settled) }))
        status.done += requests - 1
        status.total += requests - 1
        step(rows.length, inserted)
      }
    }
    if (earliest !== Infinity && d.options.marks !== false) await recordDailyMarks(d, plan.symbol, earliest, startedAt)
  }
  status.phase = 'done'
}

/**
 * A millisecond that still filled a whole page: the venue pages by time alone, so whatever lies past that
 * page (if anything) cannot be asked for. Said in the run's "not read" counts (and the log), never passed
 * by in silence.
 */
function crowdedSkips(d: SyncRunDeps, what: string, limit: number, crowded: readonly number[]): void {
  for (const at of crowded) {
    const reason = `millisecond that filled a whole page of ${limit} ${what} (${new Date(at).toISOString()}): any more there cannot be read, the exchange pages by time only`
    d.skip(reason, 1)
    d.warn(reason)
  }
}

/** A history read by time windows alone, stored under one cursor (market ''). */
interface TimedPhase<T> {
  cursor: CursorPhase
  shown: NonNullable<SyncStatus['phase']>
  /** What one row is, for messages ("conversion"). */
  noun: string
  /** Beside the trades (conversions, rewards, …): the exchange refusing it skips it instead of failing the run. */
  optional: boolean
  paging: WindowPaging
  fetch(page: { since: number; until: number; limit: number }): Promise<T[]>
  idOf(row: T): string
  /** The row's time when it may still complete (the cursor must not pass it), else null. */
  pendingAt(row: T): number | null
  /** Why a pending row is not stored yet, for SyncStatus.skipped ("deposit not complete yet"). */
  pendingReason(row: T): string
  entries(rows: T[]): LedgerEntryInput[]
}

/**
 * How one time-windowed history is paged (HistoryPaging.transfers, .conversions, .dust, …); `start`: the
 * venue keeps nothing older, so reading starts there even when the account's history starts earlier.
 */
type WindowPaging = { windowMs: number; limit: number; start?: number }
type Fetch = (page: { since: number; until: number; limit: number }) => Promise<Conversion[]>

/** The venue's time-windowed histories, in the order they are read; a venue without one skips it. */
function timedPhases(d: SyncRunDeps): TimedPhase<never>[] {
  const { account, venue } = d
  const paging = venue.historyPaging()
  const phases: TimedPhase<never>[] = []
  const add = <T>(phase: TimedPhase<T>) => phases.push(phase as unknown as TimedPhase<never>)
  const pendingAt = (row: { status: string; timestamp: number }) => (row.status === 'pending' ? row.timestamp : null)
  const notYet = (noun: string) => (row: object) => {
    const note = 'note' in row && typeof row.note === 'string' && row.note !== '' ? row.note : null
    return note ? `${noun} "${note}"` : `${noun} not complete yet`
  }
  const { fetchTransfers, fetchConversions, fetchDustConversions, fetchFiatPurchases, fetchRewards } = venue
  if (paging.transfers && fetchTransfers) {
    for (const kind of ['deposit', 'withdrawal'] as const) {
      add<Transfer>({
        cursor: kind,
        shown: kind === 'deposit' ? 'deposits' : 'withdrawals',
        noun: kind,
        optional: false,
        paging: paging.transfers,
        fetch: (page) => fetchTransfers.call(venue, kind, page),
        idOf: (t) => t.id,
        pendingAt,
        pendingReason: notYet(kind),
        entries: (rows) => transferEntries(account, rows),
      })
    }
  }
  // Swaps outside the order book: each completed one a trade with both sides exact, kept as "<prefix>:<id>".
  const swaps: [CursorPhase, TimedPhase<Conversion>['shown'], WindowPaging | null, Fetch | undefined, string, 'convert' | 'dust' | 'buy'][] = [
    ['conversion', 'conversions', paging.conversions, fetchConversions, 'conversion', 'convert'],
    ['dust', 'conversions', paging.dust, fetchDustConversions, 'dust sweep', 'dust'],
    ['purchase', 'purchases', paging.purchases, fetchFiatPurchases, 'fiat purchase', 'buy'],
  ]
  for (const [cursor, shown, windows, fetch, noun, prefix] of swaps) {
    if (!windows || !fetch) continue
    add<Conversion>({
      cursor,
      shown,
      noun,
      optional: true,
      paging: windows,
      fetch: (page) => fetch.call(venue, page),
      idOf: (c) => c.id,
      pendingAt,
      pendingReason: notYet(noun),
      entries: (rows) => conversionEntries(account, rows, prefix),
    })
  }
  if (paging.rewards && fetchRewards) {
    add<Reward>({
      cursor: 'reward',
      shown: 'rewards',
      noun: 'reward',
      optional: true,
      paging: paging.rewards,
      fetch: (page) => fetchRewards.call(venue, page),
      idOf: (r) => r.id,
      pendingAt: () => null,
      pendingReason: () => '',
      entries: (rows) => {
        const { entries, skipped } = rewardEntries(account, rows)
        for (const [why, n] of skipped) d.skip(`${why} (reward record)`, n)
        return entries
      },
    })
  }
  return phases
}

/**
 * Reads, or null when the exchange refused an optional history for this account (a sub-account, a region
 * without the product: not a fault of the reply, the network or the rate). Such a history must not stop the
 * fills: the run names it and goes on, and its cursor stays, so a later run tries again.
 */
async function unlessRefused<R>(d: SyncRunDeps, phase: TimedPhase<never>, read: () => Promise<R>): Promise<R | null> {
  try {
    return await read()
  } catch (err) {
    if (!phase.optional || !(err instanceof VenueError) || (err.kind !== 'permission-denied' && err.kind !== 'unknown')) throw err
    d.skip(`${phase.noun} history not read: ${err.message.slice(0, 120)}`, 1)
    d.warn(`${phase.noun} history not read: ${err.message}`)
    return null
  }
}

/** One daily-candles request per market with new fills: a close price per day of the span, as price marks. */
async function recordDailyMarks(d: SyncRunDeps, symbol: string, from: number, now: number): Promise<void> {
  const pair = splitSymbol(symbol)
  if (!pair) return
  const since = Math.floor(from / DAY) * DAY
  const days = Math.min(1000, Math.floor((now - since) / DAY) + 1)
  try {
    const candles = await d.venue.fetchCandles(symbol, '1d', since, days)
    // The account's own venue's prices: they value it (and its venue's other accounts) first.
    d.recordMarks(candles.map((c) => ({ asset: pair.base, quote: pair.quote, price: c.close, at: Math.min(c.time + DAY - 1, now), venue: d.account })))
  } catch (err) {
    // Marks are a convenience (history has trade prices either way): a failure here fails nothing.
    d.warn(`no daily prices for ${symbol}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function maxId(fills: readonly Fill[]): string {
  return fills.reduce((a, f) => (compareIds(f.tradeId, a) > 0 ? f.tradeId : a), (fills[0] as Fill).tradeId)
}

/** The id after a numeric trade id ("41" → "42"), exact beyond 2^53. */
export function nextId(id: string): string {
  if (!/^\d+$/.test(id)) throw new Error(`Trade id ${JSON.stringify(id.slice(0, 40))} is not a number, so it cannot be paged by id`)
  return (BigInt(id) + 1n).toString()
}

export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a)
    const y = BigInt(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return a < b ? -1 : a > b ? 1 : 0
}

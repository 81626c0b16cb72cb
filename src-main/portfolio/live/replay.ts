import type Database from 'better-sqlite3'
import { fixedArith } from '../arith'
import { PortfolioBook, type TransferKind } from '../lots'
import type { CostMethod } from '../model'
import { ledgerRows, type LedgerRow } from '../pnl'
import { cashAssets, priceAliases, type PriceBook } from '../prices'
import { sqliteOf, type LedgerDb } from '../sqlite'
import { DAY, FIVE_MIN, floorTo, HOUR } from './periods'
import { ReturnChainCache } from './return-cache'
import { SlotLog } from './slot-log'
import { visibleEntry } from '../visible'
import { pricesByVenue, simulatedPaperAccounts, VenueObservations, venueOfTrade, type SimPaperAccounts } from '../venue-prices'

// The ledger replayed once and then kept up to date: a PortfolioBook (lots, realized P&L, net deposits) in
// memory, to which new ledger rows and price marks are applied as they are stored (by id, since the last
// one seen) instead of replaying everything again. Alongside it keeps, for the P&L view and the equity
// chart:
//   - realized P&L per position and net deposits per account in 5-minute slots (realized in period);
//   - equity snapshots on a grid: every UTC day, every hour of the last 8 days, every 5 minutes of the
//     last 26 hours (value per account at the prices as of that moment — its own venue's first, see
//     venue-prices.ts — net deposits, asset prices per account);
//   - the equity just before each deposit or withdrawal (flowPoints): a period's time-weighted
//     return splits its steps there, so money put in and taken out within one step is weighed for the
//     time it was at work.
//
// Applying in arrival order gives the same book as a replay in time order as long as each account's rows
// arrive in time order; prices are time-aware (an older observation never replaces a newer one). When a
// row arrives out of order for its account, or needs a price as of a time already passed (a deposit, a
// crypto-quoted trade or a third-asset fee older than the replay's clock), the replay starts over.
// Income older than recorded snapshots patches them exactly (value is linear in the holdings,
// Δvalue = Σ Δamount × the snapshot's price); a trade that old moved a price too, and a deposit or
// withdrawal that old splits the return's step where it happened (a flow point), so they replay again —
// as does one older than a row or price mark already applied (by more than a venue's clock may run ahead
// of ours), since its flow point is valued at the prices of its time.
// A price mark older than recorded snapshots (a venue's clock ahead of ours) only updates the prices from
// now on; the snapshots between keep the older price until the next full replay.

/** How far a venue's clock may run ahead of ours (its fills' stamps): the recvWindow venues accept by default. */
const VENUE_CLOCK_SKEW = 5_000

export interface EquitySnapshot {
  t: number
  /** Per account: equity, net deposits and the money put in so far (deposits only, withdrawals not taken off). */
  accounts: Map<string, AccountState>
  /** Per account, the price at t of every asset held by it (or by accounts valued alike; null: unknown then). */
  prices: Map<string, Map<string, bigint | null>>
}

export interface FlowPoint {
  t: number
  accounts: Map<string, AccountState>
}

export interface AccountState {
  value: bigint
  netDeposits: bigint
  deposited: bigint
}

export interface ReplayOptions {
  db: LedgerDb
  method: CostMethod
  reporting: string
  equivalents: readonly string[]
  now: () => number
}

type MarkRow = [id: number, asset: string, quote: string, price: string, at: number, venue: string | null]

const KEEP_HOURS = 8 * DAY
const KEEP_5M = 26 * HOUR

export class LedgerReplay {
  book!: PortfolioBook<bigint>
  /** The newest stored price of each pair per venue (marks with a venue, venue accounts' trades). */
  venuePrices = new VenueObservations<bigint>()
  /** Realized P&L per `account \0 asset`. */
  realized = new Map<string, SlotLog>()
  deposits = new Map<string, SlotLog>()
  snapshots: EquitySnapshot[] = []
  /** Every account's equity just before money moved in or out at `t` (one per time), oldest first. */
  flowPoints: FlowPoint[] = []
  /** Time of the first row (null: the ledger is empty). */
  firstAt: number | null = null
  /** The newest time applied (rows and marks). */
  clock = Number.NEGATIVE_INFINITY
  rebuilds = 0
  /** The period returns' chains kept up to the last grid snapshot (return-cache.ts). */
  returns = new ReturnChainCache()
  private lastId = 0
  private lastMarkId = 0
  private lastRecorded = Number.NEGATIVE_INFINITY
  private accountClock = new Map<string, number>()
  private mustRebuild = false
  /** The newest row that was valued at the prices of its time (a deposit, a crypto quote, a third-asset fee). */
  private lastPricedAt = Number.NEGATIVE_INFINITY
  private readonly sqlite: Database.Database
  private readonly cash: ReadonlySet<string>
  private readonly newRows: Database.Statement
  private readonly newMarks: Database.Statement
  private readonly removalCount: Database.Statement
  /**
   * ledger_import_ids.removals and .revealed when last replayed: rows taken out since, or a file written in
   * chunks made visible since (its rows may sit below ids already read past), by any process, mean a rebuild.
   */
  private removals = ''

  constructor(private readonly options: ReplayOptions) {
    this.sqlite = sqliteOf(options.db)
    this.cash = cashAssets(options.reporting, options.equivalents)
    this.newRows = this.sqlite
      .prepare(
        `select kind, account, timestamp, base, ifnull(quote, ''), ifnull(side, ''), ifnull(price, ''), amount,
                ifnull(fee_asset, ''), ifnull(fee_amount, ''), id, ifnull(total, ''), source
         from ledger_entries where id > ? and ${visibleEntry()} order by timestamp, id`,
      )
      .raw()
    this.newMarks = this.sqlite.prepare('select id, asset, quote, price, at, venue from price_marks where id > ? order by at, id').raw()
    this.removalCount = this.sqlite.prepare("select removals || ':' || revealed from ledger_import_ids where id = 1").pluck()
    this.rebuild()
  }

  /** The time of the last grid snapshot recorded: the state before it no longer moves with new rows in time order. */
  get recordedUntil(): number {
    return this.lastRecorded
  }

  get reporting(): string {
    return this.options.reporting
  }

  /** Replays the whole ledger from scratch. */
  rebuild(): void {
    this.rebuilds++
    this.mustRebuild = false
    this.removals = this.removedSoFar()
    this.realized = new Map()
    this.deposits = new Map()
    this.snapshots = []
    this.flowPoints = []
    this.returns = new ReturnChainCache()
    this.firstAt = null
    this.clock = Number.NEGATIVE_INFINITY
    this.lastRecorded = Number.NEGATIVE_INFINITY
    this.accountClock = new Map()
    this.lastPricedAt = Number.NEGATIVE_INFINITY
    this.lastId = 0
    this.lastMarkId = 0
    this.venuePrices = new VenueObservations()
    this.book = new PortfolioBook(fixedArith, {
      method: this.options.method,
      reporting: this.options.reporting,
      cash: this.cash,
      alias: priceAliases(this.options.reporting, this.options.equivalents),
      simPaper: simulatedPaperAccounts(this.options.db),
      onRealized: (account, asset, t, pnl) => logOf(this.realized, `${account}\u0000${asset}`).add(t, pnl),
      onDeposit: (account, t, value) => {
        logOf(this.deposits, account).add(t, value)
      },
    })
    const marks = this.newMarks.iterate(0) as IterableIterator<MarkRow>
    const rows = ledgerRows(this.sqlite, Number.MAX_SAFE_INTEGER)
    this.merge(rows, marks, true)
  }

  /** Applies what was stored since the last call; returns whether anything changed. */
  sync(): boolean {
    // Rows only ever get added here after the last one read; an import taken out or a chunked one made
    // visible (here or by the CLI) means starting over.
    if (this.removedSoFar() !== this.removals || this.simPaperChanged()) {
      this.rebuild()
      return true
    }
    const rows = this.newRows.all(this.lastId) as LedgerRow[]
    const marks = this.newMarks.all(this.lastMarkId) as MarkRow[]
    if (rows.length === 0 && marks.length === 0) return false
    for (const r of rows) r[2] = Number(r[2])
    if (rows.some((r) => this.needsReplay(r))) {
      this.rebuild()
      return true
    }
    this.merge(rows[Symbol.iterator](), marks[Symbol.iterator](), false)
    if (this.mustRebuild) this.rebuild()
    return true
  }

  /** A paper account opened on the simulated exchange since the last replay: its rows are valued as simulated. */
  private simPaperChanged(): boolean {
    const now = simulatedPaperAccounts(this.options.db)
    const was: SimPaperAccounts = this.book.prices.simPaper
    return now.size !== was.size || [...now].some((id) => !was.has(id))
  }

  private removedSoFar(): string {
    return (this.removalCount.get() as string | undefined) ?? ''
  }

  /**
   * The equity state at `t` (a grid time): null before the first row; the recorded snapshot (or the latest
   * one before t when t is not on the kept grid); the current state when nothing happened since t.
   */
  stateAt(t: number): EquitySnapshot | null {
    if (this.firstAt === null || t < this.firstAt) return null
    if (t > this.lastRecorded || this.snapshots.length === 0) return this.current(t)
    const i = this.firstAtOrAfter(t + 1) - 1
    return i < 0 ? null : (this.snapshots[i] as EquitySnapshot)
  }

  /** Snapshot of the current state (prices as of the replay's clock). */
  current(t: number): EquitySnapshot {
    const { accounts, byAccount } = this.book.equity(this.pricesAt(t))
    return { t, accounts, prices: byAccount }
  }

  /** The stored prices valuing each account at `t`: its own venue's first (venue-prices.ts). */
  pricesAt(t: number): (account: string) => PriceBook<bigint> {
    return pricesByVenue(this.book.prices, this.venuePrices, t)
  }

  /** Drops grid snapshots older than they are kept for (hourly 8 days, 5-minute 26 hours). */
  prune(now: number): void {
    const hourFrom = now - KEEP_HOURS
    const fiveFrom = now - KEEP_5M
    this.snapshots = this.snapshots.filter((s) => s.t % DAY === 0 || (s.t % HOUR === 0 ? s.t >= hourFrom : s.t >= fiveFrom))
  }

  private needsReplay(r: LedgerRow): boolean {
    const t = r[2]
    const account = r[1]
    if (t < (this.accountClock.get(account) ?? Number.NEGATIVE_INFINITY)) return true
    if (t >= this.clock) return false
    // Older than what was applied: fine unless valuing it needs a price as of its own time, or its trade
    // price would have valued a newer row already applied.
    if (this.needsPrice(r)) return true
    return r[0] === 'trade' && t < this.lastPricedAt
  }

  private needsPrice(r: LedgerRow): boolean {
    if (r[8] !== '' && r[8] !== r[3] && r[8] !== r[4] && !this.cash.has(r[8])) return true
    if (r[0] === 'trade') return !this.cash.has(r[4])
    // Transfers in and out are valued at the price then (a withdrawal leaves at its value: lots.ts).
    return (r[0] === 'deposit' || r[0] === 'income' || r[0] === 'withdrawal') && !this.cash.has(r[3])
  }

  private merge(rows: Iterator<LedgerRow>, marks: Iterator<MarkRow>, initial: boolean): void {
    let mark = marks.next()
    for (let r = rows.next(); !r.done && !this.mustRebuild; r = rows.next()) {
      const row = r.value
      const t = row[2]
      while (!mark.done && mark.value[4] <= t) {
        this.applyMark(mark.value)
        mark = marks.next()
      }
      this.applyRow(row, initial)
    }
    if (this.mustRebuild) return
    for (; !mark.done; mark = marks.next()) this.applyMark(mark.value)
  }

  private applyMark(m: MarkRow): void {
    if (m[0] > this.lastMarkId) this.lastMarkId = m[0]
    // Before the first row there is nothing to value; after it, time moves on with the marks.
    if (this.firstAt !== null) this.advanceTo(m[4])
    else if (m[4] > this.clock) this.clock = m[4]
    this.book.mark(m[1], m[2], m[3], m[4], m[5])
    if (m[5] !== null) this.venuePrices.observe(m[5], m[1], m[2], fixedArith.parse(m[3]), m[4])
  }

  private applyRow(r: LedgerRow, initial: boolean): void {
    const t = r[2]
    const id = Number(r[10])
    if (id > this.lastId) this.lastId = id
    if (this.firstAt === null) {
      this.firstAt = t
      this.lastRecorded = t
    }
    const account = r[1]
    if (!initial && t < (this.flowPoints.at(-1)?.t ?? Number.NEGATIVE_INFINITY)) {
      // Any row before a recorded flow point changes the equity it holds, and a deposit or withdrawal
      // there would put its own flow point after a newer one: replay again (flow points stay in time order).
      this.mustRebuild = true
    } else if (!initial && movesMoney(r[0]) && t < this.clock - VENUE_CLOCK_SKEW) {
      // Money moved before a newer row or price mark already applied (another account's trade, the feed's
      // price since — a synced deposit arrives after both): its flow point must hold the equity at the
      // prices of its time, which only a replay knows (the book has the newer ones), even on or after the
      // last grid snapshot. Newer by no more than a venue's clock runs ahead of ours — a deposit made in the
      // app beside a fill or mark the venue stamped a second later — is let pass as the snapshots let it:
      // a replay of a large ledger takes seconds, at every paper account opened.
      this.mustRebuild = true
    } else if (!initial && t < this.lastRecorded) {
      // A trade also moves its pair's price, which snapshots since then may have used: replay again.
      // So does money moved in or out: its step must be split where it moved (a flow point).
      if (r[0] === 'trade' || movesMoney(r[0])) this.mustRebuild = true
      else this.applyLate(r)
    } else {
      this.advanceTo(t, r[0] !== 'trade')
      if (movesMoney(r[0])) this.recordFlowPoint(t)
      this.applyToBook(r)
    }
    if (t > (this.accountClock.get(account) ?? Number.NEGATIVE_INFINITY)) this.accountClock.set(account, t)
    if (t > this.lastPricedAt && this.needsPrice(r)) this.lastPricedAt = t
  }

  private applyToBook(r: LedgerRow): void {
    const feeAsset = r[8] === '' ? null : r[8]
    const feeAmount = r[9] === '' ? null : r[9]
    if (r[0] === 'trade') {
      const venue = venueOfTrade(r[1], r[12], this.book.prices.simPaper)
      this.book.trade(r[1], r[2], r[3], r[4], r[5] as 'buy' | 'sell', r[6], r[7], feeAsset, feeAmount, r[11] === '' ? null : r[11], venue)
      if (venue !== null) this.venuePrices.observe(venue, r[3], r[4], fixedArith.parse(r[6]), r[2])
    } else this.book.transfer(r[0] as TransferKind, r[1], r[2], r[3], r[7], feeAsset, feeAmount)
  }

  /** The equity before the first of the transfers at `t`, valued at the prices then. */
  private recordFlowPoint(t: number): void {
    if (this.flowPoints.at(-1)?.t === t) return
    this.flowPoints.push({ t, accounts: copyAccounts(this.book.equity(this.pricesAt(t)).accounts) })
  }

  /** A transfer older than recorded snapshots: apply it and add its effect to every snapshot after it. */
  private applyLate(r: LedgerRow): void {
    const account = r[1]
    const assets = new Set([r[3], ...(r[0] === 'trade' ? [r[4]] : []), ...(r[8] !== '' ? [r[8]] : [])])
    const before = new Map([...assets].map((a) => [a, this.book.amountOf(account, a)]))
    const depositsBefore = this.book.netDepositsOf(account)
    const depositedBefore = this.book.depositedOf(account)
    this.applyToBook(r)
    const ar = fixedArith
    const dDeposits = this.book.netDepositsOf(account) - depositsBefore
    const dDeposited = this.book.depositedOf(account) - depositedBefore
    const deltas = [...assets].map((a) => [a, this.book.amountOf(account, a) - (before.get(a) as bigint)] as const).filter(([, d]) => d !== 0n)
    const from = this.firstAtOrAfter(r[2] + 1)
    for (let i = from; i < this.snapshots.length; i++) {
      const s = this.snapshots[i] as EquitySnapshot
      let dValue = 0n
      for (const [asset, d] of deltas) {
        const price = this.cash.has(asset) ? ar.one : s.prices.get(account)?.get(asset)
        if (price === undefined) {
          // The snapshot never priced this asset: only a full replay knows its price then.
          this.mustRebuild = true
          return
        }
        if (price !== null) dValue += ar.mul(d, price)
      }
      const a = s.accounts.get(account) ?? { value: 0n, netDeposits: 0n, deposited: 0n }
      s.accounts.set(account, { value: a.value + dValue, netDeposits: a.netDeposits + dDeposits, deposited: a.deposited + dDeposited })
    }
  }

  /**
   * Records the grid snapshots between the last one and `t` (exclusive): the state before `t` applies. With
   * `transferAtT`, the snapshot at `t` too: money moved in or out (or earned) on a grid time belongs to the
   * period starting there (SlotLog.since counts it in), so the equity at that start must not hold it as well.
   */
  private advanceTo(t: number, transferAtT = false): void {
    if (t > this.clock) this.clock = t
    if (t <= this.lastRecorded) return
    if (transferAtT) t += 1
    const now = this.options.now()
    const hourFrom = floorTo(now - KEEP_HOURS, HOUR)
    const fiveFrom = floorTo(now - KEEP_5M, FIVE_MIN)
    for (let b = nextBoundary(this.lastRecorded, hourFrom, fiveFrom); b < t; b = nextBoundary(b, hourFrom, fiveFrom)) {
      // Valued at each grid time: an account's own venue's price may be a week old by then (venue-prices.ts).
      const state = this.book.equity(this.pricesAt(b))
      this.snapshots.push({ t: b, accounts: copyAccounts(state.accounts), prices: copyPrices(state.byAccount) })
      this.lastRecorded = b
    }
  }

  private firstAtOrAfter(t: number): number {
    let lo = 0
    let hi = this.snapshots.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.snapshots[mid] as EquitySnapshot).t < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * Rows that move money in or out of an account: the time-weighted return's steps are split where they
 * happen (a flow point). A transfer between one's own accounts is a withdrawal and a deposit, each a flow
 * of its account. Income is not: it is earned (a gain, not a net deposit) and splits nothing.
 */
function movesMoney(kind: string): boolean {
  return kind === 'deposit' || kind === 'withdrawal'
}

/** The next grid time after x: the next UTC day, hour (within the hourly window) or 5 minutes (within its window). */
function nextBoundary(x: number, hourFrom: number, fiveFrom: number): number {
  let next = floorTo(x, DAY) + DAY
  const hour = Math.max(floorTo(x, HOUR) + HOUR, hourFrom)
  if (hour < next && hour > x) next = hour
  const five = Math.max(floorTo(x, FIVE_MIN) + FIVE_MIN, fiveFrom)
  if (five < next && five > x) next = five
  return next
}

function copyAccounts(m: Map<string, AccountState>): Map<string, AccountState> {
  const out = new Map<string, AccountState>()
  for (const [k, v] of m) out.set(k, { value: v.value, netDeposits: v.netDeposits, deposited: v.deposited })
  return out
}

/** Each account's price map copied, accounts that shared one still sharing its copy. */
function copyPrices(m: Map<string, Map<string, bigint | null>>): Map<string, Map<string, bigint | null>> {
  const copies = new Map<Map<string, bigint | null>, Map<string, bigint | null>>()
  const out = new Map<string, Map<string, bigint | null>>()
  for (const [account, prices] of m) {
    let copy = copies.get(prices)
    if (copy === undefined) copies.set(prices, (copy = new Map(prices)))
    out.set(account, copy)
  }
  return out
}

function logOf(map: Map<string, SlotLog>, key: string): SlotLog {
  let log = map.get(key)
  if (!log) map.set(key, (log = new SlotLog()))
  return log
}

import type Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { sqliteOf, type LedgerDb } from './sqlite'
import { fixedArith } from './arith'
import { canonicalDecimal } from './decimal-text'
import type { PriceMarkInput } from './pnl'
import { cashAssets, DEFAULT_EQUIVALENTS, priceAliases, PriceBook } from './prices'
import { visibleEntry } from './visible'
import { GeneralPrices, pricesByVenue, simulatedPaperAccounts, VenueObservations, venueOfTrade } from './venue-prices'

// Stored prices: observations of a pair's price on a venue at a moment (price_marks), written by the
// portfolio service (the simulated exchange's last prices, real venues' live ones, once a minute). They
// price deposits and third-asset fees between trades, and "the last stored price" values positions when no
// live price is given — each account's own venue's first, and never the simulated exchange's for a real or
// imported account (venue-prices.ts). A mark with no venue (a rates file, a price a trade file states, one
// stored before venues were kept) is a price from anywhere.

/** A stored rate an imported file corrected. */
export interface MarkChange {
  pair: string
  at: number
  from: string
  to: string
}

export class PriceMarkStore {
  private readonly insert: Database.Statement
  private readonly replaceAll: (marks: readonly PriceMarkInput[]) => { inserted: number; changes: MarkChange[] }
  private readonly latestStmt: Database.Statement
  private readonly writeAll: (marks: readonly PriceMarkInput[]) => number
  /** Last price written per pair, so an unchanged price is not written again. */
  private readonly lastWritten = new Map<string, string>()
  private readonly listeners = new Set<(written: number) => void>()

  constructor(db: LedgerDb) {
    const sqlite = sqliteOf(db)
    this.insert = sqlite.prepare('insert into price_marks (asset, quote, price, at, venue) values (?, ?, ?, ?, ?) on conflict do nothing')
    this.latestStmt = sqlite.prepare('select asset, quote, price, max(at) as at, venue from price_marks group by asset, quote, ifnull(venue, \'\')')
    this.writeAll = sqlite.transaction((marks: readonly PriceMarkInput[]) => {
      let n = 0
      for (const m of marks) n += this.insert.run(m.asset, m.quote, m.price, m.at, m.venue ?? null).changes
      return n
    })
    // An imported rate has no venue: it corrects the venue-less rate of that pair and moment.
    const storedPrice = sqlite.prepare('select price from price_marks where asset = ? and quote = ? and at = ? and venue is null').pluck()
    const update = sqlite.prepare('update price_marks set price = ? where asset = ? and quote = ? and at = ? and venue is null')
    this.replaceAll = sqlite.transaction((marks: readonly PriceMarkInput[]) => {
      let inserted = 0
      const changes: MarkChange[] = []
      for (const m of marks) {
        const was = storedPrice.get(m.asset, m.quote, m.at) as string | undefined
        if (was === undefined) inserted += this.insert.run(m.asset, m.quote, m.price, m.at, null).changes
        else if (!new Decimal(was).equals(m.price)) {
          update.run(m.price, m.asset, m.quote, m.at)
          changes.push({ pair: `${m.asset}/${m.quote}`, at: m.at, from: was, to: m.price })
        }
      }
      return { inserted, changes }
    })
    for (const m of this.latest()) this.lastWritten.set(writtenKey(m), m.price)
  }

  /** Writes the marks whose price changed since the pair's last one on their venue; returns how many were written. */
  record(marks: readonly PriceMarkInput[]): number {
    const fresh: PriceMarkInput[] = []
    for (const m of marks) {
      const price = canonicalDecimal(m.price)
      if (price === null || price === '0' || price.startsWith('-') || !Number.isSafeInteger(m.at)) continue
      const key = writtenKey(m)
      if (this.lastWritten.get(key) === price) continue
      this.lastWritten.set(key, price)
      fresh.push({ asset: m.asset, quote: m.quote, price, at: m.at, venue: m.venue ?? null })
    }
    if (fresh.length === 0) return 0
    const written = this.writeAll(fresh)
    if (written > 0) for (const l of [...this.listeners]) l(written)
    return written
  }

  /**
   * Writes every mark given (an imported file of daily rates), in one transaction: unlike record(), a price
   * equal to the one before is written too, since an import is history and may land before what is stored.
   * A rate already stored for that pair and moment with another price is replaced: a rates file is the
   * user's correction (a typo in an earlier file could not be fixed otherwise). Returns how many were new
   * and the rates it changed.
   */
  importAll(marks: readonly PriceMarkInput[]): { inserted: number; changes: MarkChange[] } {
    const result = this.replaceAll(marks)
    this.told(result.inserted + result.changes.length)
    return result
  }

  /**
   * The prices a trade file states beside its rows, inside a caller's transaction (a mark already stored
   * for that pair and moment is kept): tell the listeners with told() once it commits.
   */
  writeQuietly(marks: readonly PriceMarkInput[]): number {
    return this.writeAll(marks)
  }

  /** Tells the listeners that `written` marks were written (none when 0); returns it. */
  told(written: number): number {
    if (written > 0) for (const l of [...this.listeners]) l(written)
    return written
  }

  /** Told after new marks were written (the live portfolio reads them); returns the unsubscribe. */
  onRecorded(listener: (written: number) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The newest mark of every pair on each venue (venue null: marks of no known venue). */
  latest(): PriceMarkInput[] {
    return this.latestStmt.all() as PriceMarkInput[]
  }
}

const writtenKey = (m: PriceMarkInput): string => `${m.venue ?? ''}\u0000${m.asset}/${m.quote}`

/** Stored prices as of a moment: the newest of each asset, and the ones valuing each account. */
export interface StoredPrices {
  /** Asset → the newest stored price from any venue, the simulated exchange's included. */
  general: Map<string, string>
  /** Asset → the newest stored price that may value a real or imported account (not the simulated exchange's). */
  real: Map<string, string>
  /** Whether `account` is simulated (valued at the simulated exchange's prices, `general`), not `real`'s. */
  simulated: (account: string) => boolean
  /** Asset → the price valuing `account`: its own venue's first (venue-prices.ts). */
  of: (account: string) => Map<string, string>
}

/**
 * The last stored price of every asset in the reporting currency: the newest of the pair's last mark and
 * its last ledger trade, converted through other pairs where needed (ETH/BTC × BTC/USDT) — and per account,
 * its own venue's marks and trades first. With `at`, only marks and trades at or before that moment count
 * (the prices as they were then); a venue's own price counts first while at most a week older than `at`
 * (default: now).
 */
export function storedPrices(
  db: LedgerDb,
  options: { reportingCurrency?: string; equivalents?: readonly string[]; at?: number; now?: number } = {},
): StoredPrices {
  const sqlite = sqliteOf(db)
  const reporting = options.reportingCurrency ?? 'USDT'
  const equivalents = options.equivalents ?? DEFAULT_EQUIVALENTS
  const cash = cashAssets(reporting, equivalents)
  const at = options.at ?? Number.MAX_SAFE_INTEGER
  // SQLite's bare-column rule: with max(), price comes from the row holding the maximum.
  const simPaper = simulatedPaperAccounts(db)
  const marks = (
    sqlite.prepare("select asset, quote, price, max(at) as at, venue from price_marks where at <= ? group by asset, quote, ifnull(venue, '')").all(at) as PriceMarkInput[]
  ).map((m) => ({ ...m, venue: m.venue ?? null }))
  const trades = (
    sqlite
      .prepare(
        `select account, source, base as asset, quote, price, max(timestamp) as at from ledger_entries
         where kind = 'trade' and timestamp <= ? and ${visibleEntry()} group by account, source, base, quote`,
      )
      .all(at) as (PriceMarkInput & { account: string; source: string })[]
  ).map((t) => ({ asset: t.asset, quote: t.quote, price: t.price, at: t.at, venue: venueOfTrade(t.account, t.source, simPaper) }))
  const observed = [...marks, ...trades].sort((a, b) => a.at - b.at)
  const book = () => new PriceBook(fixedArith, reporting, cash, priceAliases(reporting, equivalents))
  const general = new GeneralPrices(book(), book(), simPaper)
  const own = new VenueObservations<bigint>()
  const assets = new Set<string>()
  for (const o of observed) {
    const price = fixedArith.parse(o.price)
    general.observe(o.venue, o.asset, o.quote, price, o.at)
    if (o.venue !== null) own.observe(o.venue, o.asset, o.quote, price, o.at)
    assets.add(o.asset)
    assets.add(o.quote)
  }
  const texts = (book: PriceBook<bigint>): Map<string, string> => {
    const prices = new Map<string, string>()
    for (const asset of [...assets].sort()) {
      if (cash.has(asset)) continue
      const p = book.valueOf(asset)
      if (p !== null) prices.set(asset, fixedArith.format(p))
    }
    return prices
  }
  const bookOf = pricesByVenue(general, own, options.at ?? options.now ?? Date.now())
  const byBook = new Map<PriceBook<bigint>, Map<string, string>>()
  const of = (account: string): Map<string, string> => {
    const book = bookOf(account)
    let prices = byBook.get(book)
    if (prices === undefined) byBook.set(book, (prices = texts(book)))
    return prices
  }
  return { general: texts(general.all), real: texts(general.real), simulated: (account) => general.for(account) === general.all, of }
}

/** The newest stored price of every asset from any venue (storedPrices' general), as of `at`. */
export function lastStoredPrices(
  db: LedgerDb,
  options: { reportingCurrency?: string; equivalents?: readonly string[]; at?: number } = {},
): Map<string, string> {
  return storedPrices(db, options).general
}

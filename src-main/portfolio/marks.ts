import type Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { sqliteOf, type LedgerDb } from './sqlite'
import { fixedArith } from './arith'
import { canonicalDecimal } from './decimal-text'
import type { PriceMarkInput } from './pnl'
import { cashAssets, DEFAULT_EQUIVALENTS, priceAliases, PriceBook } from './prices'
import { visibleEntry } from './visible'

// Stored prices: observations of a pair's price at a moment (price_marks), written by the portfolio
// service (e.g. the simulated exchange's last prices once a minute). They price deposits and third-asset
// fees between trades, and "the last stored price" values positions when no live price is given.

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
    this.insert = sqlite.prepare('insert into price_marks (asset, quote, price, at) values (?, ?, ?, ?) on conflict do nothing')
    this.latestStmt = sqlite.prepare('select asset, quote, price, max(at) as at from price_marks group by asset, quote')
    this.writeAll = sqlite.transaction((marks: readonly PriceMarkInput[]) => {
      let n = 0
      for (const m of marks) n += this.insert.run(m.asset, m.quote, m.price, m.at).changes
      return n
    })
    const storedPrice = sqlite.prepare('select price from price_marks where asset = ? and quote = ? and at = ?').pluck()
    const update = sqlite.prepare('update price_marks set price = ? where asset = ? and quote = ? and at = ?')
    this.replaceAll = sqlite.transaction((marks: readonly PriceMarkInput[]) => {
      let inserted = 0
      const changes: MarkChange[] = []
      for (const m of marks) {
        const was = storedPrice.get(m.asset, m.quote, m.at) as string | undefined
        if (was === undefined) inserted += this.insert.run(m.asset, m.quote, m.price, m.at).changes
        else if (!new Decimal(was).equals(m.price)) {
          update.run(m.price, m.asset, m.quote, m.at)
          changes.push({ pair: `${m.asset}/${m.quote}`, at: m.at, from: was, to: m.price })
        }
      }
      return { inserted, changes }
    })
    for (const m of this.latest()) this.lastWritten.set(`${m.asset}/${m.quote}`, m.price)
  }

  /** Writes the marks whose price changed since the pair's last one; returns how many were written. */
  record(marks: readonly PriceMarkInput[]): number {
    const fresh: PriceMarkInput[] = []
    for (const m of marks) {
      const price = canonicalDecimal(m.price)
      if (price === null || price === '0' || price.startsWith('-') || !Number.isSafeInteger(m.at)) continue
      const key = `${m.asset}/${m.quote}`
      if (this.lastWritten.get(key) === price) continue
      this.lastWritten.set(key, price)
      fresh.push({ asset: m.asset, quote: m.quote, price, at: m.at })
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

  /** The newest mark of every pair. */
  latest(): PriceMarkInput[] {
    return this.latestStmt.all() as PriceMarkInput[]
  }
}

/**
 * The last stored price of every asset in the reporting currency: the newest of the pair's last mark and
 * its last ledger trade, converted through other pairs where needed (ETH/BTC × BTC/USDT). With `at`, only
 * marks and trades at or before that moment count (the prices as they were then).
 */
export function lastStoredPrices(
  db: LedgerDb,
  options: { reportingCurrency?: string; equivalents?: readonly string[]; at?: number } = {},
): Map<string, string> {
  const sqlite = sqliteOf(db)
  const reporting = options.reportingCurrency ?? 'USDT'
  const equivalents = options.equivalents ?? DEFAULT_EQUIVALENTS
  const cash = cashAssets(reporting, equivalents)
  const at = options.at ?? Number.MAX_SAFE_INTEGER
  // SQLite's bare-column rule: with max(), price comes from the row holding the maximum.
  const observed = [
    ...(sqlite.prepare('select asset, quote, price, max(at) as at from price_marks where at <= ? group by asset, quote').all(at) as PriceMarkInput[]),
    ...(sqlite
      .prepare(`select base as asset, quote, price, max(timestamp) as at from ledger_entries where kind = 'trade' and timestamp <= ? and ${visibleEntry()} group by base, quote`)
      .all(at) as PriceMarkInput[]),
  ].sort((a, b) => a.at - b.at)
  const book = new PriceBook(fixedArith, reporting, cash, priceAliases(reporting, equivalents))
  const assets = new Set<string>()
  for (const o of observed) {
    book.observe(o.asset, o.quote, fixedArith.parse(o.price), o.at)
    assets.add(o.asset)
    assets.add(o.quote)
  }
  const prices = new Map<string, string>()
  for (const asset of [...assets].sort()) {
    if (cash.has(asset)) continue
    const p = book.valueOf(asset)
    if (p !== null) prices.set(asset, fixedArith.format(p))
  }
  return prices
}

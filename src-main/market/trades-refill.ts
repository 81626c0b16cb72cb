// The trades a market made while its stream was down, read back page by page from the last trade sent
// (Venue.fetchTradesAfter) until the pages reach the trades the stream delivers again.
import type { PublicTrade, TradeCursor } from '../venues/port'

export interface MissedTrades {
  /** Oldest first, each once; none the stream already delivered. */
  trades: PublicTrade[]
  /** The cap stopped it before the pages reached the live trades: later missed trades were not read. */
  capped: boolean
  /** Set when a later page was given up (no longer current); `trades` holds the pages read before. */
  abandoned: boolean
  /**
   * A page did not reach back to its cursor (the venue gave only its newest trades, fewer than were made):
   * trades made after `from` and before `to` (the first one read after the hole) may be missing.
   */
  gap?: { from: number; to: number }
}

export interface MissedTradesOptions {
  /** Most trades read in all. */
  cap: number
  /** Trades asked per request. */
  page: number
  /** The stream delivered this trade already: the pages have reached the live trades. */
  delivered: (id: string) => boolean
  /** Checked before each request: false stops the paging (the feed stopped, or gave up waiting). */
  current: () => boolean
  /** Called before each request (the feed times each page). */
  onPage?: () => void
}

/**
 * `fetchPage` answers as Venue.fetchTradesAfter: a page that reaches back to its cursor holds the cursor's
 * own trade (or older ones), so one that does not is known to leave a hole before its first trade.
 */
export async function fetchMissedTrades(
  fetchPage: (after: TradeCursor, limit: number) => Promise<PublicTrade[]>,
  after: TradeCursor,
  options: MissedTradesOptions,
): Promise<MissedTrades> {
  const trades: PublicTrade[] = []
  const seen = new Set<string>([after.id])
  let cursor = after
  let gap: MissedTrades['gap']
  for (;;) {
    if (!options.current()) return { trades, capped: false, abandoned: true, ...(gap ? { gap } : {}) }
    options.onPage?.()
    // One more than wanted: the page starts with the cursor's own trade. Near the cap, one past it too: a
    // refill that reads exactly the cap must see whether any trade comes after (else it would say some are missing).
    const rows = await fetchPage(cursor, Math.min(options.page, options.cap - trades.length + 1) + 1)
    if (!Array.isArray(rows)) throw new Error('the venue answered with something that is not a list')
    const { later, reached } = laterThan(rows, cursor, options.delivered)
    const first = later[0]
    if (!reached && first !== undefined) gap = { from: gap?.from ?? cursor.timestamp, to: first.timestamp }
    let met = false
    for (const t of later) {
      if (options.delivered(t.id)) met = true
      else if (!seen.has(t.id)) trades.push(t)
      seen.add(t.id)
    }
    const last = later[later.length - 1]
    const end = { abandoned: false, ...(gap ? { gap } : {}) }
    // More than the cap missed: the later ones are not read.
    if (trades.length > options.cap) return { trades: trades.slice(0, options.cap), capped: true, ...end }
    // An empty page, one that reached the live trades, or one with nothing after its cursor.
    if (last === undefined || met) return { trades, capped: false, ...end }
    cursor = { id: last.id, timestamp: last.timestamp }
  }
}

/**
 * The rows after `cursor` (rows are oldest first), and whether the page reached back to it: it holds the
 * cursor's trade, or one made before it. Without the cursor's trade, those of its millisecond with a smaller
 * trade id (where both are whole numbers: exchanges number a market's trades in order) are older, and so are
 * those the stream delivered already.
 */
function laterThan(rows: PublicTrade[], cursor: TradeCursor, delivered: (id: string) => boolean): { later: PublicTrade[]; reached: boolean } {
  const i = rows.findIndex((t) => t.id === cursor.id)
  if (i >= 0) return { later: rows.slice(i + 1), reached: true }
  const older = (t: PublicTrade) => olderThan(t, cursor)
  const later = rows.filter((t) => t.timestamp > cursor.timestamp || (t.timestamp === cursor.timestamp && !older(t) && !delivered(t.id)))
  return { later, reached: rows.some(older) }
}

/** The rows after `cursor` (the refill's rule; rows oldest first): a page's trades the tape has not shown. */
export function rowsAfter(rows: PublicTrade[], cursor: TradeCursor): PublicTrade[] {
  return laterThan(rows, cursor, () => false).later
}

/** The page reaches back to `cursor` (no hole before its first trade): it holds the cursor's trade or an older one. */
export function reachesBack(rows: readonly PublicTrade[], cursor: TradeCursor): boolean {
  return rows.some((t) => t.id === cursor.id || olderThan(t, cursor))
}

/** Made before the cursor's trade: earlier, or in its millisecond with a smaller trade id (both whole numbers). */
function olderThan(t: PublicTrade, cursor: TradeCursor): boolean {
  if (t.timestamp !== cursor.timestamp) return t.timestamp < cursor.timestamp
  return /^\d+$/.test(t.id) && /^\d+$/.test(cursor.id) && BigInt(t.id) < BigInt(cursor.id)
}

/**
 * What the tape says when a refill left trades out, or undefined: the cap stopped it (the later ones are
 * missing, until `liveFrom`, the first live trade held), or a page did not reach back to its cursor.
 */
export function missedTradesNote(result: MissedTrades, liveFrom: number | undefined): string | undefined {
  const notes: string[] = []
  if (result.gap) notes.push(`trades between ${utcTime(result.gap.from)} and ${utcTime(result.gap.to)} may be missing: the exchange gave only its most recent ones`)
  if (result.capped) {
    const last = result.trades[result.trades.length - 1]
    notes.push(
      `${result.trades.length} trades missed during the reconnect were fetched` +
        (last ? ` (to ${utcTime(last.timestamp)})` : '') +
        `; those after them${liveFrom !== undefined ? ` until ${utcTime(liveFrom)}` : ''} are missing`,
    )
  }
  if (notes.length === 0) return undefined
  const text = notes.join('; ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * What the tape says when a refill stopped before the pages reached the live trades (too slow, or failed):
 * the trades made after `from` (the last one read, or the last one shown) and before `liveFrom` (the first
 * live trade held, when there is one) may be missing.
 */
export function unfinishedRefillNote(from: number, liveFrom: number | undefined, why: string): string {
  const until = liveFrom !== undefined ? ` and before ${utcTime(liveFrom)}` : ''
  return `Trades made after ${utcTime(from)}${until} may be missing: ${why}`
}

/** "14:03:21 UTC". */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`
}

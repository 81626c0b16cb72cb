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

export async function fetchMissedTrades(
  fetchPage: (after: TradeCursor, limit: number) => Promise<PublicTrade[]>,
  after: TradeCursor,
  options: MissedTradesOptions,
): Promise<MissedTrades> {
  const trades: PublicTrade[] = []
  const seen = new Set<string>([after.id])
  let cursor = after
  for (;;) {
    if (!options.current()) return { trades, capped: false, abandoned: true }
    options.onPage?.()
    const rows = await fetchPage(cursor, Math.min(options.page, options.cap - trades.length))
    if (!Array.isArray(rows)) throw new Error('the venue answered with something that is not a list')
    let met = false
    for (const t of rows) {
      if (options.delivered(t.id)) met = true
      else if (!seen.has(t.id)) trades.push(t)
      seen.add(t.id)
    }
    const last = rows[rows.length - 1]
    // An empty page, one that reached the live trades, or one that did not move on (a venue that ignores the cursor).
    if (last === undefined || met || last.id === cursor.id) return { trades, capped: false, abandoned: false }
    if (trades.length >= options.cap) return { trades: trades.slice(0, options.cap), capped: true, abandoned: false }
    cursor = { id: last.id, timestamp: last.timestamp }
  }
}

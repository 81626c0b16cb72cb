import type { Exchange } from 'ccxt'
import type { ExchangeId } from '../../accounts/exchanges'
import type { Conversion, Fill, FillsPageRequest, HistoryPaging, Reward, Transfer, TransferKind } from '../port'
import { VenueError } from '../port'
import { binanceImplicit, conversionOf, dustOf, purchaseOf, rewardOf, type BinanceImplicit } from './binance-wallet'
import { toDecimal, toDecimalOrNull, withStringNumbers } from './decimals'

// An exchange account's history through ccxt, one request per call: a page of fills on a market (by time
// window or, on Binance, by trade id) and a page of deposits or withdrawals. The history sync
// (portfolio/sync) walks these pages; fetchMyFills walks them too (walkFillWindows) instead of trusting one
// call to return everything since a time.
//
// Binance (ccxt 4.5.84 binance.fetchMyTrades, spot): `since` → startTime, params.until → endTime, limit →
// limit, other params pass through (fromId). Binance refuses startTime..endTime spans over 24 h (-1127),
// returns at most 1000 rows, and with fromId (never together with a time) returns trades with id ≥ fromId
// in id order — the cheap way through a whole history (ccxt's own "binance fetch all my trades paginate by
// id" example). The raw Binance names (startTime/endTime) are passed as params and ccxt's `since` is left
// out on purpose: ccxt filters parsed rows by `since` and would silently drop a row whose time it could not
// read; every row must reach our own checks instead. Deposits / withdrawals: /sapi/v1/capital/deposit/hisrec
// and /sapi/v1/capital/withdraw/history, spans up to 90 days, 1000 rows.
//
// Binance's wallet histories (Convert, dust sweeps, Buy Crypto, rewards): binance-wallet.ts reads their rows.
//
// Kraken (TradesHistory): 50 trades a request, newest first, of ALL pairs; ccxt filters by pair after. A
// short page of one pair's fills therefore says nothing about whether the window is complete, so a Kraken
// page is the whole window, read through its offsets (`ofs`) until Kraken's own count of the window's
// trades is reached (krakenWindow below); its paging limit says a page is never cut. Within one history
// sync (run) each window is read once and its trades of all pairs kept for the run, so the next markets
// asking the same window are answered from them: one request per 50 trades of the whole account.

type Raw = Record<string, unknown>

const DAY = 86_400_000
/** Rows in one Kraken TradesHistory reply. */
const KRAKEN_PAGE = 50

export interface CcxtHistoryDeps {
  ex: Exchange
  exchange: ExchangeId
  /** Shown name ("Binance"). */
  name: string
  /** CcxtVenue.call: runs a ccxt call, classifying what it throws. */
  call<T>(fn: () => Promise<T>, access: 'public' | 'read' | 'trade'): Promise<T>
  /** CcxtVenue.fill: a parsed ccxt trade as an exact Fill (throws VenueError bad-reply). */
  fill(parsed: Raw): Fill
  now?: () => number
}

/**
 * Where a first sync reads from when the user names no day: Binance's launch (July 2017); elsewhere a year
 * back (not verified against those exchanges; most keep fills in their API for months, not forever).
 */
export function historyStartOf(exchange: string, now: number): number {
  return exchange === 'binance' ? Date.UTC(2017, 6, 1) : now - 365 * DAY
}

export class CcxtHistory {
  /** Kraken, during a run: each window's rows of all pairs (by Kraken's start:end), for every market asking it. */
  private krakenRows: Map<string, Raw[]> | null = null
  private runs = 0

  constructor(private readonly deps: CcxtHistoryDeps) {}

  /** One history sync's reads (see Venue.historyRun): what is kept for it is dropped when it ends. */
  async run<T>(read: () => Promise<T>): Promise<T> {
    if (this.runs++ === 0) this.krakenRows = new Map()
    try {
      return await read()
    } finally {
      if (--this.runs === 0) this.krakenRows = null
    }
  }

  paging(): HistoryPaging {
    const { ex, exchange } = this.deps
    const has = ex.has as Record<string, unknown>
    if (exchange === 'binance') {
      return {
        start: historyStartOf(exchange, (this.deps.now ?? Date.now)()),
        trades: { windowMs: DAY, limit: 1000, byId: true },
        transfers: { windowMs: 90 * DAY, limit: 1000 },
        conversions: { windowMs: 30 * DAY, limit: 1000 },
        dust: { windowMs: 90 * DAY, limit: 100, start: Date.UTC(2020, 11, 1) },
        purchases: { windowMs: 30 * DAY, limit: 500 },
        rewards: { windowMs: 180 * DAY, limit: 500 },
      }
    }
    // Not verified against these exchanges: conservative spans and pages.
    return {
      start: historyStartOf(exchange, (this.deps.now ?? Date.now)()),
      trades: { windowMs: 7 * DAY, limit: exchange === 'kraken' ? Number.MAX_SAFE_INTEGER : 100, byId: false },
      transfers: has.fetchDeposits && has.fetchWithdrawals ? { windowMs: 30 * DAY, limit: 100 } : null,
      conversions: null,
      dust: null,
      purchases: null,
      rewards: null,
    }
  }

  /** One request's page of fills (see Venue.fetchMyFillsPage); during a run, a Kraken window read for another market is reused. */
  fillsPage(symbol: string, page: FillsPageRequest): Promise<Fill[]> {
    return this.pageOf(symbol, page, true)
  }

  private async pageOf(symbol: string, page: FillsPageRequest, shared: boolean): Promise<Fill[]> {
    const { ex, exchange } = this.deps
    const params: Raw = {}
    let since: number | undefined = page.since
    if (page.fromId !== undefined) {
      if (page.since !== undefined || page.until !== undefined) throw new VenueError('invalid-order', 'A fills page is asked by trade id or by time, not both')
      params.fromId = page.fromId
    }
    if (exchange === 'kraken' && page.fromId === undefined) return this.krakenWindow(symbol, page.since, page.until, shared)
    if (exchange === 'binance') {
      if (page.since !== undefined) params.startTime = page.since
      if (page.until !== undefined) params.endTime = page.until
      since = undefined
    } else if (page.until !== undefined) {
      params.until = page.until
    }
    const rows = await this.deps.call(() => ex.fetchMyTrades(symbol, since, page.limit, params), 'read')
    if (!Array.isArray(rows)) throw this.malformed(`fills of ${symbol}`, 'the reply is not a list')
    const fills = this.fillsOf(symbol, rows)
    return fills.sort((a, b) => (page.fromId !== undefined ? compareIds(a.tradeId, b.tradeId) : a.timestamp - b.timestamp || compareIds(a.tradeId, b.tradeId)))
  }

  private fillsOf(symbol: string, rows: unknown[]): Fill[] {
    return rows.map((row, i) => {
      try {
        if (!row || typeof row !== 'object') throw new VenueError('bad-reply', 'not a trade')
        return this.deps.fill(row as unknown as Raw)
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        throw this.malformed(`fills of ${symbol}`, `row ${i + 1} of ${rows.length}: ${detail}`)
      }
    })
  }

  /**
   * Every fill on `symbol` with since ≤ timestamp ≤ until, oldest first: Kraken's TradesHistory pages of 50
   * (all pairs) from offset 0 until its count of the window's trades is reached or a page comes back short.
   * The window's end is fixed, so newer trades cannot shift the offsets. Kraken's `start` is exclusive and
   * in whole seconds: the bounds are widened to whole seconds and the rows cut to the window here.
   */
  private async krakenWindow(symbol: string, since: number | undefined, until: number | undefined, shared: boolean): Promise<Fill[]> {
    const request: { start?: number; end?: number } = {}
    if (since !== undefined) request.start = Math.floor((since - 1) / 1000)
    if (until !== undefined) request.end = Math.ceil(until / 1000)
    const market = this.deps.ex.market(symbol)
    const cache = shared ? this.krakenRows : null
    const key = `${request.start ?? ''}:${request.end ?? ''}`
    let rows = cache?.get(key)
    if (!rows) {
      rows = await this.krakenTrades(request, `fills of ${symbol}`)
      cache?.set(key, rows)
    }
    // ccxt's parser (it keeps the rows of this market), then the exact re-read of each.
    const parsed = this.deps.ex.parseTrades(rows as never, market) as unknown[]
    const out = this.fillsOf(symbol, parsed).filter((f) => (since === undefined || f.timestamp >= since) && (until === undefined || f.timestamp <= until))
    const unique = new Map(out.map((f) => [f.tradeId, f]))
    return [...unique.values()].sort((a, b) => a.timestamp - b.timestamp || compareIds(a.tradeId, b.tradeId))
  }

  /** Every row of one TradesHistory window (all pairs), page by page from offset 0, each with its id. */
  private async krakenTrades(request: { start?: number; end?: number }, what: string): Promise<Raw[]> {
    const ex = this.deps.ex as unknown as Exchange & { privatePostTradesHistory(params: Raw): Promise<unknown> }
    const out: Raw[] = []
    for (let ofs = 0; ; ) {
      const reply = await this.deps.call(() => ex.privatePostTradesHistory({ ...request, ofs }), 'read')
      const result = reply && typeof reply === 'object' ? (reply as Raw).result : undefined
      const trades = result && typeof result === 'object' ? (result as Raw).trades : undefined
      if (!trades || typeof trades !== 'object' || Array.isArray(trades)) throw this.malformed(what, 'no "trades" object')
      const rows = Object.entries(trades as Raw).map(([id, row]) => {
        if (!row || typeof row !== 'object') throw this.malformed(what, `trade ${id.slice(0, 30)} is not an object`)
        return { ...(row as Raw), id }
      })
      out.push(...rows)
      ofs += rows.length
      const count = (result as Raw).count
      if (rows.length < KRAKEN_PAGE || (typeof count === 'number' && ofs >= count)) break
    }
    return out
  }

  /** Every fill from `since` to now, window by window and page by page; without `since`, one recent page. */
  async fillsSince(symbol: string, since?: number): Promise<Fill[]> {
    if (since === undefined) {
      const rows = await this.deps.call(() => this.deps.ex.fetchMyTrades(symbol), 'read')
      if (!Array.isArray(rows)) throw this.malformed(`fills of ${symbol}`, 'the reply is not a list')
      return rows.map((t) => this.deps.fill(t as unknown as Raw))
    }
    const paging = this.paging().trades
    const until = (this.deps.now ?? Date.now)()
    const out: Fill[] = []
    await walkFillWindows((page) => this.pageOf(symbol, page, false), { since, until, ...paging }, (fills) => {
      out.push(...fills)
    })
    return out
  }

  /** One request's page of deposits or withdrawals (see Venue.fetchTransfers). */
  async transfers(kind: TransferKind, page: { since: number; until: number; limit: number }): Promise<Transfer[]> {
    const { ex, exchange } = this.deps
    const what = kind === 'deposit' ? 'deposits' : 'withdrawals'
    const has = ex.has as Record<string, unknown>
    if (!has[kind === 'deposit' ? 'fetchDeposits' : 'fetchWithdrawals']) throw new VenueError('unknown', `${this.deps.name} offers no ${what} history through ccxt`)
    const binance = exchange === 'binance'
    const params: Raw = binance ? { startTime: page.since, endTime: page.until } : { until: page.until }
    const since = binance ? undefined : page.since
    const rows = await this.deps.call(
      () => (kind === 'deposit' ? ex.fetchDeposits(undefined, since, page.limit, params) : ex.fetchWithdrawals(undefined, since, page.limit, params)),
      'read',
    )
    if (!Array.isArray(rows)) throw this.malformed(what, 'the reply is not a list')
    const out = rows.map((row, i) => {
      try {
        return this.transfer(kind, row as unknown as Raw)
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        throw this.malformed(what, `row ${i + 1} of ${rows.length}: ${detail}`)
      }
    })
    return out.sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  /** One request's page of Binance Convert trades (see Venue.fetchConversions). */
  async conversions(page: { since: number; until: number; limit: number }): Promise<Conversion[]> {
    const reply = await this.binanceOnly('conversions', (ex) => ex.sapiGetConvertTradeFlow({ startTime: page.since, endTime: page.until, limit: page.limit }))
    const rows = this.rowsOf(reply, 'list', 'conversions')
    return this.each(rows, 'conversions', conversionOf).sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  /**
   * One request's page of Binance's dust log (see Venue.fetchDustConversions): the window's sweeps (Binance
   * sends at most 100, the newest), one conversion per coin swept. A truncated page of `limit` sweeps has at
   * least `limit` rows, so the sync's split (rows ≥ limit) never misses one; it may split a window that was whole.
   */
  async dustConversions(page: { since: number; until: number; limit: number }): Promise<Conversion[]> {
    const reply = await this.binanceOnly('dust conversions', (ex) => ex.sapiGetAssetDribblet({ startTime: page.since, endTime: page.until }))
    const sweeps = this.rowsOf(reply, 'userAssetDribblets', 'dust conversions')
    const out = this.each(sweeps, 'dust conversions', dustOf)
    return out.flat().sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  /** One request's page of Binance's Buy Crypto history (see Venue.fetchFiatPurchases). */
  async fiatPurchases(page: { since: number; until: number; limit: number }): Promise<Conversion[]> {
    const reply = await this.binanceOnly('fiat purchases', (ex) => ex.sapiGetFiatPayments({ transactionType: '0', beginTime: page.since, endTime: page.until, page: 1, rows: page.limit }))
    const rows = this.rowsOf(reply, 'data', 'fiat purchases')
    return this.each(rows, 'fiat purchases', purchaseOf).sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  /** One request's page of Binance's asset dividend record (see Venue.fetchRewards). */
  async rewards(page: { since: number; until: number; limit: number }): Promise<Reward[]> {
    const reply = await this.binanceOnly('rewards', (ex) => ex.sapiGetAssetAssetDividend({ startTime: page.since, endTime: page.until, limit: page.limit }))
    const rows = this.rowsOf(reply, 'rows', 'rewards')
    return this.each(rows, 'rewards', rewardOf).sort((a, b) => a.timestamp - b.timestamp || compareIds(a.id, b.id))
  }

  private binanceOnly(what: string, request: (ex: BinanceImplicit) => Promise<unknown>): Promise<unknown> {
    if (this.deps.exchange !== 'binance') return Promise.reject(new VenueError('unknown', `${this.deps.name}'s ${what} are not read`))
    return this.deps.call(() => request(binanceImplicit(this.deps.ex)), 'read')
  }

  private rowsOf(reply: unknown, key: string, what: string): unknown[] {
    if (!reply || typeof reply !== 'object') throw this.malformed(what, 'the reply is not an object')
    const rows = (reply as Raw)[key]
    // Binance leaves the list out when a window holds nothing.
    if (rows === undefined || rows === null) return []
    if (!Array.isArray(rows)) throw this.malformed(what, `"${key}" is not a list`)
    return rows
  }

  private each<T>(rows: unknown[], what: string, parse: (row: Raw) => T): T[] {
    return rows.map((row, i) => {
      try {
        if (!row || typeof row !== 'object') throw new VenueError('bad-reply', 'not an object')
        return parse(row as Raw)
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        throw this.malformed(what, `row ${i + 1} of ${rows.length}: ${detail}`)
      }
    })
  }

  private transfer(kind: TransferKind, parsed: Raw): Transfer {
    if (!parsed || typeof parsed !== 'object') throw new VenueError('bad-reply', 'not a transfer')
    const info = parsed.info
    let t = parsed
    if (info && typeof info === 'object') {
      try {
        const parse = (this.deps.ex as unknown as { parseTransaction(info: Raw): Raw }).parseTransaction.bind(this.deps.ex)
        const again = withStringNumbers(this.deps.ex, () => parse({ ...(info as Raw), type: kind }))
        if (again && again.id === parsed.id && Number(again.amount) === Number(parsed.amount)) t = again
      } catch {
        // keep ccxt's float parse (checked below as decimals all the same)
      }
    }
    const id = typeof t.id === 'string' || typeof t.id === 'number' ? String(t.id) : typeof t.txid === 'string' && t.txid !== '' ? t.txid : ''
    if (id === '') throw new VenueError('bad-reply', 'no id or transaction id')
    const asset = t.currency
    if (typeof asset !== 'string' || asset === '') throw new VenueError('bad-reply', 'no currency')
    if (typeof t.timestamp !== 'number' || !Number.isFinite(t.timestamp)) throw new VenueError('bad-reply', 'no valid time')
    const amount = toDecimal(t.amount, `${kind} amount`)
    const fee = t.fee && typeof t.fee === 'object' ? (t.fee as Raw) : undefined
    const feeAmount = toDecimalOrNull(fee?.cost, `${kind} fee`)
    // Binance's final deposit states ccxt does not name: 2 rejected, 7 wrong deposit. Read as pending they
    // would hold the deposit cursor on them for good (a pending deposit is read again at every sync).
    const raw = t.info && typeof t.info === 'object' ? String((t.info as Raw).status ?? '') : ''
    const refused = this.deps.exchange === 'binance' && kind === 'deposit' && (raw === '2' || raw === '7')
    const status = refused ? 'failed' : t.status === 'ok' || t.status === 'pending' || t.status === 'failed' || t.status === 'canceled' ? t.status : 'pending'
    return {
      id,
      kind,
      asset,
      amount,
      fee: feeAmount !== null && feeAmount !== '0' ? { asset: typeof fee?.currency === 'string' ? fee.currency : asset, amount: feeAmount } : null,
      status,
      timestamp: Math.trunc(t.timestamp),
      txid: typeof t.txid === 'string' && t.txid !== '' ? t.txid : null,
    }
  }

  private malformed(what: string, detail: string): VenueError {
    return new VenueError('bad-reply', `${this.deps.name} sent a malformed reply for ${what}: ${detail}`)
  }
}

export interface WalkOptions {
  since: number
  until: number
  windowMs: number
  limit: number
  byId: boolean
}

/**
 * Walks since..until (both inclusive) in windows of at most windowMs, one page each; a full page means the
 * window holds more: on venues that page by id it goes on by trade id (fromId = last + 1, until past the
 * window), elsewhere the window is split in halves (down to a millisecond). `onPage` gets each page's fills
 * that belong to the window, oldest first, never one twice.
 */
export async function walkFillWindows(
  fetchPage: (page: FillsPageRequest) => Promise<Fill[]>,
  o: WalkOptions,
  onPage: (fills: Fill[], window: { since: number; until: number }) => void | Promise<void>,
): Promise<void> {
  for (let start = o.since; start <= o.until; start += o.windowMs) {
    const end = Math.min(start + o.windowMs - 1, o.until)
    await walkWindow(fetchPage, o, start, end, onPage)
  }
}

async function walkWindow(
  fetchPage: (page: FillsPageRequest) => Promise<Fill[]>,
  o: WalkOptions,
  since: number,
  until: number,
  onPage: (fills: Fill[], window: { since: number; until: number }) => void | Promise<void>,
): Promise<void> {
  const page = await fetchPage({ since, until, limit: o.limit })
  await onPage(page, { since, until })
  if (page.length < o.limit) return
  if (o.byId) {
    let last = page.reduce((a, b) => (compareIds(a.tradeId, b.tradeId) >= 0 ? a : b))
    for (;;) {
      const next = await fetchPage({ fromId: nextId(last.tradeId), limit: o.limit })
      const inside = next.filter((f) => f.timestamp >= since && f.timestamp <= until)
      if (inside.length > 0) await onPage(inside, { since, until })
      if (next.length < o.limit || inside.length < next.length) return
      last = next[next.length - 1] as Fill
    }
  }
  if (since === until) return // more than a page in one millisecond: nothing finer to ask for
  // The first page told nothing about how the rest is spread: ask both halves afresh (the first half again).
  const mid = since + Math.floor((until - since) / 2)
  const seen = new Set(page.map((f) => f.tradeId))
  const unseen = async (fills: Fill[], w: { since: number; until: number }) => {
    const fresh = fills.filter((f) => !seen.has(f.tradeId))
    for (const f of fresh) seen.add(f.tradeId)
    if (fresh.length > 0) await onPage(fresh, w)
  }
  await walkWindow(fetchPage, o, since, mid, unseen)
  await walkWindow(fetchPage, o, mid + 1, until, unseen)
}

/** The id after a numeric trade id ("41" → "42"), exact for ids beyond 2^53. */
export function nextId(id: string): string {
  if (!/^\d+$/.test(id)) throw new VenueError('bad-reply', `Trade id ${JSON.stringify(id.slice(0, 40))} is not a number, so it cannot be paged by id`)
  return (BigInt(id) + 1n).toString()
}

/** Numeric ids by value, others as text. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a)
    const y = BigInt(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return a < b ? -1 : a > b ? 1 : 0
}

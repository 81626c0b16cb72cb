import Decimal from 'decimal.js'
import type { Exchange } from 'ccxt'
import type { ExchangeId } from '../../accounts/exchanges'
import type { Conversion, Fill, FillsPageRequest, HistoryPaging, Reward, Transfer, TransferKind } from '../port'
import { VenueError } from '../port'
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
// Conversions and rewards (Binance only) go through ccxt's implicit API, raw, so every amount stays the
// exchange's own decimal text and ids are never read through a float: GET /sapi/v1/convert/tradeFlow
// (startTime and endTime required, at most 30 days apart, limit ≤ 1000; UID weight 3000, which ccxt's cost
// of 20 spaces to one call a second) and GET /sapi/v1/asset/assetDividend (at most 180 days, limit ≤ 500, no
// offset: a full page is split by time). A Convert's orderId is an integer beyond 2^53 and arrives rounded,
// so a conversion is known by its quoteId. Dust sweeps: GET /sapi/v1/asset/dribblet ("only the last 100
// records", "only records after 2020/12/01"; a window is read whole, and split when 100 sweeps come back),
// each coin of a sweep one conversion into BNB, `transferedAmount` being what arrived after the service
// charge (2 % in Binance's own example: 0.000441 + 0.000009 = 0.00045). Buy Crypto (card, bank): GET
// /sapi/v1/fiat/payments with transactionType 0, page 1 of `rows` ≤ 500 per window (a full page is split by
// time); sourceAmount is the fiat paid, fee included (Binance's example: (20 − 0.2) / 4.462 = its price
// 4.437472), obtainAmount the crypto that arrived. Sells to fiat (transactionType 1) are not read: which of
// their amounts carries the fee is not documented.

type Raw = Record<string, unknown>

const DAY = 86_400_000

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

export class CcxtHistory {
  constructor(private readonly deps: CcxtHistoryDeps) {}

  paging(): HistoryPaging {
    const { ex, exchange } = this.deps
    const has = ex.has as Record<string, unknown>
    if (exchange === 'binance') {
      return {
        start: Date.UTC(2017, 6, 1),
        trades: { windowMs: DAY, limit: 1000, byId: true },
        transfers: { windowMs: 90 * DAY, limit: 1000 },
        conversions: { windowMs: 30 * DAY, limit: 1000 },
        dust: { windowMs: 90 * DAY, limit: 100, start: Date.UTC(2020, 11, 1) },
        purchases: { windowMs: 30 * DAY, limit: 500 },
        rewards: { windowMs: 180 * DAY, limit: 500 },
      }
    }
    // Not verified against these exchanges: conservative spans and pages, and no older than a year (most keep
    // fills in their API for months, not forever).
    const now = (this.deps.now ?? Date.now)()
    return {
      start: now - 365 * DAY,
      trades: { windowMs: 7 * DAY, limit: 100, byId: false },
      transfers: has.fetchDeposits && has.fetchWithdrawals ? { windowMs: 30 * DAY, limit: 100 } : null,
      conversions: null,
      dust: null,
      purchases: null,
      rewards: null,
    }
  }

  /** One request's page of fills (see Venue.fetchMyFillsPage). */
  async fillsPage(symbol: string, page: FillsPageRequest): Promise<Fill[]> {
    const { ex, exchange } = this.deps
    const params: Raw = {}
    let since: number | undefined = page.since
    if (page.fromId !== undefined) {
      if (page.since !== undefined || page.until !== undefined) throw new VenueError('invalid-order', 'A fills page is asked by trade id or by time, not both')
      params.fromId = page.fromId
    }
    if (exchange === 'binance') {
      if (page.since !== undefined) params.startTime = page.since
      if (page.until !== undefined) params.endTime = page.until
      since = undefined
    } else if (page.until !== undefined) {
      params.until = page.until
    }
    const rows = await this.deps.call(() => ex.fetchMyTrades(symbol, since, page.limit, params), 'read')
    if (!Array.isArray(rows)) throw this.malformed(`fills of ${symbol}`, 'the reply is not a list')
    const fills = rows.map((row, i) => {
      try {
        if (!row || typeof row !== 'object') throw new VenueError('bad-reply', 'not a trade')
        return this.deps.fill(row as unknown as Raw)
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        throw this.malformed(`fills of ${symbol}`, `row ${i + 1} of ${rows.length}: ${detail}`)
      }
    })
    return fills.sort((a, b) => (page.fromId !== undefined ? compareIds(a.tradeId, b.tradeId) : a.timestamp - b.timestamp || compareIds(a.tradeId, b.tradeId)))
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
    await walkFillWindows((page) => this.fillsPage(symbol, page), { since, until, ...paging }, (fills) => {
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
    const out = this.each(sweeps, 'dust conversions', (sweep) => {
      const id = textOf(sweep.transId)
      if (id === null) throw new VenueError('bad-reply', 'no transId')
      const details = sweep.userAssetDribbletDetails
      if (!Array.isArray(details) || details.length === 0) throw new VenueError('bad-reply', 'no userAssetDribbletDetails')
      const time = timeOf(sweep.operateTime, 'operateTime')
      return details.map((d: unknown, i): Conversion => {
        if (!d || typeof d !== 'object') throw new VenueError('bad-reply', `detail ${i + 1} is not an object`)
        const row = d as Raw
        const from = assetOf(row.fromAsset, `detail ${i + 1} fromAsset`)
        return {
          id: `${id}:${from}`,
          timestamp: time,
          spent: { asset: from, amount: positive(row.amount, `detail ${i + 1} amount`) },
          received: { asset: 'BNB', amount: positive(row.transferedAmount, `detail ${i + 1} transferedAmount`) },
          status: 'ok',
        }
      })
    })
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
    return this.deps.call(() => request(this.deps.ex as unknown as BinanceImplicit), 'read')
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
    const status = t.status === 'ok' || t.status === 'pending' || t.status === 'failed' || t.status === 'canceled' ? t.status : 'pending'
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

/** The implicit-API calls read here (ccxt generates them from its endpoint table). */
interface BinanceImplicit {
  sapiGetConvertTradeFlow(params: Raw): Promise<unknown>
  sapiGetAssetAssetDividend(params: Raw): Promise<unknown>
  sapiGetAssetDribblet(params: Raw): Promise<unknown>
  sapiGetFiatPayments(params: Raw): Promise<unknown>
}

const CONVERT_STATUS: Record<string, Conversion['status']> = { SUCCESS: 'ok', PROCESS: 'pending', ACCEPT_SUCCESS: 'pending', FAIL: 'failed', EXPIRED: 'failed' }

/** A row of /sapi/v1/convert/tradeFlow. */
function conversionOf(row: Raw): Conversion {
  const id = textOf(row.quoteId) ?? textOf(row.orderId)
  if (id === null) throw new VenueError('bad-reply', 'no quoteId or orderId')
  const status = CONVERT_STATUS[String(row.orderStatus)]
  if (!status) throw new VenueError('bad-reply', `unknown orderStatus ${JSON.stringify(String(row.orderStatus).slice(0, 20))}`)
  const spent = { asset: assetOf(row.fromAsset, 'fromAsset'), amount: positive(row.fromAmount, 'fromAmount') }
  const received = { asset: assetOf(row.toAsset, 'toAsset'), amount: positive(row.toAmount, 'toAmount') }
  if (spent.asset === received.asset) throw new VenueError('bad-reply', `converts ${spent.asset} into itself`)
  return { id, timestamp: timeOf(row.createTime, 'createTime'), spent, received, status }
}

/**
 * Buy Crypto statuses: done, still moving, or undone. Any other (Binance lists "Refund Failed" and "Order
 * Partial credit Stopped" without saying what moved) is held as pending: not stored, and named by the sync.
 */
const PURCHASE_STATUS: Record<string, Conversion['status']> = { Completed: 'ok', Successful: 'ok', Finished: 'ok', Failed: 'failed', Refunded: 'failed' }

/** A row of /sapi/v1/fiat/payments (transactionType 0). */
function purchaseOf(row: Raw): Conversion {
  const id = textOf(row.orderNo)
  if (id === null) throw new VenueError('bad-reply', 'no orderNo')
  return {
    id,
    timestamp: timeOf(row.createTime, 'createTime'),
    spent: { asset: assetOf(row.fiatCurrency, 'fiatCurrency'), amount: positive(row.sourceAmount, 'sourceAmount') },
    received: { asset: assetOf(row.cryptoCurrency, 'cryptoCurrency'), amount: positive(row.obtainAmount, 'obtainAmount') },
    status: PURCHASE_STATUS[String(row.status)] ?? 'pending',
    note: typeof row.status === 'string' ? row.status.slice(0, 40) : undefined,
  }
}

/** A row of /sapi/v1/asset/assetDividend. */
function rewardOf(row: Raw): Reward {
  const id = textOf(row.id)
  if (id === null) throw new VenueError('bad-reply', 'no id')
  const direction = row.direction === undefined || row.direction === 1 || row.direction === '1' ? 'in' : row.direction === -1 || row.direction === '-1' ? 'out' : null
  if (direction === null) throw new VenueError('bad-reply', `direction ${JSON.stringify(row.direction)} is neither 1 nor -1`)
  return {
    id,
    timestamp: timeOf(row.divTime, 'divTime'),
    asset: assetOf(row.asset, 'asset'),
    amount: positive(row.amount, 'amount'),
    direction,
    what: typeof row.enInfo === 'string' ? row.enInfo.slice(0, 100) : '',
    group: textOf(row.tranId),
  }
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return null
}

function assetOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9]{1,20}$/.test(value)) throw new VenueError('bad-reply', `${field} ${JSON.stringify(value)} is not an asset code`)
  return value.toUpperCase()
}

function positive(value: unknown, field: string): string {
  const amount = toDecimal(value, field)
  if (!new Decimal(amount).gt(0)) throw new VenueError('bad-reply', `${field} ${amount} is not positive`)
  return amount
}

function timeOf(value: unknown, field: string): number {
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0) throw new VenueError('bad-reply', `${field} ${JSON.stringify(value)} is not a time`)
  return ms
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

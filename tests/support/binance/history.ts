import Decimal from 'decimal.js'
import type { ServerContext } from './context'
import { fmt, marketId, myTradeJson } from './format'
import { err, intParam, limitParam, optional, required, type ApiRequest, type Routes } from './http'

// An account's past on the local Binance server: fills, deposits and withdrawals from before the engine
// ran, seedable in bulk (`seedFills`), served the way Binance serves history:
//   GET /api/v3/myTrades                  symbol (required); orderId; fromId (id order, never with a time:
//                                         -1128); startTime / endTime at most 24 h apart (-1127); only one
//                                         of them: the 24 h from / up to it; none: the most recent; limit
//                                         default 500, max 1000. The engine's own fills are served too.
//   GET /sapi/v1/capital/deposit/hisrec    coin, status, startTime / endTime (≤ 90 days apart, -1127; default
//   GET /sapi/v1/capital/withdraw/history  the last 90 days), offset, limit (default 1000, max 1000); newest first.
// Seeded trade ids count per market from a base of its own (like Binance, ids are per symbol); the engine's
// fills keep their own (small) ids, so in id order they come before any seeded one.

const DAY = 86_400_000
export const SIGNED = ['recvWindow', 'timestamp', 'signature'] as const

export interface HistoryFill {
  symbolId: string
  id: number
  orderId: number
  side: 'buy' | 'sell'
  price: string
  qty: string
  commission: string
  commissionAsset: string
  time: number
  isMaker: boolean
}

export interface HistoryDeposit {
  id: string
  coin: string
  amount: string
  network: string
  /** 0 pending, 6 credited but cannot withdraw, 1 success (Binance's codes). */
  status: number
  txId: string
  insertTime: number
}

export interface HistoryWithdrawal {
  id: string
  coin: string
  amount: string
  transactionFee: string
  network: string
  /** 0 email sent, 2 awaiting approval, 3 rejected, 4 processing, 6 completed (Binance's codes). */
  status: number
  txId: string
  applyTime: number
}

/** A Binance Convert trade, as /sapi/v1/convert/tradeFlow lists it. */
export interface HistoryConversion {
  quoteId: string
  /** Binance's orderId: an integer past 2^53, so JSON gives it rounded (kept as the float it parses to). */
  orderId: number
  orderStatus: 'SUCCESS' | 'PROCESS' | 'ACCEPT_SUCCESS' | 'FAIL'
  fromAsset: string
  fromAmount: string
  toAsset: string
  toAmount: string
  createTime: number
}

/** A row of the asset dividend record (/sapi/v1/asset/assetDividend): rewards, airdrops, distributions. */
export interface HistoryDividend {
  id: number
  amount: string
  asset: string
  divTime: number
  enInfo: string
  tranId: number
  /** 1 credited, -1 debited (the old coin of a token swap). */
  direction: 1 | -1
}

/** A dust sweep ("Convert small balances to BNB"), as /sapi/v1/asset/dribblet lists it. */
export interface HistoryDustSweep {
  transId: number
  operateTime: number
  /** Each coin swept: what left, the BNB that arrived after the charge, and the charge. */
  details: { fromAsset: string; amount: string; transferedAmount: string; serviceChargeAmount: string }[]
}

/** A Buy Crypto order (card or bank), as /sapi/v1/fiat/payments lists it. */
export interface HistoryFiatPayment {
  orderNo: string
  /** 0 buy, 1 sell. */
  transactionType: 0 | 1
  sourceAmount: string
  fiatCurrency: string
  obtainAmount: string
  cryptoCurrency: string
  totalFee: string
  price: string
  status: string
  paymentMethod: string
  createTime: number
  updateTime: number
}

export interface SeedFillsOptions {
  accountId: string
  /** Unified symbols ("BTC/USDT"); the fills are spread over them in turn. */
  symbols: string[]
  count: number
  from: number
  to: number
  seed?: number
}

export class BinanceHistory {
  private readonly fills = new Map<string, HistoryFill[]>()
  private readonly deposits = new Map<string, HistoryDeposit[]>()
  private readonly withdrawals = new Map<string, HistoryWithdrawal[]>()
  private readonly conversions = new Map<string, HistoryConversion[]>()
  private readonly dividends = new Map<string, HistoryDividend[]>()
  private readonly sweeps = new Map<string, HistoryDustSweep[]>()
  private readonly payments = new Map<string, HistoryFiatPayment[]>()
  private readonly nextTradeId = new Map<string, number>()
  private nextOrderId = 500_000_000
  private nextTransferId = 1
  /** Trade id → fields replacing the row's own in every reply (a malformed row, for tests). */
  readonly corrupt = new Map<number, Record<string, unknown>>()

  constructor(private readonly ctx: ServerContext) {}

  /** One past fill; returns its trade id (the market's next). */
  addFill(accountId: string, f: { symbol: string; side: 'buy' | 'sell'; price: string; amount: string; time: number; fee?: string; feeAsset?: string; maker?: boolean }): number {
    const spec = this.ctx.engine.market(f.symbol)
    const symbolId = marketId(spec)
    const id = this.takeTradeId(symbolId)
    const quote = spec.symbol.split('/')[1] as string
    const row: HistoryFill = {
      symbolId,
      id,
      orderId: this.nextOrderId++,
      side: f.side,
      price: f.price,
      qty: f.amount,
      commission: f.fee ?? new Decimal(f.price).times(f.amount).times('0.001').toDecimalPlaces(8).toFixed(),
      commissionAsset: f.feeAsset ?? quote,
      time: f.time,
      isMaker: f.maker ?? false,
    }
    this.list(this.fills, accountId).push(row)
    return id
  }

  /** `count` fills spread over from..to (random times, deterministic for a seed), round-robin over the symbols. */
  seedFills(o: SeedFillsOptions): HistoryFill[] {
    let state = (o.seed ?? 1) >>> 0 || 1
    const rand = () => {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      return (state >>> 0) / 4294967296
    }
    const planned = Array.from({ length: o.count }, (_, i) => ({ symbol: o.symbols[i % o.symbols.length] as string, time: o.from + Math.floor(rand() * (o.to - o.from + 1)) }))
    planned.sort((a, b) => a.time - b.time)
    const before = this.list(this.fills, o.accountId).length
    for (const p of planned) {
      const mid = MIDS[p.symbol] ?? '100'
      const price = new Decimal(mid).times(new Decimal(0.9).plus(rand() * 0.2)).toDecimalPlaces(2).toFixed()
      const amount = new Decimal(rand()).times(UNITS[p.symbol] ?? '1').plus('0.0001').toDecimalPlaces(4).toFixed()
      this.addFill(o.accountId, { symbol: p.symbol, side: rand() < 0.5 ? 'buy' : 'sell', price, amount, time: p.time, maker: rand() < 0.5 })
    }
    return this.list(this.fills, o.accountId).slice(before)
  }

  addDeposit(accountId: string, d: { coin: string; amount: string; time: number; status?: number; txId?: string }): HistoryDeposit {
    const row: HistoryDeposit = {
      id: String(800_000_000_000 + this.nextTransferId++),
      coin: d.coin,
      amount: d.amount,
      network: d.coin,
      status: d.status ?? 1,
      txId: d.txId ?? `0xdep${this.nextTransferId}`,
      insertTime: d.time,
    }
    this.list(this.deposits, accountId).push(row)
    return row
  }

  addWithdrawal(accountId: string, w: { coin: string; amount: string; fee: string; time: number; status?: number }): HistoryWithdrawal {
    const row: HistoryWithdrawal = {
      id: `wd${(this.nextTransferId++).toString(16).padStart(30, '0')}`,
      coin: w.coin,
      amount: w.amount,
      transactionFee: w.fee,
      network: w.coin,
      status: w.status ?? 6,
      txId: `0xwd${this.nextTransferId}`,
      applyTime: Math.floor(w.time / 1000) * 1000, // Binance's applyTime has whole seconds
    }
    this.list(this.withdrawals, accountId).push(row)
    return row
  }

  /** One Convert trade; `orderStatus` SUCCESS unless given. */
  addConversion(accountId: string, c: { from: string; fromAmount: string; to: string; toAmount: string; time: number; status?: HistoryConversion['orderStatus'] }): HistoryConversion {
    const n = this.nextTransferId++
    const row: HistoryConversion = {
      quoteId: `q${n.toString(16).padStart(31, '0')}`,
      orderId: 940_708_407_462_087_000 + n * 64, // past 2^53: neighbours closer than 128 would parse alike
      orderStatus: c.status ?? 'SUCCESS',
      fromAsset: c.from,
      fromAmount: c.fromAmount,
      toAsset: c.to,
      toAmount: c.toAmount,
      createTime: c.time,
    }
    this.list(this.conversions, accountId).push(row)
    return row
  }

  /** One asset dividend record row; `tranId` shared by rows booked as one movement (a token swap's two sides). */
  addDividend(accountId: string, d: { asset: string; amount: string; time: number; info: string; direction?: 1 | -1; tranId?: number }): HistoryDividend {
    const n = this.nextTransferId++
    const row: HistoryDividend = { id: 1_600_000_000 + n, amount: d.amount, asset: d.asset, divTime: d.time, enInfo: d.info, tranId: d.tranId ?? 2_900_000_000 + n, direction: d.direction ?? 1 }
    this.list(this.dividends, accountId).push(row)
    return row
  }

  /** One dust sweep into BNB: per coin the amount swept and the BNB it made; Binance's 2 % charge is taken from that. */
  addDustSweep(accountId: string, time: number, coins: { asset: string; amount: string; bnb: string }[]): HistoryDustSweep {
    const row: HistoryDustSweep = {
      transId: 45_178_000_000 + this.nextTransferId++,
      operateTime: time,
      details: coins.map((c) => {
        const charge = new Decimal(c.bnb).times('0.02').toDecimalPlaces(8, Decimal.ROUND_DOWN)
        return { fromAsset: c.asset, amount: c.amount, transferedAmount: new Decimal(c.bnb).minus(charge).toFixed(), serviceChargeAmount: charge.toFixed() }
      }),
    }
    this.list(this.sweeps, accountId).push(row)
    return row
  }

  /** Crypto bought with fiat: `paid` includes `fee`; the price is what the rest bought, as Binance states it. */
  addFiatBuy(accountId: string, b: { fiat: string; paid: string; fee: string; crypto: string; amount: string; time: number; status?: string }): HistoryFiatPayment {
    const row: HistoryFiatPayment = {
      orderNo: (this.nextTransferId++).toString(16).padStart(32, 'a'),
      transactionType: 0,
      sourceAmount: b.paid,
      fiatCurrency: b.fiat,
      obtainAmount: b.amount,
      cryptoCurrency: b.crypto,
      totalFee: b.fee,
      price: new Decimal(b.paid).minus(b.fee).div(b.amount).toDecimalPlaces(6).toFixed(),
      status: b.status ?? 'Completed',
      paymentMethod: 'Credit Card',
      createTime: b.time,
      updateTime: b.time + 5_000,
    }
    this.list(this.payments, accountId).push(row)
    return row
  }

  paymentsOf(accountId: string): readonly HistoryFiatPayment[] {
    return this.payments.get(accountId) ?? []
  }

  sweepsOf(accountId: string): readonly HistoryDustSweep[] {
    return this.sweeps.get(accountId) ?? []
  }

  conversionsOf(accountId: string): readonly HistoryConversion[] {
    return this.conversions.get(accountId) ?? []
  }

  dividendsOf(accountId: string): readonly HistoryDividend[] {
    return this.dividends.get(accountId) ?? []
  }

  /** Seeded fills of an account (not the engine's). */
  fillsOf(accountId: string): readonly HistoryFill[] {
    return this.fills.get(accountId) ?? []
  }

  depositsOf(accountId: string): readonly HistoryDeposit[] {
    return this.deposits.get(accountId) ?? []
  }

  withdrawalsOf(accountId: string): readonly HistoryWithdrawal[] {
    return this.withdrawals.get(accountId) ?? []
  }

  private takeTradeId(symbolId: string): number {
    let next = this.nextTradeId.get(symbolId)
    if (next === undefined) {
      const index = [...this.ctx.bySymbolId.keys()].indexOf(symbolId)
      next = 100_000_000 * (index + 1)
    }
    this.nextTradeId.set(symbolId, next + 1)
    return next
  }

  private list<T>(map: Map<string, T[]>, accountId: string): T[] {
    let rows = map.get(accountId)
    if (!rows) map.set(accountId, (rows = []))
    return rows
  }

  /** The account's fills on a market as Binance rows with their id and time: seeded ones and the engine's. */
  rows(accountId: string, symbolId: string): { id: number; time: number; orderId: number; json: Record<string, unknown> }[] {
    const spec = this.ctx.spec(symbolId)
    const out = this.fillsOf(accountId)
      .filter((f) => f.symbolId === symbolId)
      .map((f) => ({ id: f.id, time: f.time, orderId: f.orderId, json: { ...historyTradeJson(f), ...this.corrupt.get(f.id) } }))
    if (this.ctx.engine.hasAccount(accountId)) {
      for (const f of this.ctx.engine.fills(accountId, { symbol: spec.symbol })) {
        const id = this.ctx.tradeIds.id(f.tradeId)
        const orderId = this.ctx.orderIds.id(f.venueOrderId)
        out.push({ id, time: f.timestamp, orderId, json: { ...myTradeJson(f, symbolId, id, orderId), ...this.corrupt.get(id) } })
      }
    }
    return out
  }
}

const MIDS: Record<string, string> = { 'BTC/USDT': '95000', 'ETH/USDT': '3400', 'SOL/USDT': '180', 'XRP/USDT': '2.5', 'ETH/BTC': '0.035' }
const UNITS: Record<string, string> = { 'BTC/USDT': '0.05', 'ETH/USDT': '1', 'SOL/USDT': '10', 'XRP/USDT': '500', 'ETH/BTC': '1' }

function historyTradeJson(f: HistoryFill): Record<string, unknown> {
  return {
    symbol: f.symbolId,
    id: f.id,
    orderId: f.orderId,
    orderListId: -1,
    price: fmt(f.price),
    qty: fmt(f.qty),
    quoteQty: fmt(new Decimal(f.price).times(f.qty)),
    commission: fmt(f.commission),
    commissionAsset: f.commissionAsset,
    time: f.time,
    isBuyer: f.side === 'buy',
    isMaker: f.isMaker,
    isBestMatch: true,
  }
}

/** "2021-04-15 12:09:16" (UTC), as Binance writes a withdrawal's applyTime. */
function binanceDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Time span of a history request: startTime / endTime, at most `maxMs` apart; defaults as Binance's. */
export function span(req: ApiRequest, maxMs: number, what: string, now: number, defaultBack: number): { from: number; to: number } {
  const startTime = intParam(req, 'startTime')
  const endTime = intParam(req, 'endTime')
  if (startTime !== undefined && endTime !== undefined) {
    if (endTime - startTime > maxMs) throw err.badRequest(-1127, `More than ${what} between startTime and endTime.`)
    return { from: startTime, to: endTime }
  }
  if (startTime !== undefined) return { from: startTime, to: startTime + defaultBack }
  if (endTime !== undefined) return { from: endTime - defaultBack, to: endTime }
  return { from: now - defaultBack, to: now }
}

export function historyRoutes(ctx: ServerContext, history: BinanceHistory): Routes {
  const accountOf = (req: ApiRequest): string => {
    if (req.accountId === undefined) throw new Error('route is missing its security type')
    return req.accountId
  }
  const page = <T>(rows: T[], req: ApiRequest): T[] => {
    const offset = intParam(req, 'offset') ?? 0
    const limit = limitParam(req, 1000, 1000)
    return rows.slice(Math.max(0, offset), Math.max(0, offset) + limit)
  }

  return {
    'GET /api/v3/myTrades': {
      security: 'USER_DATA',
      params: ['symbol', 'orderId', 'startTime', 'endTime', 'fromId', 'limit', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const symbolId = marketId(ctx.spec(required(req, 'symbol')))
        const orderId = intParam(req, 'orderId')
        const fromId = intParam(req, 'fromId')
        const hasTime = optional(req, 'startTime') !== undefined || optional(req, 'endTime') !== undefined
        const limit = limitParam(req, 500, 1000)
        if (fromId !== undefined && hasTime) throw err.badRequest(-1128, 'Combination of optional parameters invalid.')
        let rows = history.rows(accountId, symbolId)
        if (orderId !== undefined) rows = rows.filter((r) => r.orderId === orderId)
        if (fromId !== undefined) {
          return rows
            .filter((r) => r.id >= fromId)
            .sort((a, b) => a.id - b.id)
            .slice(0, limit)
            .map((r) => r.json)
        }
        rows.sort((a, b) => a.time - b.time || a.id - b.id)
        if (!hasTime) return rows.slice(-limit).map((r) => r.json)
        const { from, to } = span(req, DAY, '24 hours', ctx.now(), DAY)
        const inside = rows.filter((r) => r.time >= from && r.time <= to)
        return (optional(req, 'startTime') === undefined ? inside.slice(-limit) : inside.slice(0, limit)).map((r) => r.json)
      },
    },

    'GET /sapi/v1/capital/deposit/hisrec': {
      security: 'USER_DATA',
      params: ['coin', 'status', 'startTime', 'endTime', 'offset', 'limit', 'txId', 'includeSource', ...SIGNED],
      handle: (req) => {
        const { from, to } = span(req, 90 * DAY, '90 days', ctx.now(), 90 * DAY)
        const coin = optional(req, 'coin')
        const status = intParam(req, 'status')
        const rows = history
          .depositsOf(accountOf(req))
          .filter((d) => d.insertTime >= from && d.insertTime <= to && (coin === undefined || d.coin === coin) && (status === undefined || d.status === status))
          .sort((a, b) => b.insertTime - a.insertTime)
        return page(rows, req).map((d) => ({
          id: d.id,
          amount: fmt(d.amount),
          coin: d.coin,
          network: d.network,
          status: d.status,
          address: `addr-${d.coin.toLowerCase()}`,
          addressTag: '',
          txId: d.txId,
          insertTime: d.insertTime,
          completeTime: d.insertTime + 60_000,
          transferType: 0,
          confirmTimes: '12/12',
          unlockConfirm: 0,
          walletType: 0,
        }))
      },
    },

    'GET /sapi/v1/capital/withdraw/history': {
      security: 'USER_DATA',
      params: ['coin', 'withdrawOrderId', 'status', 'offset', 'limit', 'idList', 'startTime', 'endTime', ...SIGNED],
      handle: (req) => {
        const { from, to } = span(req, 90 * DAY, '90 days', ctx.now(), 90 * DAY)
        const coin = optional(req, 'coin')
        const status = intParam(req, 'status')
        const rows = history
          .withdrawalsOf(accountOf(req))
          .filter((w) => w.applyTime >= from && w.applyTime <= to && (coin === undefined || w.coin === coin) && (status === undefined || w.status === status))
          .sort((a, b) => b.applyTime - a.applyTime)
        return page(rows, req).map((w) => ({
          id: w.id,
          amount: fmt(w.amount),
          transactionFee: fmt(w.transactionFee),
          coin: w.coin,
          status: w.status,
          address: `addr-${w.coin.toLowerCase()}`,
          txId: w.txId,
          applyTime: binanceDateTime(w.applyTime),
          network: w.network,
          transferType: 0,
          info: '',
          confirmNo: 12,
          walletType: 0,
          txKey: '',
          completeTime: binanceDateTime(w.applyTime + 60_000),
        }))
      },
    },
  }
}

import Decimal from 'decimal.js'
import type { Exchange } from 'ccxt'
import type { Conversion, Reward } from '../port'
import { VenueError } from '../port'
import { toDecimal } from './decimals'

// Binance's wallet histories, row by row (CcxtHistory asks for the pages). They go through ccxt's implicit
// API, raw, so every amount stays the exchange's own decimal text and ids are never read through a float.
//  - GET /sapi/v1/convert/tradeFlow: startTime and endTime required, at most 30 days apart, limit ≤ 1000;
//    UID weight 3000, which ccxt's cost of 20 spaces to one call a second. A Convert's orderId is an integer
//    beyond 2^53 and arrives rounded, so a conversion is known by its quoteId.
//  - GET /sapi/v1/asset/dribblet (dust sweeps): "only the last 100 records", "only records after
//    2020/12/01"; a window is read whole, and split when 100 sweeps come back. Each coin of a sweep is one
//    conversion into BNB, `transferedAmount` being what arrived after the service charge (2 % in Binance's
//    own example: 0.000441 + 0.000009 = 0.00045).
//  - GET /sapi/v1/fiat/payments (Buy Crypto by card or bank), transactionType 0: page 1 of `rows` ≤ 500 per
//    window (a full page is split by time). sourceAmount is the fiat paid, fee included (Binance's example:
//    (20 − 0.2) / 4.462 = its price 4.437472), obtainAmount the crypto that arrived. Sells to fiat
//    (transactionType 1) are not read: which of their amounts carries the fee is not documented.
//  - GET /sapi/v1/asset/assetDividend (rewards): at most 180 days, limit ≤ 500, no offset (a full page is
//    split by time).

type Raw = Record<string, unknown>

/** The implicit-API calls read here (ccxt generates them from its endpoint table). */
export interface BinanceImplicit {
  sapiGetConvertTradeFlow(params: Raw): Promise<unknown>
  sapiGetAssetAssetDividend(params: Raw): Promise<unknown>
  sapiGetAssetDribblet(params: Raw): Promise<unknown>
  sapiGetFiatPayments(params: Raw): Promise<unknown>
}

const CONVERT_STATUS: Record<string, Conversion['status']> = { SUCCESS: 'ok', PROCESS: 'pending', ACCEPT_SUCCESS: 'pending', FAIL: 'failed', EXPIRED: 'failed' }

/** A row of /sapi/v1/convert/tradeFlow. */
export function conversionOf(row: Raw): Conversion {
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
export function purchaseOf(row: Raw): Conversion {
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
export function rewardOf(row: Raw): Reward {
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


/** ccxt's binance class seen through the calls above. */
export function binanceImplicit(ex: Exchange): BinanceImplicit {
  return ex as unknown as BinanceImplicit
}

/** A sweep of /sapi/v1/asset/dribblet: one conversion into BNB per coin swept, known as "<sweep>:<coin>". */
export function dustOf(sweep: Raw): Conversion[] {
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
}

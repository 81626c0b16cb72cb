import Decimal from 'decimal.js'
import type { ServerContext } from './context'
import { fmt } from './format'
import { span, SIGNED, type BinanceHistory } from './history'
import { err, intParam, limitParam, optional, required, type ApiRequest, type Routes } from './http'

// Binance Convert's trade history, Buy Crypto orders, the dust log and the asset dividend record (rewards,
// airdrops, distributions), served from an account's seeded past (history.ts: addConversion, addFiatBuy,
// addDustSweep, addDividend) the way Binance serves them:
//   GET /sapi/v1/convert/tradeFlow      startTime and endTime mandatory (-1102), at most 30 days apart
//                                       (-1127); limit default 100, max 1000; {list, startTime, endTime,
//                                       limit, moreData}, newest first.
//   GET /sapi/v1/fiat/payments          transactionType (0 buy, 1 sell) mandatory; beginTime / endTime (none:
//                                       the last 30 days); page (from 1), rows default 100, max 500;
//                                       {code, message, data, total, success}, newest first.
//   GET /sapi/v1/asset/dribblet          startTime / endTime optional; only sweeps after 2020-12-01, the
//                                       last 100 of the span; {total, userAssetDribblets}, newest first.
//   GET /sapi/v1/asset/assetDividend    asset; startTime / endTime at most 180 days apart (-1127; default the
//                                       last 180 days); limit default 20, max 500; no offset; {rows, total},
//                                       newest first, `total` counting every row of the span.

const DAY = 86_400_000

export function walletHistoryRoutes(ctx: ServerContext, history: BinanceHistory): Routes {
  const accountOf = (req: ApiRequest): string => {
    if (req.accountId === undefined) throw new Error('route is missing its security type')
    return req.accountId
  }
  return {
    'GET /sapi/v1/convert/tradeFlow': {
      security: 'USER_DATA',
      params: ['startTime', 'endTime', 'limit', ...SIGNED],
      handle: (req) => {
        required(req, 'startTime')
        required(req, 'endTime')
        const from = intParam(req, 'startTime') as number
        const to = intParam(req, 'endTime') as number
        if (to - from > 30 * DAY) throw err.badRequest(-1127, 'More than 30 days between startTime and endTime.')
        const limit = limitParam(req, 100, 1000)
        const rows = history
          .conversionsOf(accountOf(req))
          .filter((c) => c.createTime >= from && c.createTime <= to)
          .sort((a, b) => b.createTime - a.createTime)
        return {
          list: rows.slice(0, limit).map((c) => ({
            quoteId: c.quoteId,
            orderId: c.orderId,
            orderStatus: c.orderStatus,
            fromAsset: c.fromAsset,
            fromAmount: c.fromAmount,
            toAsset: c.toAsset,
            toAmount: c.toAmount,
            ratio: ratio(c.toAmount, c.fromAmount),
            inverseRatio: ratio(c.fromAmount, c.toAmount),
            createTime: c.createTime,
          })),
          startTime: from,
          endTime: to,
          limit,
          moreData: rows.length > limit,
        }
      },
    },

    'GET /sapi/v1/fiat/payments': {
      security: 'USER_DATA',
      params: ['transactionType', 'beginTime', 'endTime', 'page', 'rows', ...SIGNED],
      handle: (req) => {
        const type = required(req, 'transactionType')
        if (type !== '0' && type !== '1') throw err.illegal('transactionType')
        const to = intParam(req, 'endTime') ?? ctx.now()
        const from = intParam(req, 'beginTime') ?? to - 30 * DAY
        const pageNo = intParam(req, 'page') ?? 1
        if (pageNo < 1) throw err.illegal('page')
        const rows = Math.min(intParam(req, 'rows') ?? 100, 500)
        const matching = history
          .paymentsOf(accountOf(req))
          .filter((p) => String(p.transactionType) === type && p.createTime >= from && p.createTime <= to)
          .sort((a, b) => b.createTime - a.createTime)
        const data = matching.slice((pageNo - 1) * rows, pageNo * rows).map(({ transactionType: _type, ...p }) => p)
        return { code: '000000', message: 'success', data, total: matching.length, success: true }
      },
    },

    'GET /sapi/v1/asset/dribblet': {
      security: 'USER_DATA',
      params: ['startTime', 'endTime', 'accountType', ...SIGNED],
      handle: (req) => {
        const from = Math.max(intParam(req, 'startTime') ?? 0, Date.UTC(2020, 11, 1))
        const to = intParam(req, 'endTime') ?? ctx.now()
        const sweeps = history
          .sweepsOf(accountOf(req))
          .filter((s) => s.operateTime >= from && s.operateTime <= to)
          .sort((a, b) => b.operateTime - a.operateTime)
        return {
          total: sweeps.length,
          userAssetDribblets: sweeps.slice(0, 100).map((s) => ({
            operateTime: s.operateTime,
            totalTransferedAmount: fmt(s.details.reduce((n, d) => n.plus(d.transferedAmount), new Decimal(0))),
            totalServiceChargeAmount: fmt(s.details.reduce((n, d) => n.plus(d.serviceChargeAmount), new Decimal(0))),
            transId: s.transId,
            userAssetDribbletDetails: s.details.map((d) => ({
              transId: s.transId,
              serviceChargeAmount: d.serviceChargeAmount,
              amount: d.amount,
              operateTime: s.operateTime,
              transferedAmount: d.transferedAmount,
              fromAsset: d.fromAsset,
            })),
          })),
        }
      },
    },

    'GET /sapi/v1/asset/assetDividend': {
      security: 'USER_DATA',
      params: ['asset', 'startTime', 'endTime', 'limit', ...SIGNED],
      handle: (req) => {
        const { from, to } = span(req, 180 * DAY, '180 days', ctx.now(), 180 * DAY)
        if (intParam(req, 'startTime') !== undefined && intParam(req, 'endTime') !== undefined && to < from) throw err.badRequest(-1127, 'startTime is after endTime.')
        const asset = optional(req, 'asset')
        const limit = limitParam(req, 20, 500)
        const rows = history
          .dividendsOf(accountOf(req))
          .filter((d) => d.divTime >= from && d.divTime <= to && (asset === undefined || d.asset === asset))
          .sort((a, b) => b.divTime - a.divTime || b.id - a.id)
        return {
          rows: rows.slice(0, limit).map((d) => ({ id: d.id, amount: fmt(d.amount), asset: d.asset, divTime: d.divTime, enInfo: d.enInfo, tranId: d.tranId, direction: d.direction })),
          total: rows.length,
        }
      },
    },
  }
}

/** a ÷ b to 8 places, as Binance writes a Convert ratio (display only: the amounts are what moved). */
function ratio(a: string, b: string): string {
  return fmt(new Decimal(a).div(b).toDecimalPlaces(8))
}

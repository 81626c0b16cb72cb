import Decimal from 'decimal.js'
import { SimRejection, type OrderRef, type SimOrder, type SimOrderInput } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import { BARS, candle, instIdOf, instrument, level, num } from './format'
import { OkxApiError, err, intParam, limitParam, optional, required, type ApiRequest, type Routes } from './http'

// OKX v5 REST endpoints ccxt.okx uses for spot, on top of the engine. Successful answers are
// {"code":"0","msg":"","data":[…]}; a handler returns the data array, or throws OkxApiError.

/** A reply whose envelope is not the plain success one (batch results with code "1" / "2"). */
export class Envelope {
  constructor(
    readonly code: string,
    readonly msg: string,
    readonly data: unknown[],
  ) {}
}

const CLORDID = /^[A-Za-z0-9]{1,32}$/
const DECIMAL = /^[0-9]{1,20}(\.[0-9]{1,20})?$/
const ORD_TYPES = ['market', 'limit', 'post_only', 'fok', 'ioc'] as const

export function restRoutes(ctx: ServerContext): Routes {
  const { engine } = ctx

  const specOf = (req: ApiRequest) => ctx.spec(required(req, 'instId'))

  // ---- orders ---------------------------------------------------------------------------------------------

  /** One order of /trade/order or /trade/batch-orders → its result item (sCode "0" or the rejection). */
  function placeOne(accountId: string, p: unknown): Record<string, string> {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new OkxApiError(400, '50002', 'JSON syntax error')
    const body = p as Record<string, unknown>
    const str = (name: string, mandatory: boolean): string | undefined => {
      const v = body[name]
      if (v === undefined || v === null || v === '') {
        if (mandatory) throw err.empty(name)
        return undefined
      }
      if (typeof v !== 'string' && typeof v !== 'number') throw err.param(name)
      return String(v)
    }
    const spec = ctx.spec(str('instId', true) as string)
    const tdMode = str('tdMode', true)
    if (tdMode !== 'cash') throw err.param('tdMode')
    const side = str('side', true)
    if (side !== 'buy' && side !== 'sell') throw err.param('side')
    const ordType = str('ordType', true) as (typeof ORD_TYPES)[number]
    if (!ORD_TYPES.includes(ordType)) throw err.param('ordType')
    const sz = str('sz', true) as string
    if (!DECIMAL.test(sz) || new Decimal(sz).lte(0)) throw err.param('sz')
    const px = ordType === 'market' ? undefined : str('px', true)
    if (px !== undefined && (!DECIMAL.test(px) || new Decimal(px).lte(0))) throw err.param('px')
    const clOrdId = str('clOrdId', false)
    if (clOrdId !== undefined && !CLORDID.test(clOrdId)) throw err.param('clOrdId')
    const tag = str('tag', false) ?? ''
    // Spot market buys default to quote_ccy on OKX (sz = quote to spend); ccxt always sends base_ccy.
    const tgtCcy = str('tgtCcy', false) ?? (ordType === 'market' && side === 'buy' ? 'quote_ccy' : 'base_ccy')
    if (tgtCcy !== 'base_ccy' && tgtCcy !== 'quote_ccy') throw err.param('tgtCcy')
    if (tgtCcy === 'quote_ccy' && ordType === 'market') {
      throw new OkxApiError(400, '51000', 'Parameter tgtCcy error (local OKX server: market orders need tgtCcy=base_ccy)')
    }
    const ts = String(ctx.now())
    const item = (ordId: string, sCode: string, sMsg: string) => ({ clOrdId: clOrdId ?? '', ordId, tag, ts, sCode, sMsg })

    const rejection = ctx.faults.takeOrderRejection()
    if (rejection !== undefined) return { ...item('', rejection.sCode, rejection.sMsg), injected: 'rejectNextOrder' }

    const engineClientId = clOrdId ?? `okxsrv${ctx.syntheticId()}`
    if (clOrdId === undefined) ctx.hiddenClientIds.add(engineClientId)
    const input: SimOrderInput = {
      accountId,
      clientOrderId: engineClientId,
      symbol: spec.symbol,
      side,
      type: ordType === 'market' ? 'market' : 'limit',
      amount: sz,
      ...(px === undefined ? {} : { price: px }),
      timeInForce: ordType === 'ioc' || ordType === 'market' ? 'IOC' : ordType === 'fok' ? 'FOK' : 'GTC',
      postOnly: ordType === 'post_only',
    }
    try {
      const { order } = engine.placeOrder(input)
      return item(order.venueOrderId, '0', 'Order placed')
    } catch (e) {
      if (!(e instanceof SimRejection)) throw e
      if (e.reason === 'fok-unfillable' || e.reason === 'post-only-would-take') {
        // OKX accepts such an order and cancels it at once; the engine refuses it. Show OKX's view.
        const now = ctx.now()
        const order: SimOrder = {
          accountId,
          venueOrderId: ctx.syntheticId(),
          clientOrderId: engineClientId,
          symbol: spec.symbol,
          side,
          type: 'limit',
          price: px ?? null,
          amount: sz,
          filled: '0',
          cost: '0',
          status: 'canceled',
          timeInForce: input.timeInForce,
          postOnly: input.postOnly,
          createdAt: now,
          updatedAt: now,
        }
        ctx.syntheticOrders.set(order.venueOrderId, order)
        ctx.emitSynthetic(accountId, order)
        return item(order.venueOrderId, '0', 'Order placed')
      }
      const [sCode, sMsg] = rejectionCode(e, spec.base, spec.quote, side)
      return item('', sCode, sMsg)
    }
  }

  function placeAll(req: ApiRequest, orders: unknown[]): Envelope {
    const results = orders.map((o) => placeOne(req.accountId as string, o))
    if (results.some((r) => r['injected'] !== undefined)) req.injected = 'rejectNextOrder'
    const failed = results.filter((r) => r['sCode'] !== '0').length
    const data = results.map(({ injected: _injected, ...r }) => r)
    if (failed === 0) return new Envelope('0', '', data)
    if (failed === results.length) return new Envelope('1', 'All operations failed', data)
    return new Envelope('2', 'Bulk operation partially succeeded', data)
  }

  function orderRef(req: ApiRequest): OrderRef {
    const ordId = optional(req, 'ordId')
    const clOrdId = optional(req, 'clOrdId')
    if (ordId !== undefined) return { venueOrderId: ordId }
    if (clOrdId !== undefined) return { clientOrderId: clOrdId }
    throw new OkxApiError(200, '50015', 'Either parameter ordId or clOrdId is required.')
  }

  function findOrder(accountId: string, symbol: string, ref: OrderRef): SimOrder | undefined {
    // An order placed without clOrdId has a made-up engine client id that must not be found by it.
    if ('clientOrderId' in ref && ctx.hiddenClientIds.has(ref.clientOrderId)) return undefined
    const found = engine.getOrder(accountId, symbol, ref)
    if (found !== undefined) return found
    for (const o of ctx.syntheticOrders.values()) {
      if (o.accountId !== accountId || o.symbol !== symbol) continue
      if ('venueOrderId' in ref ? o.venueOrderId === ref.venueOrderId : o.clientOrderId === ref.clientOrderId) return o
    }
    return undefined
  }

  // ---- market data ----------------------------------------------------------------------------------------

  function books(req: ApiRequest, max: number): unknown[] {
    const spec = specOf(req)
    const sz = intParam(req, 'sz') ?? 1
    if (sz <= 0) throw err.param('sz')
    const book = engine.book(spec.symbol, Math.min(sz, max))
    return [{ asks: book.asks.map(level), bids: book.bids.map(level), ts: String(book.timestamp || ctx.now()) }]
  }

  function candles(req: ApiRequest): unknown[] {
    const spec = specOf(req)
    const bar = optional(req, 'bar') ?? '1m'
    const timeframe = BARS[bar]
    if (timeframe === undefined) throw err.param('bar')
    const after = intParam(req, 'after')
    const before = intParam(req, 'before')
    const limit = limitParam(req, 100, 300)
    const now = ctx.now()
    return engine
      .candles(spec.symbol, timeframe)
      .filter((c) => (after === undefined || c.time < after) && (before === undefined || c.time > before))
      .sort((a, b) => b.time - a.time)
      .slice(0, limit)
      .map((c) => candle(c, timeframe, now))
  }

  return {
    'GET /api/v5/public/time': { security: 'public', handle: () => [{ ts: String(ctx.now()) }] },
    'GET /api/v5/public/instruments': {
      security: 'public',
      handle: (req) => {
        const instType = required(req, 'instType')
        if (!['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'].includes(instType)) throw err.param('instType')
        if (instType !== 'SPOT') return []
        const instId = optional(req, 'instId')
        const specs = instId === undefined ? [...ctx.byInstId.values()] : [ctx.spec(instId)]
        return specs.map((s) => instrument(s, ctx.startedAt))
      },
    },
    'GET /api/v5/market/books': { security: 'public', handle: (req) => books(req, 400) },
    'GET /api/v5/market/books-full': { security: 'public', handle: (req) => books(req, 5000) },
    'GET /api/v5/market/ticker': { security: 'public', handle: (req) => [ctx.ticker(specOf(req))] },
    'GET /api/v5/market/tickers': {
      security: 'public',
      handle: (req) => (required(req, 'instType') === 'SPOT' ? [...ctx.byInstId.values()].map((s) => ctx.ticker(s)) : []),
    },
    'GET /api/v5/market/candles': { security: 'public', handle: candles },
    'GET /api/v5/market/history-candles': { security: 'public', handle: candles },
    'GET /api/v5/market/trades': {
      security: 'public',
      handle: (req) => {
        const spec = specOf(req)
        const limit = limitParam(req, 100, 500)
        return engine
          .trades(spec.symbol)
          .slice()
          .sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id))
          .slice(0, limit)
          .map((t) => ({ instId: instIdOf(spec), tradeId: t.id, px: num(t.price), sz: num(t.amount), side: t.side, ts: String(t.timestamp), source: '0' }))
      },
    },

    // ---- account ----------------------------------------------------------------------------------------
    'GET /api/v5/asset/currencies': {
      security: 'read',
      handle: (req) => {
        const wanted = optional(req, 'ccy')?.split(',')
        return ctx
          .assets()
          .filter((a) => wanted === undefined || wanted.includes(a))
          .map((ccy) => ({
            ccy,
            name: ccy,
            chain: `${ccy}-${ccy}`,
            canDep: true,
            canWd: true,
            canInternal: true,
            depQuotaFixed: '',
            minDep: '0.00000001',
            minWd: '0.001',
            maxWd: '1000000',
            wdTickSz: '8',
            minFee: '0',
            maxFee: '0',
            mainNet: true,
            needTag: false,
            logoLink: '',
          }))
      },
    },
    'GET /api/v5/account/balance': {
      security: 'read',
      handle: (req) => {
        const wanted = optional(req, 'ccy')?.split(',')
        const uTime = String(ctx.now())
        const details = engine
          .balances(req.accountId as string)
          .filter((b) => wanted === undefined || wanted.includes(b.asset))
          .map((b) => ({
            ccy: b.asset,
            eq: num(b.total),
            cashBal: num(b.total),
            availBal: num(b.free),
            availEq: num(b.free),
            frozenBal: num(b.used),
            ordFrozen: num(b.used),
            disEq: '',
            eqUsd: '',
            upl: '0',
            uTime,
          }))
        return [{ uTime, totalEq: '', adjEq: '', imr: '', mmr: '', isoEq: '0', ordFroz: '', notionalUsd: '', details }]
      },
    },
    'GET /api/v5/account/config': {
      security: 'read',
      handle: (req) => {
        const key = ctx.auth.account(String(req.headers['ok-access-key']))
        return [
          {
            uid: req.accountId,
            mainUid: req.accountId,
            acctLv: '1',
            posMode: 'net_mode',
            autoLoan: false,
            greeksType: 'PA',
            level: 'Lv1',
            levelTmp: '',
            ctIsoMode: 'automatic',
            mgnIsoMode: 'automatic',
            roleType: '0',
            spotRoleType: '0',
            traderInsts: [],
            opAuth: '0',
            kycLv: '2',
            label: 'local',
            ip: key?.permissions.ipAllowed === false ? '10.0.0.1' : '',
            perm: key?.permissions.trade === true ? 'read_only,trade' : 'read_only',
            enableSpotBorrow: false,
            spotBorrowAutoRepay: false,
          },
        ]
      },
    },

    // ---- trade ------------------------------------------------------------------------------------------
    'POST /api/v5/trade/order': { security: 'trade', handle: (req) => envelope(placeAll(req, [req.body])) },
    'POST /api/v5/trade/batch-orders': {
      security: 'trade',
      handle: (req) => {
        if (!Array.isArray(req.body) || req.body.length === 0 || req.body.length > 20) throw new OkxApiError(400, '50002', 'JSON syntax error')
        return envelope(placeAll(req, req.body))
      },
    },
    'POST /api/v5/trade/cancel-order': {
      security: 'trade',
      handle: (req) => {
        const spec = specOf(req)
        const ref = orderRef(req)
        const accountId = req.accountId as string
        const ordId = optional(req, 'ordId') ?? ''
        const clOrdId = optional(req, 'clOrdId') ?? ''
        const ts = String(ctx.now())
        const existing = findOrder(accountId, spec.symbol, ref)
        if (existing === undefined || existing.status !== 'open') {
          const sMsg = 'Order cancellation failed as the order has been filled, canceled or does not exist.'
          return envelope(new Envelope('1', 'All operations failed', [{ clOrdId, ordId, sCode: '51400', sMsg, ts }]))
        }
        const key = `${accountId} ${existing.venueOrderId}`
        if (ctx.faults.underCancelling(key)) {
          const sMsg = 'Cancellation failed as the order is already under cancelling status'
          return envelope(new Envelope('1', 'All operations failed', [{ clOrdId: ctx.clOrdId(existing), ordId: existing.venueOrderId, sCode: '51410', sMsg, ts }]))
        }
        const carryOut = () => {
          if (findOrder(accountId, spec.symbol, { venueOrderId: existing.venueOrderId })?.status === 'open') engine.cancelOrder(accountId, spec.symbol, { venueOrderId: existing.venueOrderId })
        }
        if (!ctx.faults.deferCancel(key, carryOut)) carryOut()
        return [{ clOrdId: ctx.clOrdId(existing), ordId: existing.venueOrderId, sCode: '0', sMsg: '', ts }]
      },
    },
    'GET /api/v5/trade/order': {
      security: 'read',
      handle: (req) => {
        const spec = specOf(req)
        const o = findOrder(req.accountId as string, spec.symbol, orderRef(req))
        if (o === undefined) throw new OkxApiError(200, '51603', 'Order does not exist')
        return [ctx.formatOrder(req.accountId as string, o)]
      },
    },
    'GET /api/v5/trade/orders-pending': {
      security: 'read',
      handle: (req) => {
        const instType = optional(req, 'instType')
        if (instType !== undefined && instType !== 'SPOT') return []
        const instId = optional(req, 'instId')
        const symbol = instId === undefined ? undefined : ctx.spec(instId).symbol
        const limit = limitParam(req, 100, 100)
        return engine
          .openOrders(req.accountId as string, symbol)
          .slice()
          .sort((a, b) => b.createdAt - a.createdAt || Number(b.venueOrderId) - Number(a.venueOrderId))
          .slice(0, limit)
          .map((o) => ctx.formatOrder(req.accountId as string, o))
      },
    },
    'GET /api/v5/trade/fills': { security: 'read', handle: (req) => fills(ctx, req) },
    'GET /api/v5/trade/fills-history': {
      security: 'read',
      handle: (req) => {
        required(req, 'instType')
        return fills(ctx, req)
      },
    },
  }
}

function envelope(e: Envelope): unknown[] {
  // Route handlers return data arrays; a non-success envelope travels as an OkxApiError with HTTP 200.
  if (e.code === '0') return e.data
  throw new OkxApiError(200, e.code, e.msg, e.data)
}

function fills(ctx: ServerContext, req: ApiRequest): unknown[] {
  const instType = optional(req, 'instType')
  if (instType !== undefined && instType !== 'SPOT') return []
  const instId = optional(req, 'instId')
  const symbol = instId === undefined ? undefined : ctx.spec(instId).symbol
  const ordId = optional(req, 'ordId')
  const begin = intParam(req, 'begin')
  const end = intParam(req, 'end')
  const limit = limitParam(req, 100, 100)
  return ctx.engine
    .fills(req.accountId as string, symbol === undefined ? {} : { symbol })
    .filter((f) => (ordId === undefined || f.venueOrderId === ordId) && (begin === undefined || f.timestamp >= begin) && (end === undefined || f.timestamp <= end))
    .sort((a, b) => b.timestamp - a.timestamp || Number(b.tradeId) - Number(a.tradeId))
    .slice(0, limit)
    .map((f) => ctx.formatFill(f))
}

/** The engine's refusal → OKX's sCode and sMsg for an order. */
export function rejectionCode(e: SimRejection, base: string, quote: string, side: 'buy' | 'sell'): [string, string] {
  switch (e.reason) {
    case 'unknown-market':
      return ['51001', "Instrument ID or Spread ID doesn't exist."]
    case 'insufficient-funds':
    case 'unknown-account':
      return ['51008', `Order failed. Insufficient ${side === 'buy' ? quote : base} balance in account.`]
    case 'invalid-amount':
      return ['51121', `Order quantity must be a multiple of the lot size.`]
    case 'below-min-amount':
    case 'below-min-notional':
      return ['51020', 'Your order should meet or exceed the minimum order amount.']
    case 'invalid-price':
      return ['51000', 'Parameter px error']
    case 'invalid-order':
      return ['51000', e.message]
    case 'duplicate-client-order-id':
      return ['51016', 'Duplicated clOrdId']
    case 'post-only-would-take':
    case 'fok-unfillable':
      return ['51000', e.message]
    case 'unknown-order':
    case 'order-not-open':
      return ['51603', 'Order does not exist']
  }
}

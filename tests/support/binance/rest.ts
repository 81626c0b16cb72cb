import { randomBytes } from 'node:crypto'
import Decimal from 'decimal.js'
import type { Fill, Side, TimeInForce } from '../../../src-main/venues/port'
import { SimRejection, type OrderRef, type SimMarketSpec, type SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import {
  fmt,
  isTimeframe,
  klineRow,
  marketId,
  myTradeJson,
  newOrderJson,
  orderJson,
  publicTradeJson,
  type NewOrderRespType,
} from './format'
import {
  BinanceApiError,
  decimalParam,
  err,
  intParam,
  limitParam,
  optional,
  required,
  type ApiRequest,
  type Routes,
} from './http'
import { isStopType } from './stop-orders'
import type { UserData } from './user-data'

// The REST endpoints, with Binance's paths, parameter names, defaults, response shapes and error codes.

const SIGNED = ['recvWindow', 'timestamp', 'signature'] as const
const BINANCE_INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'])
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/

export function restRoutes(ctx: ServerContext, userData: UserData): Routes {
  const { engine } = ctx

  const accountOf = (req: ApiRequest): string => {
    if (req.accountId === undefined) throw new Error('route is missing its security type')
    return req.accountId
  }
  const canTrade = (req: ApiRequest): boolean => {
    const account = req.apiKey === undefined ? undefined : ctx.auth.account(req.apiKey)
    return account?.permissions.canTrade !== false
  }
  const symbolSpec = (req: ApiRequest): SimMarketSpec => ctx.spec(required(req, 'symbol'))

  const symbolList = (req: ApiRequest): SimMarketSpec[] => {
    const symbol = optional(req, 'symbol')
    const symbols = optional(req, 'symbols')
    if (symbol !== undefined && symbols !== undefined) {
      throw err.badRequest(-1128, 'Combination of optional parameters invalid.')
    }
    if (symbol !== undefined) return [ctx.spec(symbol)]
    if (symbols !== undefined) {
      let ids: unknown
      try {
        ids = JSON.parse(symbols)
      } catch {
        throw err.badRequest(-1100, "Illegal characters found in parameter 'symbols'; legal range is '^\\[\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}\\]$'.")
      }
      if (!Array.isArray(ids)) throw err.illegal('symbols')
      return ids.map((id) => ctx.spec(String(id)))
    }
    return [...ctx.bySymbolId.values()]
  }

  const bookTop = (spec: SimMarketSpec) => {
    const book = engine.book(spec.symbol, 1)
    return { bid: book.bids[0], ask: book.asks[0] }
  }

  const ticker24 = (spec: SimMarketSpec) => ctx.tickerStats(spec)

  /** orderId / origClientOrderId → the engine's reference; -1102 when neither is sent. */
  const orderRef = (req: ApiRequest, unknown: () => BinanceApiError): { ref: OrderRef; orderId?: number } => {
    const orderId = intParam(req, 'orderId')
    const origClientOrderId = optional(req, 'origClientOrderId')
    if (orderId !== undefined) {
      const venueOrderId = ctx.orderIds.key(orderId)
      if (venueOrderId === undefined) throw unknown()
      return { ref: { venueOrderId }, orderId }
    }
    if (origClientOrderId !== undefined) return { ref: { clientOrderId: origClientOrderId } }
    throw err.badRequest(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
  }

  const idOf = (order: SimOrder): number => ctx.orderIds.id(order.venueOrderId)

  return {
    // ---- general + market data (NONE) -------------------------------------------------------------------
    'GET /api/v3/ping': { security: 'NONE', params: [], handle: () => ({}) },
    'GET /api/v3/time': { security: 'NONE', params: [], handle: () => ({ serverTime: ctx.now() }) },

    'GET /api/v3/exchangeInfo': {
      security: 'NONE',
      params: ['symbol', 'symbols', 'permissions', 'showPermissionSets', 'symbolStatus'],
      handle: (req) => ({
        timezone: 'UTC',
        serverTime: ctx.now(),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
          { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
        ],
        exchangeFilters: [],
        symbols: symbolList(req).map((spec) => symbolInfo(spec, ctx.stpMode)),
      }),
    },

    'GET /api/v3/depth': {
      security: 'NONE',
      params: ['symbol', 'limit'],
      handle: (req) => {
        const spec = symbolSpec(req)
        const limit = limitParam(req, 100, 5000)
        const book = engine.book(spec.symbol, limit)
        return {
          lastUpdateId: book.sequence ?? ctx.bookSeq.get(marketId(spec)) ?? 0,
          bids: book.bids.map(([p, q]) => [fmt(p), fmt(q)]),
          asks: book.asks.map(([p, q]) => [fmt(p), fmt(q)]),
        }
      },
    },

    'GET /api/v3/trades': {
      security: 'NONE',
      params: ['symbol', 'limit'],
      handle: (req) => {
        const spec = symbolSpec(req)
        const limit = limitParam(req, 500, 1000)
        return engine
          .trades(spec.symbol, limit)
          .map((t) => ({ t, id: ctx.tradeIds.id(t.id) }))
          .sort((a, b) => a.t.timestamp - b.t.timestamp || a.id - b.id)
          .map(({ t, id }) => publicTradeJson(t, id))
      },
    },

    // Old trade lookup: from trade id `fromId` on (inclusive) in id order, else the most recent; of the
    // trades the engine keeps (1,000 per market by default). Binance answers it without a key (security NONE).
    'GET /api/v3/historicalTrades': {
      security: 'NONE',
      params: ['symbol', 'limit', 'fromId'],
      handle: (req) => {
        const spec = symbolSpec(req)
        const limit = limitParam(req, 500, 1000)
        const fromId = intParam(req, 'fromId')
        if (fromId !== undefined && fromId < 0) throw err.illegal('fromId')
        const all = engine
          .trades(spec.symbol)
          .map((t) => ({ t, id: ctx.tradeIds.id(t.id) }))
          .sort((a, b) => a.id - b.id)
        const rows = fromId === undefined ? all.slice(-limit) : all.filter((r) => r.id >= fromId).slice(0, limit)
        return rows.map(({ t, id }) => publicTradeJson(t, id))
      },
    },

    'GET /api/v3/klines': { security: 'NONE', params: ['symbol', 'interval', 'startTime', 'endTime', 'timeZone', 'limit'], handle: klines },
    'GET /api/v3/uiKlines': { security: 'NONE', params: ['symbol', 'interval', 'startTime', 'endTime', 'timeZone', 'limit'], handle: klines },

    'GET /api/v3/ticker/24hr': {
      security: 'NONE',
      params: ['symbol', 'symbols', 'type'],
      handle: (req) => {
        const type = optional(req, 'type') ?? 'FULL'
        if (type !== 'FULL' && type !== 'MINI') throw err.badRequest(-1139, 'Invalid ticker type.')
        const rows = symbolList(req).map((spec) => {
          const s = ticker24(spec)
          if (type === 'FULL') return s
          const { symbol, openPrice, highPrice, lowPrice, lastPrice, volume, quoteVolume, openTime, closeTime, firstId, lastId, count } = s
          return { symbol, openPrice, highPrice, lowPrice, lastPrice, volume, quoteVolume, openTime, closeTime, firstId, lastId, count }
        })
        return optional(req, 'symbol') !== undefined ? rows[0] : rows
      },
    },

    'GET /api/v3/ticker/bookTicker': {
      security: 'NONE',
      params: ['symbol', 'symbols'],
      handle: (req) => {
        const rows = symbolList(req).map((spec) => {
          const top = bookTop(spec)
          return {
            symbol: marketId(spec),
            bidPrice: fmt(top.bid?.[0] ?? '0'),
            bidQty: fmt(top.bid?.[1] ?? '0'),
            askPrice: fmt(top.ask?.[0] ?? '0'),
            askQty: fmt(top.ask?.[1] ?? '0'),
          }
        })
        return optional(req, 'symbol') !== undefined ? rows[0] : rows
      },
    },

    'GET /api/v3/ticker/price': {
      security: 'NONE',
      params: ['symbol', 'symbols'],
      handle: (req) => {
        const rows = symbolList(req).map((spec) => ({ symbol: marketId(spec), price: fmt(engine.ticker(spec.symbol).last) }))
        return optional(req, 'symbol') !== undefined ? rows[0] : rows
      },
    },

    // ---- user data stream (USER_STREAM: key only) -------------------------------------------------------
    'POST /api/v3/userDataStream': {
      security: 'USER_STREAM',
      params: [],
      handle: (req) => ({ listenKey: userData.createListenKey(accountOf(req)) }),
    },
    'PUT /api/v3/userDataStream': {
      security: 'USER_STREAM',
      params: ['listenKey'],
      handle: (req) => {
        userData.keepAlive(required(req, 'listenKey'), accountOf(req))
        return {}
      },
    },
    'DELETE /api/v3/userDataStream': {
      security: 'USER_STREAM',
      params: ['listenKey'],
      handle: (req) => {
        userData.closeListenKey(required(req, 'listenKey'), accountOf(req))
        return {}
      },
    },

    // ---- account (USER_DATA) ------------------------------------------------------------------------------
    'GET /api/v3/account': {
      security: 'USER_DATA',
      params: ['omitZeroBalances', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const omitZero = optional(req, 'omitZeroBalances') === 'true'
        const held = new Map(engine.hasAccount(accountId) ? engine.balances(accountId).map((b) => [b.asset, b] as const) : [])
        const assets = [...new Set([...held.keys(), ...ctx.assets()])]
        const balances = assets
          .map((asset) => {
            const b = held.get(asset)
            return { asset, free: fmt(b?.free ?? '0'), locked: fmt(b?.used ?? '0') }
          })
          .filter((b) => !omitZero || !new Decimal(b.free).plus(b.locked).isZero())
        const fees = ctx.bySymbolId.values().next().value
        const maker = fees?.makerFee ?? '0.001'
        const taker = fees?.takerFee ?? '0.001'
        return {
          makerCommission: new Decimal(maker).times(10_000).toNumber(),
          takerCommission: new Decimal(taker).times(10_000).toNumber(),
          buyerCommission: 0,
          sellerCommission: 0,
          commissionRates: { maker: fmt(maker), taker: fmt(taker), buyer: fmt('0'), seller: fmt('0') },
          canTrade: canTrade(req),
          canWithdraw: true,
          canDeposit: true,
          brokered: false,
          requireSelfTradePrevention: false,
          preventSor: false,
          updateTime: ctx.now(),
          accountType: 'SPOT',
          balances,
          permissions: ['SPOT'],
          uid: uidOf(accountId),
        }
      },
    },

    'GET /sapi/v1/account/apiRestrictions': {
      security: 'USER_DATA',
      params: SIGNED,
      handle: (req) => {
        const account = req.apiKey === undefined ? undefined : ctx.auth.account(req.apiKey)
        return {
          ipRestrict: account?.permissions.ipAllowed !== undefined,
          createTime: 1_700_000_000_000,
          enableInternalTransfer: false,
          enableFutures: false,
          enablePortfolioMarginTrading: false,
          enableVanillaOptions: false,
          permitsUniversalTransfer: false,
          enableReading: true,
          enableSpotAndMarginTrading: account?.permissions.spot === true,
          enableWithdrawals: false,
          enableMargin: false,
        }
      },
    },

    // ccxt's loadMarkets asks for these when it has credentials (options.fetchMargins); no margin here.
    'GET /sapi/v1/margin/allPairs': { security: 'USER_DATA', params: ['symbol', ...SIGNED], handle: () => [] },
    'GET /sapi/v1/margin/isolated/allPairs': { security: 'USER_DATA', params: ['symbol', ...SIGNED], handle: () => [] },

    'GET /api/v3/order': {
      security: 'USER_DATA',
      params: ['symbol', 'orderId', 'origClientOrderId', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const spec = symbolSpec(req)
        const notFound = () => err.badRequest(-2013, 'Order does not exist.')
        const { ref, orderId } = orderRef(req, notFound)
        const stop = ctx.stops.find(accountId, spec.symbol, ref)
        if (stop !== undefined) return ctx.stops.orderJson(stop, marketId(spec), idOf(stop))
        if (orderId !== undefined) {
          const expired = ctx.expiredOrders.get(orderId)
          if (expired !== undefined) {
            if (expired.accountId !== accountId || expired.order.symbol !== spec.symbol) throw notFound()
            return orderJson(expired.order, marketId(spec), orderId)
          }
        } else if ('clientOrderId' in ref) {
          for (const [id, e] of ctx.expiredOrders) {
            if (e.accountId === accountId && e.order.symbol === spec.symbol && e.order.clientOrderId === ref.clientOrderId) {
              const live = engine.getOrder(accountId, spec.symbol, ref)
              if (live === undefined) return orderJson(e.order, marketId(spec), id)
            }
          }
        }
        const order = engine.hasAccount(accountId) ? engine.getOrder(accountId, spec.symbol, ref) : undefined
        if (order === undefined) throw notFound()
        return ctx.stops.orderJson(order, marketId(spec), idOf(order))
      },
    },

    'GET /api/v3/openOrders': {
      security: 'USER_DATA',
      params: ['symbol', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const symbol = optional(req, 'symbol')
        const spec = symbol === undefined ? undefined : ctx.spec(symbol)
        if (!engine.hasAccount(accountId)) return []
        return [...engine.openOrders(accountId, spec?.symbol), ...ctx.stops.open(accountId, spec?.symbol)]
          .sort((a, b) => a.createdAt - b.createdAt || idOf(a) - idOf(b))
          .map((o) => ctx.stops.orderJson(o, marketId(engine.market(o.symbol)), idOf(o)))
      },
    },

    'GET /api/v3/myTrades': {
      security: 'USER_DATA',
      params: ['symbol', 'orderId', 'startTime', 'endTime', 'fromId', 'limit', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const spec = symbolSpec(req)
        const orderId = intParam(req, 'orderId')
        const startTime = intParam(req, 'startTime')
        const endTime = intParam(req, 'endTime')
        const fromId = intParam(req, 'fromId')
        const limit = limitParam(req, 500, 1000)
        if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) {
          throw err.badRequest(-1128, 'Combination of optional parameters invalid.')
        }
        if (!engine.hasAccount(accountId)) return []
        let rows = engine
          .fills(accountId, { symbol: spec.symbol })
          .map((f) => ({ f, id: ctx.tradeIds.id(f.tradeId), orderId: ctx.orderIds.id(f.venueOrderId) }))
          .sort((a, b) => a.f.timestamp - b.f.timestamp || a.id - b.id)
        if (orderId !== undefined) rows = rows.filter((r) => r.orderId === orderId)
        if (fromId !== undefined) rows = rows.filter((r) => r.id >= fromId)
        if (startTime !== undefined) rows = rows.filter((r) => r.f.timestamp >= startTime)
        if (endTime !== undefined) rows = rows.filter((r) => r.f.timestamp <= endTime)
        rows = fromId !== undefined || startTime !== undefined ? rows.slice(0, limit) : rows.slice(-limit)
        return rows.map((r) => myTradeJson(r.f, marketId(spec), r.id, r.orderId))
      },
    },

    // ---- trading (TRADE) ------------------------------------------------------------------------------------
    'POST /api/v3/order': { security: 'TRADE', params: ORDER_PARAMS, handle: (req) => newOrder(req, false) },
    'POST /api/v3/order/test': {
      security: 'TRADE',
      params: [...ORDER_PARAMS, 'computeCommissionRates'],
      handle: (req) => newOrder(req, true),
    },

    'DELETE /api/v3/order': {
      security: 'TRADE',
      params: ['symbol', 'orderId', 'origClientOrderId', 'newClientOrderId', 'cancelRestrictions', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const spec = symbolSpec(req)
        const unknown = () => err.badRequest(-2011, 'Unknown order sent.')
        const { ref } = orderRef(req, unknown)
        const cancelId = clientIdParam(req, 'newClientOrderId') ?? randomClientId()
        if (!canTrade(req)) throw err.badRequest(-2011, 'This account may not place or cancel orders.')
        if (!engine.hasAccount(accountId)) throw unknown()
        const order = ctx.stops.cancel(accountId, spec.symbol, ref, unknown) ?? cancel(accountId, spec, ctx.stops.engineRef(ref), unknown)
        return cancelJson(order, spec, cancelId)
      },
    },

    'DELETE /api/v3/openOrders': {
      security: 'TRADE',
      params: ['symbol', ...SIGNED],
      handle: (req) => {
        const accountId = accountOf(req)
        const spec = symbolSpec(req)
        if (!canTrade(req)) throw err.badRequest(-2011, 'This account may not place or cancel orders.')
        const open = engine.hasAccount(accountId) ? engine.openOrders(accountId, spec.symbol) : []
        const held = ctx.stops.open(accountId, spec.symbol)
        if (open.length === 0 && held.length === 0) throw err.badRequest(-2011, 'Unknown order sent.')
        const unknownOrder = () => err.badRequest(-2011, 'Unknown order sent.')
        return [
          ...open.map((o) => cancelJson(cancel(accountId, spec, { venueOrderId: o.venueOrderId }, unknownOrder), spec, randomClientId())),
          ...held.map((o) => cancelJson(ctx.stops.cancel(accountId, spec.symbol, { venueOrderId: o.venueOrderId }, unknownOrder) ?? o, spec, randomClientId())),
        ]
      },
    },
  }

  function cancel(accountId: string, spec: SimMarketSpec, ref: OrderRef, unknown: () => BinanceApiError): SimOrder {
    try {
      return engine.cancelOrder(accountId, spec.symbol, ref)
    } catch (e) {
      if (e instanceof SimRejection) throw unknown()
      throw e
    }
  }

  function cancelJson(order: SimOrder, spec: SimMarketSpec, cancelId: string) {
    const o = ctx.stops.orderJson(order, marketId(spec), idOf(order))
    return {
      symbol: o.symbol,
      origClientOrderId: order.clientOrderId,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: cancelId,
      transactTime: ctx.now(),
      price: o.price,
      origQty: o.origQty,
      executedQty: o.executedQty,
      origQuoteOrderQty: o.origQuoteOrderQty,
      cummulativeQuoteQty: o.cummulativeQuoteQty,
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      selfTradePreventionMode: o.selfTradePreventionMode,
    }
  }

  function klines(req: ApiRequest) {
    const spec = symbolSpec(req)
    const interval = required(req, 'interval')
    if (!BINANCE_INTERVALS.has(interval) || !isTimeframe(interval)) throw err.badRequest(-1120, 'Invalid interval.')
    const startTime = intParam(req, 'startTime')
    const endTime = intParam(req, 'endTime')
    const limit = limitParam(req, 500, 1000)
    let candles = engine.candles(spec.symbol, interval, startTime === undefined ? {} : { since: startTime })
    if (startTime !== undefined) candles = candles.filter((c) => c.time >= startTime)
    if (endTime !== undefined) candles = candles.filter((c) => c.time <= endTime)
    candles = startTime !== undefined ? candles.slice(0, limit) : candles.slice(-limit)
    return candles.map((c) => klineRow(c, interval))
  }

  function newOrder(req: ApiRequest, test: boolean) {
    const accountId = accountOf(req)
    const spec = symbolSpec(req)
    const sideParam = required(req, 'side')
    if (sideParam !== 'BUY' && sideParam !== 'SELL') throw err.badRequest(-1117, 'Invalid side.')
    const side: Side = sideParam === 'BUY' ? 'buy' : 'sell'
    const type = required(req, 'type')
    if (isStopType(type)) {
      // Held by the server until the stop price trades (stop-orders.ts).
      const respType = optional(req, 'newOrderRespType')
      if (respType !== undefined && respType !== 'ACK' && respType !== 'RESULT' && respType !== 'FULL') {
        throw err.badRequest(-1130, "Data sent for parameter 'newOrderRespType' is not valid.")
      }
      return ctx.stops.place(req, {
        accountId,
        spec,
        side,
        type,
        clientOrderId: clientIdParam(req, 'newClientOrderId') ?? randomClientId(),
        respType,
        test,
        admit: () => {
          const rejection = ctx.faults.takeOrderRejection()
          if (rejection !== undefined) throw new BinanceApiError(rejection.status, rejection.code, rejection.msg)
          if (!canTrade(req)) throw err.badRequest(-2010, 'This account may not place or cancel orders.')
        },
      })
    }
    if (type !== 'LIMIT' && type !== 'MARKET' && type !== 'LIMIT_MAKER') throw err.badRequest(-1116, 'Invalid orderType.')
    for (const p of ['stopPrice', 'trailingDelta', 'icebergQty', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType']) {
      if (optional(req, p) !== undefined) throw notRequired(p)
    }
    const stp = optional(req, 'selfTradePreventionMode')
    if (stp !== undefined && !['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'].includes(stp)) {
      throw err.badRequest(-1130, "Data sent for parameter 'selfTradePreventionMode' is not valid.")
    }

    let timeInForce: TimeInForce = 'GTC'
    let price: string | undefined
    let quantity: string | undefined
    let quoteOrderQty: string | undefined
    if (type === 'LIMIT') {
      const tif = required(req, 'timeInForce')
      if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw err.badRequest(-1115, 'Invalid timeInForce.')
      timeInForce = tif
      quantity = decimalParam(req, 'quantity', true)
      price = decimalParam(req, 'price', true)
      if (optional(req, 'quoteOrderQty') !== undefined) throw notRequired('quoteOrderQty')
    } else if (type === 'LIMIT_MAKER') {
      if (optional(req, 'timeInForce') !== undefined) throw notRequired('timeInForce')
      quantity = decimalParam(req, 'quantity', true)
      price = decimalParam(req, 'price', true)
      if (optional(req, 'quoteOrderQty') !== undefined) throw notRequired('quoteOrderQty')
    } else {
      if (optional(req, 'timeInForce') !== undefined) throw notRequired('timeInForce')
      if (optional(req, 'price') !== undefined) throw notRequired('price')
      quantity = decimalParam(req, 'quantity', false)
      quoteOrderQty = decimalParam(req, 'quoteOrderQty', false)
      if (quantity === undefined && quoteOrderQty === undefined) {
        throw err.badRequest(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
      }
      if (quantity !== undefined && quoteOrderQty !== undefined) {
        throw err.badRequest(-1106, "Parameter 'quoteOrderQty' sent when not required.")
      }
    }
    const respTypeParam = optional(req, 'newOrderRespType')
    if (respTypeParam !== undefined && respTypeParam !== 'ACK' && respTypeParam !== 'RESULT' && respTypeParam !== 'FULL') {
      throw err.badRequest(-1130, "Data sent for parameter 'newOrderRespType' is not valid.")
    }
    const respType: NewOrderRespType = respTypeParam ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL')
    const clientOrderId = clientIdParam(req, 'newClientOrderId') ?? randomClientId()

    const rejection = ctx.faults.takeOrderRejection()
    if (rejection !== undefined) throw new BinanceApiError(rejection.status, rejection.code, rejection.msg)
    if (!canTrade(req)) throw err.badRequest(-2010, 'This account may not place or cancel orders.')
    if (test) return {}

    const amount = quantity ?? quoteToBase(spec, side, new Decimal(quoteOrderQty ?? '0'))
    const input = {
      accountId,
      clientOrderId,
      symbol: spec.symbol,
      side,
      type: type === 'MARKET' ? ('market' as const) : ('limit' as const),
      amount,
      ...(price === undefined ? {} : { price }),
      timeInForce: type === 'MARKET' ? ('IOC' as const) : timeInForce,
      postOnly: type === 'LIMIT_MAKER',
    }
    let placed: { order: SimOrder; fills: Fill[] }
    try {
      placed = engine.placeOrder(input)
    } catch (e) {
      if (!(e instanceof SimRejection)) throw e
      if (e.reason === 'fok-unfillable') {
        // Binance accepts the order and expires it at once; the engine refuses it. Show Binance's view.
        const now = ctx.now()
        const order: SimOrder = {
          accountId,
          venueOrderId: `binance-expired-${randomBytes(6).toString('hex')}`,
          clientOrderId,
          symbol: spec.symbol,
          side,
          type: input.type,
          price: price ?? null,
          amount,
          filled: '0',
          cost: '0',
          status: 'expired',
          timeInForce: input.timeInForce,
          postOnly: false,
          createdAt: now,
          updatedAt: now,
        }
        const orderId = idOf(order)
        ctx.expiredOrders.set(orderId, { accountId, order })
        ctx.emitSynthetic(accountId, order)
        return newOrderJson(order, marketId(spec), orderId, [], () => 0, respType, now, quoteOrderQty)
      }
      throw rejectionError(e)
    }
    const { order, fills } = placed
    return newOrderJson(
      order,
      marketId(spec),
      idOf(order),
      fills,
      (f) => ctx.tradeIds.id(f.tradeId),
      respType,
      ctx.now(),
      quoteOrderQty,
    )
  }

  /**
   * quoteOrderQty → base quantity: walk the opposite side of the book and take as much base as the quote
   * buys, floored to the lot step (Binance does the same inside its matching engine).
   */
  function quoteToBase(spec: SimMarketSpec, side: Side, quote: Decimal): string {
    const book = engine.book(spec.symbol)
    const levels = side === 'buy' ? book.asks : book.bids
    let left = quote
    let base = new Decimal(0)
    for (const [p, q] of levels) {
      if (left.lte(0)) break
      const price = new Decimal(p)
      const levelQuote = price.times(q)
      if (levelQuote.lte(left)) {
        base = base.plus(q)
        left = left.minus(levelQuote)
      } else {
        base = base.plus(left.div(price))
        left = new Decimal(0)
      }
    }
    const floored = base.toNearest(spec.stepSize, Decimal.ROUND_DOWN)
    if (floored.lt(spec.minAmount) || floored.isZero()) {
      throw err.badRequest(-2010, 'Order book liquidity is less than LOT_SIZE filter minimum quantity.')
    }
    return floored.toFixed()
  }
}

const ORDER_PARAMS = [
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'strategyId',
  'strategyType',
  'stopPrice',
  'trailingDelta',
  'icebergQty',
  'newOrderRespType',
  'selfTradePreventionMode',
  'pegPriceType',
  'pegOffsetValue',
  'pegOffsetType',
  ...SIGNED,
]

function notRequired(name: string): BinanceApiError {
  return err.badRequest(-1106, `Parameter '${name}' sent when not required.`)
}

function clientIdParam(req: ApiRequest, name: string): string | undefined {
  const v = optional(req, name)
  if (v === undefined) return undefined
  if (!CLIENT_ID.test(v)) throw err.badRequest(-1100, `Illegal characters found in parameter '${name}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`)
  return v
}

function randomClientId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22)
}

function uidOf(accountId: string): number {
  let h = 0
  for (const ch of accountId) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return 100_000_000 + (h % 800_000_000)
}

/** The engine's refusal → Binance's code and message for POST /api/v3/order. */
export function rejectionError(e: SimRejection): BinanceApiError {
  switch (e.reason) {
    case 'unknown-market':
      return err.badSymbol()
    case 'invalid-amount':
    case 'below-min-amount':
      return err.badRequest(-1013, 'Filter failure: LOT_SIZE')
    case 'invalid-price':
      return err.badRequest(-1013, 'Filter failure: PRICE_FILTER')
    case 'invalid-order':
      return err.badRequest(-1102, e.message)
    case 'below-min-notional':
      return err.badRequest(-1013, 'Filter failure: NOTIONAL')
    case 'insufficient-funds':
    case 'unknown-account':
      return err.badRequest(-2010, 'Account has insufficient balance for requested action.')
    case 'post-only-would-take':
      return err.badRequest(-2010, 'Order would immediately match and take.')
    case 'duplicate-client-order-id':
      return err.badRequest(-2010, 'Duplicate order sent.')
    case 'fok-unfillable':
      return err.badRequest(-2010, 'Order would not be filled.')
    case 'unknown-order':
    case 'order-not-open':
      return err.badRequest(-2011, 'Unknown order sent.')
  }
}

function symbolInfo(spec: SimMarketSpec, stpMode: string) {
  return {
    symbol: marketId(spec),
    status: 'TRADING',
    baseAsset: spec.base,
    baseAssetPrecision: 8,
    quoteAsset: spec.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fmt(spec.tickSize), maxPrice: fmt('1000000'), tickSize: fmt(spec.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fmt(spec.minAmount), maxQty: fmt('9000000'), stepSize: fmt(spec.stepSize) },
      {
        filterType: 'NOTIONAL',
        minNotional: fmt(spec.minNotional),
        applyMinToMarket: true,
        maxNotional: fmt('9000000'),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: stpMode,
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
  }
}

import Decimal from 'decimal.js'
import type { MatchingEngine, SimEvent } from '../../../src-main/venues/sim/engine-api'
import type { ServerContext } from './context'
import { OkxApiError, optional, required, type ApiRequest, type Routes } from './http'

// OKX v5 algo ("conditional": stop-loss / take-profit) orders, modelled on OKX's documentation: POST
// trade/order-algo, GET trade/orders-algo-pending, GET trade/order-algo, POST trade/cancel-algos. An algo is
// NOT a regular order: GET trade/order, trade/orders-pending and POST trade/cancel-order do not know its
// algoId (as on OKX). When the last trade crosses its trigger it places a regular order (a new ordId,
// clOrdId "" — or one made up, with faults.algoChildClOrdId — showing the algo's algoId / algoClOrdId) and
// becomes "effective" with that ordId.

export interface Algo {
  algoId: string
  algoClOrdId: string
  accountId: string
  instId: string
  symbol: string
  side: 'buy' | 'sell'
  sz: string
  tdMode: string
  slTriggerPx: string
  slOrdPx: string
  tpTriggerPx: string
  tpOrdPx: string
  state: 'live' | 'effective' | 'canceled'
  ordId: string
  cTime: number
  uTime: number
}

function view(a: Algo): Record<string, string> {
  return {
    instType: 'SPOT', instId: a.instId, algoId: a.algoId, algoClOrdId: a.algoClOrdId, clOrdId: '', ordId: a.ordId,
    ordType: 'conditional', side: a.side, sz: a.sz, tdMode: a.tdMode, state: a.state,
    slTriggerPx: a.slTriggerPx, slOrdPx: a.slOrdPx, slTriggerPxType: a.slTriggerPx ? 'last' : '',
    tpTriggerPx: a.tpTriggerPx, tpOrdPx: a.tpOrdPx, tpTriggerPxType: a.tpTriggerPx ? 'last' : '',
    triggerPx: '', ordPx: '', actualPx: '', actualSz: '', cTime: String(a.cTime), uTime: String(a.uTime), tag: '',
  }
}

export interface AlgoBook {
  algos: Map<string, Algo>
  routes: Routes
  /** The engine listener that triggers algos on trades (call with the engine's events). */
  onEngineEvent(event: SimEvent): void
}

export function algoBook(ctx: ServerContext, engine: MatchingEngine): AlgoBook {
  const algos = new Map<string, Algo>()
  let nextAlgo = 700_000_000

  const onEngineEvent = (event: SimEvent): void => {
    if (event.type !== 'trade') return
    const px = new Decimal(event.trade.price)
    for (const a of algos.values()) {
      if (a.state !== 'live' || a.symbol !== event.trade.symbol) continue
      const sl = a.slTriggerPx ? new Decimal(a.slTriggerPx) : null
      const tp = a.tpTriggerPx ? new Decimal(a.tpTriggerPx) : null
      const slHit = sl !== null && (a.side === 'sell' ? px.lte(sl) : px.gte(sl))
      const tpHit = tp !== null && (a.side === 'sell' ? px.gte(tp) : px.lte(tp))
      if (!slHit && !tpHit) continue
      a.state = 'effective'
      a.uTime = ctx.now()
      const ordPx = slHit ? a.slOrdPx : a.tpOrdPx
      // After the match that triggered it, as a new order of its own.
      setImmediate(() => {
        const clientOrderId = `algochild${a.algoId}`
        if (!ctx.faults.algoChildClOrdId) ctx.hiddenClientIds.add(clientOrderId)
        ctx.algoChildren.set(clientOrderId, { algoId: a.algoId, algoClOrdId: a.algoClOrdId })
        const market = ordPx === '-1'
        const { order } = engine.placeOrder({
          accountId: a.accountId, clientOrderId, symbol: a.symbol, side: a.side, type: market ? 'market' : 'limit', amount: a.sz,
          ...(market ? {} : { price: ordPx }), timeInForce: market ? 'IOC' : 'GTC', postOnly: false,
        })
        a.ordId = order.venueOrderId
      })
    }
  }

  const mine = (req: ApiRequest, a: Algo | undefined) => (a !== undefined && a.accountId === req.accountId ? a : undefined)
  const find = (req: ApiRequest): Algo | undefined => {
    const algoId = optional(req, 'algoId')
    const clId = optional(req, 'algoClOrdId')
    if (algoId !== undefined) return mine(req, algos.get(algoId))
    return [...algos.values()].find((a) => a.accountId === req.accountId && clId !== undefined && a.algoClOrdId === clId)
  }

  const routes: Routes = {
    'POST /api/v5/trade/order-algo': {
      security: 'trade',
      handle: (req) => {
        const instId = required(req, 'instId')
        const spec = ctx.spec(instId)
        const ordType = required(req, 'ordType')
        if (ordType !== 'conditional') throw new OkxApiError(400, '51000', 'Parameter ordType error (test server: conditional only)')
        const now = ctx.now()
        const a: Algo = {
          algoId: String(nextAlgo++), algoClOrdId: optional(req, 'algoClOrdId') ?? '',
          accountId: req.accountId as string, instId, symbol: spec.symbol, side: required(req, 'side') as 'buy' | 'sell', sz: required(req, 'sz'), tdMode: required(req, 'tdMode'),
          slTriggerPx: optional(req, 'slTriggerPx') ?? '', slOrdPx: optional(req, 'slOrdPx') ?? '',
          tpTriggerPx: optional(req, 'tpTriggerPx') ?? '', tpOrdPx: optional(req, 'tpOrdPx') ?? '',
          state: 'live', ordId: '', cTime: now, uTime: now,
        }
        algos.set(a.algoId, a)
        return [{ algoId: a.algoId, algoClOrdId: a.algoClOrdId, clOrdId: '', sCode: '0', sMsg: 'Order placed', tag: '' }]
      },
    },
    'GET /api/v5/trade/orders-algo-pending': {
      security: 'read',
      handle: (req) => {
        const ordType = required(req, 'ordType')
        return [...algos.values()].filter((a) => a.accountId === req.accountId && a.state === 'live' && ordType.split(',').includes('conditional')).map(view)
      },
    },
    'GET /api/v5/trade/order-algo': {
      security: 'read',
      handle: (req) => {
        const a = find(req)
        if (a === undefined) throw new OkxApiError(200, '51603', 'Order does not exist')
        return [view(a)]
      },
    },
    'POST /api/v5/trade/cancel-algos': {
      security: 'trade',
      handle: (req) => {
        const items = Array.isArray(req.body) ? (req.body as { algoId: string }[]) : []
        const data = items.map((i) => {
          const a = mine(req, algos.get(i.algoId))
          if (a === undefined || a.state !== 'live') return { algoId: i.algoId, sCode: '51400', sMsg: 'Cancellation failed as the order has been filled, canceled or does not exist.' }
          a.state = 'canceled'
          a.uTime = ctx.now()
          return { algoId: a.algoId, algoClOrdId: a.algoClOrdId, sCode: '0', sMsg: '' }
        })
        if (data.some((d) => d.sCode !== '0')) throw new OkxApiError(200, '1', 'Operation failed.', data)
        return data
      },
    },
  }
  return { algos, routes, onEngineEvent }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { clientIp, readBody, sendText } from '../exchange-server/http'
import { answerInjected, injectedCode } from '../exchange-server/injected'
import { listenLocal } from '../exchange-server/listen'
import type { ExchangeServer, ExchangeServerOptions } from '../exchange-server/server-types'
import { Auth, type BinanceAccountConfig } from './auth'
import { ServerContext } from './context'
import { Faults } from './faults'
import { BinanceApiError, parseParams, sendError, sendJson, type ApiRequest } from './http'
import { restRoutes } from './rest'
import { walletHistoryRoutes } from './wallet-history'
import { BinanceHistory, historyRoutes } from './history'
import { MarketStreams, type StreamTimings } from './streams'
import { UserData } from './user-data'

// A local Binance spot exchange on 127.0.0.1 backed by the simulated matching engine. It speaks Binance's
// REST API (api/v3 + the one sapi call ccxt may make), its market streams and its WebSocket API's user
// data stream closely enough that ccxt's real binance / pro.binance classes run against it unchanged once
// their URLs point here (see ./ccxt.ts).

export type { BinanceAccountConfig } from './auth'
export type { Faults, HeldReply, RequestLogEntry, WsLogEntry } from './faults'

/**
 * `now` is the clock for /api/v3/time, timestamps and recvWindow checks; `timings` default to Binance's
 * (depth 100/1000 ms, kline 2000 ms, ticker 1000 ms).
 */
export type BinanceServerOptions = ExchangeServerOptions<BinanceAccountConfig, StreamTimings>

/** restUrl stands for Binance's https://api.binance.com. */
export interface BinanceServer extends ExchangeServer<Faults> {
  /** ws://127.0.0.1:<port> — Binance's wss://stream.binance.com:9443 and wss://ws-api.binance.com:443 */
  wsUrl: string
  /** Sends the pending <symbol>@depth@100ms diffs at once (one message per call and market, if any changed). */
  flushDepth(): void
  /** The accounts' past: seedable fills, deposits and withdrawals (history.ts). */
  history: BinanceHistory
  /**
   * How many user-data subscriptions of the account the server has taken (its reply sent): an order event of
   * the account after this reaches each of them.
   */
  userDataSubscriptions(accountId: string): number
}

export async function startBinanceServer(options: BinanceServerOptions): Promise<BinanceServer> {
  const { engine } = options
  const now = options.now ?? (() => engine.now())
  const holder: { ctx?: ServerContext } = {}
  const faults = new Faults((symbol) => holder.ctx?.symbolId(symbol) ?? symbol.toUpperCase())
  const auth = new Auth(options.accounts, now)
  const context = new ServerContext(engine, auth, faults, now)
  holder.ctx = context
  const userData = new UserData(context)
  const streams = new MarketStreams(context, userData, {
    depthFastMs: 100,
    depthSlowMs: 1000,
    klineMs: 2000,
    tickerMs: 1000,
    pingIntervalMs: 20_000,
    pongTimeoutMs: 60_000,
    ...options.timings,
  })
  const unlisten = engine.on((event) => {
    streams.onEngineEvent(event)
    userData.onEngineEvent(event)
    context.stops.onEngineEvent(event)
  })
  faults.onDrop(() => streams.dropAll())
  const history = new BinanceHistory(context)
  const routes = { ...restRoutes(context, userData), ...historyRoutes(context, history), ...walletHistoryRoutes(context, history) }
  const weights: number[] = []

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const rawBody = await readBody(req)
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : url.search
    const headerKey = req.headers['x-mbx-apikey']
    const apiKey = Array.isArray(headerKey) ? headerKey[0] : headerKey
    const entry = {
      time: Date.now(),
      method,
      path: url.pathname,
      params: {} as Record<string, string>,
      apiKey,
      status: 200,
    }
    faults.requests.push(entry)
    const reply = (status: number, body: unknown, code?: number) => {
      entry.status = status
      if (code !== undefined) Object.assign(entry, { code })
      const t = Date.now()
      weights.push(t)
      while (weights.length > 0 && (weights[0] ?? t) < t - 60_000) weights.shift()
      const headers = { 'x-mbx-used-weight': String(weights.length), 'x-mbx-used-weight-1m': String(weights.length) }
      const send = () => {
        if (typeof body === 'string') sendText(res, status, body, headers)
        else sendJson(res, status, body, headers)
      }
      if (status === 200 && faults.takeHold(method, url.pathname)) faults.held.push({ entry, send })
      else send()
    }
    try {
      const params = new Map<string, string>()
      const seen = new Set<string>()
      parseParams(rawQuery, params, seen)
      if (rawBody !== '') parseParams(rawBody, params, seen)
      entry.params = Object.fromEntries(params)

      const injected = await answerInjected(faults, url.pathname, res, sendJson)
      if (injected !== undefined) {
        Object.assign(entry, { injected: 'respondWith' })
        entry.status = injected.status
        const code = injectedCode(injected)
        if (typeof code === 'number') Object.assign(entry, { code })
        return
      }

      const route = routes[`${method} ${url.pathname}`]
      if (route === undefined) {
        const pathKnown = Object.keys(routes).some((k) => k.endsWith(` ${url.pathname}`))
        entry.status = pathKnown ? 405 : 404
        sendText(res, entry.status, pathKnown ? '' : '<html><body><h2>404 Not found</h2></body></html>')
        return
      }
      const unread = [...params.keys()].filter((k) => !route.params.includes(k))
      if (unread.length > 0) {
        throw new BinanceApiError(
          400,
          -1104,
          `Not all sent parameters were read; read '${params.size - unread.length}' parameter(s) but was sent '${params.size}'.`,
        )
      }
      const request: ApiRequest = {
        method,
        path: url.pathname,
        rawQuery,
        rawBody,
        params,
        apiKey,
        ip: clientIp(req),
      }
      const account = auth.check(request, route.security)
      if (account !== undefined) request.accountId = account.accountId
      reply(200, route.handle(request))
    } catch (e) {
      if (e instanceof BinanceApiError) {
        entry.status = e.status
        Object.assign(entry, { code: e.code })
        sendError(res, e)
        return
      }
      entry.status = 500
      Object.assign(entry, { code: -1000 })
      sendJson(res, 500, { code: -1000, msg: `An unknown error occurred while processing the request. (${String(e)})` })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: -1000, msg: String(e) })
    })
  })
  const { port, close } = await listenLocal(server, {
    port: options.port,
    wsPath: (path) => path === '/ws' || path.startsWith('/ws/') || path === '/stream' || path === '/ws-api/v3',
    acceptWs: (ws, req) => streams.accept(ws, req),
    onClose: () => {
      unlisten()
      streams.close()
    },
  })

  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    faults,
    close,
    flushDepth: () => streams.flushFastDiffs(),
    history,
    userDataSubscriptions: (accountId) => userData.sinkCount(accountId),
  }
}

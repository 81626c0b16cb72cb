import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { clientIp, readBody, sendJson, sendText } from '../exchange-server/http'
import { answerInjected, injectedCode } from '../exchange-server/injected'
import { listenLocal } from '../exchange-server/listen'
import type { ExchangeServer, ExchangeServerOptions } from '../exchange-server/server-types'
import { Auth, type OkxAccountConfig } from './auth'
import { ServerContext } from './context'
import { Faults, type RequestLogEntry } from './faults'
import { OkxApiError, errorBody, type ApiRequest } from './http'
import { restRoutes } from './rest'
import { algoBook, type Algo } from './algo'
import { Streams, type StreamTimings } from './streams'

// A local OKX (v5, spot) exchange on 127.0.0.1 backed by the simulated matching engine. It speaks OKX's REST
// API and its public / business / private WebSockets closely enough that ccxt's real okx / pro.okx classes
// run against it unchanged once their URLs point here (see ./ccxt.ts).

export type { OkxAccountConfig } from './auth'
export type { Faults, RequestLogEntry, WsLogEntry } from './faults'
export { bookChecksum } from './format'

/**
 * `now` is the clock for /public/time, timestamps and the 30 s signature window; `timings` default to OKX's
 * (books 100 ms, tickers 100 ms, candles 500 ms).
 */
export type OkxServerOptions = ExchangeServerOptions<OkxAccountConfig, StreamTimings>

/** restUrl stands for OKX's https://www.okx.com. */
export interface OkxServer extends ExchangeServer<Faults> {
  /** ws://127.0.0.1:<port>/ws/v5/public — wss://ws.okx.com:8443/ws/v5/public */
  wsPublicUrl: string
  /** ws://127.0.0.1:<port>/ws/v5/private */
  wsPrivateUrl: string
  /** ws://127.0.0.1:<port>/ws/v5/business (candles) */
  wsBusinessUrl: string
  /** Algo (stop-loss / take-profit) orders by algoId, as the exchange holds them (./algo.ts). */
  algos: ReadonlyMap<string, Algo>
  /**
   * How many of the account's private connections have subscribed (and been answered) to its spot orders
   * channel: its order updates and fills are pushed on each from then on.
   */
  orderSubscriptions(accountId: string): number
  /**
   * How many `books` updates of the market (symbol or instId) have gone out to its subscribers: a test that
   * needs the stream to have carried updates (after a fault, under a flow) waits on it, not a sleep.
   */
  bookUpdates(symbol: string): number
}

const WS_PATHS = new Set(['/ws/v5/public', '/ws/v5/private', '/ws/v5/business'])

export async function startOkxServer(options: OkxServerOptions): Promise<OkxServer> {
  const { engine } = options
  const now = options.now ?? (() => engine.now())
  const holder: { ctx?: ServerContext } = {}
  const faults = new Faults((symbol) => holder.ctx?.instId(symbol) ?? symbol)
  const auth = new Auth(options.accounts, now)
  const ctx = new ServerContext(engine, auth, faults, now)
  holder.ctx = ctx
  const streams = new Streams(ctx, { booksMs: 100, tickersMs: 100, candleMs: 500, ...options.timings })
  const algo = algoBook(ctx, engine)
  const unlisten = engine.on((event) => {
    streams.onEngineEvent(event)
    algo.onEngineEvent(event)
  })
  faults.onDrop(() => streams.dropAll())
  const routes = { ...restRoutes(ctx), ...algo.routes }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const rawBody = await readBody(req)
    const keyHeader = req.headers['ok-access-key']
    const entry: RequestLogEntry = {
      time: Date.now(),
      method,
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      apiKey: Array.isArray(keyHeader) ? keyHeader[0] : keyHeader,
      status: 200,
    }
    faults.requests.push(entry)
    let request: ApiRequest | undefined
    try {
      let body: unknown
      if (method === 'POST') {
        try {
          body = rawBody === '' ? {} : JSON.parse(rawBody)
        } catch {
          throw new OkxApiError(400, '50002', 'JSON syntax error')
        }
        entry.params = body
      }
      const injected = await answerInjected(faults, url.pathname, res, sendJson)
      if (injected !== undefined) {
        entry.injected = 'respondWith'
        entry.status = injected.status
        const code = injectedCode(injected)
        if (typeof code === 'string') entry.code = code
        return
      }
      const route = routes[`${method} ${url.pathname}`]
      if (route === undefined) {
        // OKX answers unknown paths with a 404 page and a wrong method with 405 {"msg":…,"code":"50115"}.
        const pathKnown = Object.keys(routes).some((k) => k.endsWith(` ${url.pathname}`))
        if (pathKnown) throw new OkxApiError(405, '50115', 'Invalid request method.')
        entry.status = 404
        sendText(res, 404, '<html><body><h1>404 Not Found</h1></body></html>')
        return
      }
      request = {
        method,
        path: url.pathname,
        search: url.search,
        rawBody,
        query: new Map(url.searchParams),
        body,
        headers: req.headers,
        ip: clientIp(req),
      }
      const account = auth.check(request, route.security)
      if (account !== undefined) request.accountId = account.accountId
      const data = route.handle(request)
      entry.code = '0'
      sendJson(res, 200, { code: '0', msg: '', data })
    } catch (e) {
      if (e instanceof OkxApiError) {
        entry.status = e.status
        const first = e.data?.[0] as { sCode?: string } | undefined
        entry.code = e.code === '1' && first?.sCode !== undefined ? first.sCode : e.code
        sendJson(res, e.status, errorBody(e))
        return
      }
      entry.status = 500
      entry.code = '50026'
      sendJson(res, 500, { msg: `System error. Try again later (${String(e)})`, code: '50026' })
    } finally {
      // rejectNextOrder is decided inside the order handler
      if (request?.injected !== undefined) entry.injected = request.injected
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { msg: String(e), code: '50026' })
    })
  })
  const { port, close } = await listenLocal(server, {
    port: options.port,
    wsPath: (path) => WS_PATHS.has(path),
    acceptWs: (ws, req) => streams.accept(ws, req),
    onClose: () => {
      unlisten()
      streams.close()
    },
  })
  const base = `ws://127.0.0.1:${port}/ws/v5`

  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsPublicUrl: `${base}/public`,
    wsPrivateUrl: `${base}/private`,
    wsBusinessUrl: `${base}/business`,
    algos: algo.algos,
    orderSubscriptions: (accountId) => streams.orderSubscriptions(accountId),
    bookUpdates: (symbol) => streams.bookUpdates(ctx.instId(symbol)),
    port,
    faults,
    close,
  }
}

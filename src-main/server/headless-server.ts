import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Core } from '../core'
import type { Logger } from '../log'
import { cspFor } from '../config/csp'
import { checkAddress, checkToken, gateFor, newToken, requestUrl, type Gate } from './auth'
import { DOOR_PROTOCOL } from '../api/door-protocol'
import { resolveStatic } from './static-files'
import { serveSocket } from './ws-door'
import { sendFile } from './send-file'
import { keepAlive } from './heartbeat'

export interface HeadlessOptions {
  core: Core
  rendererDir: string
  host?: string
  port?: number
  token?: string
  log: Logger
}

export interface HeadlessServer {
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Hard cap for one frame; a frame over the command's own limit (1 MiB, 15 MiB for an import) but under
 * this gets a TOO_LARGE reply. Well above 15 MiB, since JSON escaping makes an import's frame larger than
 * its file (CRLF line ends, quoted fields); a frame over it closes the socket (1009).
 */
const WS_HARD_LIMIT = 32 * 1024 * 1024
const STATUS_TEXT = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 426: 'Upgrade Required' } as const

/**
 * Serves the built renderer (code only, no data: open to any request addressed to this server) and the
 * contract (WebSocket at /ws, which needs the token) on one port.
 */
export async function startHeadlessServer(options: HeadlessOptions): Promise<HeadlessServer> {
  const { core, log } = options
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newToken()
  const rendererDir = path.resolve(options.rendererDir)
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}: run "npm run build" first`)
  }
  // Filled in once the port is known; until then no Host matches, so nothing gets through.
  const gate: Gate = { token, hosts: new Set() }

  const server = http.createServer((req, res) => {
    const refuse = (status: keyof typeof STATUS_TEXT, reason: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`${STATUS_TEXT[status]}: ${reason}\n`)
    }
    const verdict = checkAddress(req, gate)
    if (!verdict.ok) return refuse(verdict.status, verdict.reason)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' })
      return res.end()
    }
    const pathname = requestUrl(req.url)?.pathname ?? '/'
    // A plain GET /ws is how a refused tab learns whether its token is still the one (401) or the
    // engine was just away (426: the token is right, this wants an upgrade).
    if (pathname === '/ws') {
      const hasToken = checkToken(req, gate)
      return hasToken.ok ? refuse(426, 'open a WebSocket here') : refuse(hasToken.status, hasToken.reason)
    }
    const found = resolveStatic(rendererDir, pathname)
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return res.end('Not found\n')
    }
    const headers: Record<string, string> = {
      'content-type': found.type,
      'content-security-policy': cspFor('production', 'header'),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': found.file.endsWith('index.html') ? 'no-store' : 'private, max-age=31536000, immutable',
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers)
      return res.end()
    }
    sendFile(found.file, res, headers)
  })

  // Chooses our protocol, never the token one: the browser requires an offered one echoed back.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_HARD_LIMIT,
    handleProtocols: (offered) => (offered.has(DOOR_PROTOCOL) ? DOOR_PROTOCOL : false),
  })
  const stopPings = keepAlive(wss.clients)
  server.on('upgrade', (req, socket, head) => {
    const address = checkAddress(req, gate)
    const verdict = address.ok ? checkToken(req, gate) : address
    if (!verdict.ok || requestUrl(req.url)?.pathname !== '/ws') {
      // With a reason, as the plain HTTP answers have: a script shows the body, not just the status.
      const [status, body] = verdict.ok ? ['404 Not Found', 'Not found\n'] : [`${verdict.status} ${STATUS_TEXT[verdict.status]}`, `${STATUS_TEXT[verdict.status]}: ${verdict.reason}\n`]
      const length = Buffer.byteLength(body)
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${length}\r\n\r\n${body}`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, core.openSession({ door: 'headless' }), socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  gate.hosts = gateFor(token, host, port).hosts
  const shownHost = host.includes(':') ? `[${host}]` : host
  log.info(`headless door listening on ${shownHost}:${port}`)

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    close: async () => {
      stopPings()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

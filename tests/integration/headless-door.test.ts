import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import { startHeadlessServer, type HeadlessServer } from '../../src-main/server/headless-server'
import { silentLogger } from '../../src-main/log'
import type { Core } from '../../src-main/core'
import type { ServerFrame } from '../../src-main/api/wire'
import { DOOR_PROTOCOL, tokenProtocol } from '../../src-main/api/door-protocol'

let core: Core
let server: HeadlessServer
let origin: string

beforeAll(async () => {
  core = tempCore()
  const renderer = tempDir('co-renderer-')
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>')
  server = await startHeadlessServer({ core, rendererDir: renderer, log: silentLogger, port: 0 })
  origin = new URL(server.url).origin
})
afterAll(async () => {
  await server.close()
  await core.stop()
})

/** An authenticated socket that collects frames; `next()` waits for the next one. */
async function connect() {
  const token = new URL(server.url).searchParams.get('token')
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${token}`, { origin, maxPayload: 64 * 1024 * 1024 })
  const frames: ServerFrame[] = []
  const waiters: ((f: ServerFrame) => void)[] = []
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as ServerFrame
    const waiter = waiters.shift()
    if (waiter) waiter(frame)
    else frames.push(frame)
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const next = () =>
    new Promise<ServerFrame>((resolve, reject) => {
      const queued = frames.shift()
      if (queued) return resolve(queued)
      const timer = setTimeout(() => reject(new Error('no frame within 5 s')), 5000)
      waiters.push((f) => {
        clearTimeout(timer)
        resolve(f)
      })
    })
  return { ws, next, send: (v: unknown) => ws.send(typeof v === 'string' ? v : JSON.stringify(v)) }
}

describe('headless door over WebSocket', () => {
  it('answers invoke frames with the same replies as the router', async () => {
    const c = await connect()
    c.send({ t: 'invoke', id: '1', name: 'app.info', input: {} })
    const frame = await c.next()
    expect(frame).toMatchObject({ t: 'reply', id: '1', reply: { ok: true, value: { door: 'headless', dbPath: core.store.path } } })
    c.ws.close()
  })

  it('gives every kind of bad input a clear error and keeps serving on the same socket', async () => {
    const c = await connect()
    c.send('this is not json {')
    expect(await c.next()).toMatchObject({ t: 'error', error: { code: 'BAD_FRAME', message: expect.stringMatching(/^Frame is not valid JSON/) } })

    c.send({ t: 'invoke', id: '2', name: 'no.such.command', input: {} })
    expect(await c.next()).toEqual({
      t: 'reply',
      id: '2',
      reply: { ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'Unknown command "no.such.command"' } },
    })

    c.send({ t: 'invoke', id: '3', name: 'settings.set', input: { key: 'ui.theme' } })
    expect(await c.next()).toMatchObject({ t: 'reply', id: '3', reply: { ok: false, error: { code: 'BAD_INPUT' } } })

    c.send({ t: 'launch', id: '4' })
    expect(await c.next()).toMatchObject({ t: 'error', id: '4', error: { code: 'BAD_FRAME', message: expect.stringMatching(/^Malformed frame/) } })

    c.send({ t: 'invoke', id: '5', name: 'settings.set', input: { key: 'ui.theme', value: 'x'.repeat(1_200_000) } })
    expect(await c.next()).toMatchObject({ t: 'reply', id: '5', reply: { ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('1 MiB') } } })

    c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await c.next()).toMatchObject({ t: 'error', error: { code: 'BAD_FRAME' } })

    c.send({ t: 'invoke', id: '6', name: 'settings.set', input: { key: 'ui.theme', value: 'midnight' } })
    expect(await c.next()).toMatchObject({ t: 'reply', id: '6', reply: { ok: true, value: { value: 'midnight' } } })
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    c.ws.close()
  })

  it('answers an import too large for the door with TOO_LARGE for that very command, and keeps the socket', async () => {
    const c = await connect()
    // Over the 15 MiB import limit only once JSON-escaped (CRLF → \r\n), and a frame over the old 16 MiB cap.
    for (const [id, text] of [
      ['7', 'a,b,c,d\r\n'.repeat(1_450_000)],
      ['8', '"x",'.repeat(5_000_000)],
    ] as const) {
      c.send({ t: 'invoke', id, name: 'portfolio.import', input: { account: 'a', format: 'generic', fileName: 'f.csv', text } })
      expect(await c.next()).toMatchObject({
        t: 'reply',
        id,
        reply: { ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('(15 MiB) limit') } },
      })
    }
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    c.ws.close()
  })

  it('streams events to subscribers and stops after unsub or close', async () => {
    const a = await connect()
    const b = await connect()
    const baseline = core.bus.listenerCount('settingChanged')
    a.send({ t: 'sub', id: 's1', name: 'settings.changed', params: {} })
    expect(await a.next()).toEqual({ t: 'reply', id: 's1', reply: { ok: true, value: null } })
    b.send({ t: 'invoke', id: 'x', name: 'settings.set', input: { key: 'ui.density', value: 'comfortable' } })
    await b.next()
    expect(await a.next()).toMatchObject({ t: 'event', id: 's1', payload: { key: 'ui.density', value: 'comfortable' } })
    expect(core.bus.listenerCount('settingChanged')).toBe(baseline + 1)
    a.send({ t: 'unsub', id: 's1' })
    a.send({ t: 'sub', id: 's2', name: 'activity.recorded', params: {} })
    expect(await a.next()).toEqual({ t: 'reply', id: 's2', reply: { ok: true, value: null } })
    expect(core.bus.listenerCount('settingChanged')).toBe(baseline)
    const activityListeners = core.bus.listenerCount('activityRecorded')
    a.ws.close()
    b.ws.close()
    await new Promise((r) => setTimeout(r, 100))
    expect(core.bus.listenerCount('activityRecorded')).toBe(activityListeners - 1)
  })
})

/** One raw HTTP/1.1 exchange (what a browser or a script could send), the response's status line. */
function rawStatus(lines: string[]): Promise<string> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`))
    let text = ''
    socket.on('data', (d) => (text += d.toString()))
    socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
    socket.setTimeout(5000, () => reject(new Error('no answer within 5 s')))
  })
}

describe('headless door under malformed requests', () => {
  it('answers a request target that is no URL, or a broken co_token cookie (ignored), and keeps serving', async () => {
    const host = `Host: ${new URL(origin).host}`
    expect(await rawStatus(['GET http://[/ HTTP/1.1', host, 'Connection: close'])).toBe('HTTP/1.1 400 Bad Request')
    expect(await rawStatus(['GET / HTTP/1.1', host, 'Cookie: co_token=%E0%A4%A', 'Connection: close'])).toBe('HTTP/1.1 200 OK')
    expect(
      await rawStatus(['GET http://[/ws HTTP/1.1', host, `Origin: ${origin}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
    ).toBe('HTTP/1.1 400 Bad Request')
    expect(
      await rawStatus(['GET /ws HTTP/1.1', host, `Origin: ${origin}`, 'Cookie: co_token=%E0%A4%A', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
    ).toBe('HTTP/1.1 401 Unauthorized')
    // Still up: the page and the socket answer as before.
    expect((await fetch(server.url)).status).toBe(200)
    const c = await connect()
    c.send({ t: 'invoke', id: '1', name: 'app.info', input: {} })
    expect(await c.next()).toMatchObject({ t: 'reply', id: '1', reply: { ok: true } })
    c.ws.close()
  })
})


/**
 * Status of a WebSocket upgrade to /ws (101 when it opened), the subprotocol the server chose and the body
 * of a refusal. Sent with this server's Origin unless `origin` says otherwise (null: none, as scripts do).
 */
function upgrade(options: { protocols?: string[]; headers?: Record<string, string>; query?: string; origin?: string | null }) {
  return new Promise<{ status: number; protocol: string; body: string }>((resolve) => {
    const from = options.origin === undefined ? origin : (options.origin ?? undefined)
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws${options.query ?? ''}`, options.protocols ?? [], { origin: from, headers: options.headers })
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, protocol: '', body }))
    })
    ws.on('open', () => {
      resolve({ status: 101, protocol: ws.protocol, body: '' })
      ws.close()
    })
    ws.on('error', () => resolve({ status: 0, protocol: '', body: '' }))
  })
}

describe('headless door token: never a cookie, only on the socket', () => {
  const token = () => new URL(server.url).searchParams.get('token')!

  it('serves the page (which holds no data) without the token and sets no cookie', async () => {
    for (const url of [server.url, `${origin}/`]) {
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    }
    // Host and Origin are still checked for the page.
    expect((await fetch(`${origin}/`, { headers: { origin: 'http://127.0.0.1:1' } })).status).toBe(403)
  })

  it('opens the socket for the token offered as a subprotocol, and echoes the app protocol', async () => {
    const opened = await upgrade({ protocols: [DOOR_PROTOCOL, tokenProtocol(token())] })
    expect(opened).toMatchObject({ status: 101, protocol: DOOR_PROTOCOL })
    // A foreign co_token cookie (another local server can set one for 127.0.0.1) changes nothing.
    const withForeignCookie = await upgrade({ protocols: [DOOR_PROTOCOL, tokenProtocol(token())], headers: { cookie: 'co_token=foreign' } })
    expect(withForeignCookie.status).toBe(101)
  })

  it('refuses a cookie as the token, and a wrong or missing token, with 401', async () => {
    expect((await upgrade({ headers: { cookie: `co_token=${token()}` } })).status).toBe(401)
    expect((await upgrade({ protocols: [DOOR_PROTOCOL, tokenProtocol('wrong')] })).status).toBe(401)
    expect((await upgrade({ protocols: [DOOR_PROTOCOL] })).status).toBe(401)
    expect((await upgrade({})).status).toBe(401)
  })

  it('tells a tab whether its token is still the one (a plain GET /ws with the token as a Bearer header)', async () => {
    const check = (value: string) => fetch(`${origin}/ws`, { headers: { authorization: `Bearer ${value}` } }).then((r) => r.status)
    expect(await check(token())).toBe(426)
    expect(await check('wrong')).toBe(401)
    expect((await fetch(`${origin}/ws`)).status).toBe(401)
  })
})

describe('headless door for scripts: no Origin, the token in the query', () => {
  const token = () => new URL(server.url).searchParams.get('token')!

  it('opens the socket without an Origin (node ws, websocat, python websockets send none) for the right token', async () => {
    const opened = await upgrade({ origin: null, query: `?token=${token()}` })
    expect(opened.status).toBe(101)
    const withProtocol = await upgrade({ origin: null, protocols: [DOOR_PROTOCOL, tokenProtocol(token())] })
    expect(withProtocol).toMatchObject({ status: 101, protocol: DOOR_PROTOCOL })
  })

  it('refuses no Origin with a wrong or missing token with 401 and says why', async () => {
    for (const query of ['?token=wrong', '']) {
      const refused = await upgrade({ origin: null, query })
      expect(refused.status).toBe(401)
      expect(refused.body).toBe('Unauthorized: Missing or wrong token: open the URL printed by npm run headless\n')
    }
  })

  it('still refuses another site (foreign Origin, or a Host that is not this server) with 403 and says why, token or not', async () => {
    const foreign = await upgrade({ origin: 'http://evil.com', query: `?token=${token()}` })
    expect(foreign).toMatchObject({ status: 403, body: 'Forbidden: Origin http://evil.com is not allowed\n' })
    const port = new URL(origin).port
    const rebound = await upgrade({ origin: null, query: `?token=${token()}`, headers: { host: `evil.com:${port}` } })
    expect(rebound).toMatchObject({ status: 403, body: `Forbidden: Host evil.com:${port} is not this server\n` })
    const reboundPage = await upgrade({ origin: `http://evil.com:${port}`, query: `?token=${token()}`, headers: { host: `evil.com:${port}` } })
    expect(reboundPage).toMatchObject({ status: 403, body: `Forbidden: Host evil.com:${port} is not this server\n` })
  })

  it('answers an upgrade to another path with 404 and a body', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/other?token=${token()}`)
      ws.on('unexpected-response', (_req, r) => {
        let body = ''
        r.on('data', (d: Buffer) => (body += d.toString()))
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }))
      })
      ws.on('error', () => resolve({ status: 0, body: '' }))
    })
    expect(res).toEqual({ status: 404, body: 'Not found\n' })
  })
})

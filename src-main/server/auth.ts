import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'co_token'

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url')
}

export interface Gate {
  token: string
  /** Host header values that name this server (guards against DNS rebinding); null: any (wildcard bind). */
  hosts: Set<string> | null
}

export function gateFor(token: string, host: string, port: number): Gate {
  if (host === '0.0.0.0' || host === '::') return { token, hosts: null }
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host]
  return { token, hosts: new Set(names.map((n) => `${n}:${port}`)) }
}

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 400 | 401 | 403; reason: string }

/**
 * The request target's path and query, or null when it is no URL at all ("http://[/" is a valid request
 * line but not a valid URL): the caller answers 400, where a throw would end the whole door.
 */
export function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://x')
  } catch {
    return null
  }
}

/**
 * Decides whether a request may reach the engine. Foreign Host or Origin: 403. Missing or wrong token
 * (query `?token=` or the cookie set on first visit): 401. WebSocket upgrades must carry our Origin.
 */
export function checkRequest(req: IncomingMessage, gate: Gate, isUpgrade: boolean): Verdict {
  const host = req.headers.host ?? ''
  if (!host || (gate.hosts && !gate.hosts.has(host))) {
    return { ok: false, status: 403, reason: `Host ${host || '(none)'} is not this server` }
  }
  // A browser's Origin must be this very server (the page we served), never another site.
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, reason: `Origin ${origin} is not allowed` }
  }
  if (isUpgrade && origin === undefined) return { ok: false, status: 403, reason: 'WebSocket without Origin' }
  const url = requestUrl(req.url)
  if (url === null) return { ok: false, status: 400, reason: 'The request target is not a URL' }
  const fromQuery = url.searchParams.get('token')
  if (fromQuery !== null) {
    return safeEqual(fromQuery, gate.token)
      ? { ok: true, viaQuery: true }
      : { ok: false, status: 401, reason: 'Wrong token' }
  }
  const fromCookie = readCookie(req.headers.cookie, TOKEN_COOKIE)
  if (fromCookie !== undefined && safeEqual(fromCookie, gate.token)) return { ok: true, viaQuery: false }
  return { ok: false, status: 401, reason: 'Missing or wrong token: open the URL printed by npm run headless' }
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb)
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k !== name) continue
    // Any page on this host can set a cookie of that name: a malformed one is no token, not a crash.
    try {
      return decodeURIComponent(v.join('='))
    } catch {
      return undefined
    }
  }
  return undefined
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1'
}

import crypto from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { tokenFromProtocols } from '../api/door-protocol'

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

export type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string }

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
 * Whether a request is addressed to this server: foreign Host or Origin, 403 (DNS rebinding, another
 * site's page); a target that is no URL, 400. No Origin at all is a script (node ws, websocat, python
 * websockets send none), not a page: browsers always send one on a WebSocket upgrade, so the token
 * alone decides for it.
 */
export function checkAddress(req: IncomingMessage, gate: Gate): Verdict {
  const host = req.headers.host ?? ''
  if (!host || (gate.hosts && !gate.hosts.has(host))) {
    return { ok: false, status: 403, reason: `Host ${host || '(none)'} is not this server` }
  }
  // A browser's Origin must be this very server (the page we served), never another site.
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, reason: `Origin ${origin} is not allowed` }
  }
  if (requestUrl(req.url) === null) return { ok: false, status: 400, reason: 'The request target is not a URL' }
  return { ok: true }
}

/**
 * Whether a request to /ws holds the token: offered as a subprotocol (the page), as `Authorization:
 * Bearer` (the page asking whether its token still opens the door) or as `?token=` (scripts). Never a
 * cookie: any server on this host can read or plant one. Missing or wrong: 401.
 */
export function checkToken(req: IncomingMessage, gate: Gate): Verdict {
  const offered = req.headers['sec-websocket-protocol']
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
  const given =
    (offered === undefined ? undefined : tokenFromProtocols(offered.split(',').map((p) => p.trim()))) ??
    bearer ??
    requestUrl(req.url)?.searchParams.get('token') ??
    undefined
  if (given !== undefined && safeEqual(given, gate.token)) return { ok: true }
  return { ok: false, status: 401, reason: 'Missing or wrong token: open the URL printed by npm run headless' }
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb)
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1'
}

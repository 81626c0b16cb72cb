import type { IncomingMessage } from 'node:http'

// The HTTP layer of the local OKX server: OKX's envelope ({"code":"0","msg":"","data":[...]}), its error
// bodies (string codes, HTTP status per code class) and the request shape the handlers see.

/** An error OKX answers with: HTTP status + its string code + message (+ per-item data for batch calls). */
export class OkxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly data?: unknown[],
  ) {
    super(message)
    this.name = 'OkxApiError'
  }
}

export const err = {
  /** 50014 "Parameter {0} can not be empty" (HTTP 400). */
  empty: (name: string) => new OkxApiError(400, '50014', `Parameter ${name} can not be empty.`),
  /** 51000 "Parameter {0} error" (HTTP 400). */
  param: (name: string) => new OkxApiError(400, '51000', `Parameter ${name} error`),
  /** 51001 "Instrument ID does not exist" (HTTP 200, like OKX). */
  badInstrument: () => new OkxApiError(200, '51001', "Instrument ID or Spread ID doesn't exist."),
  auth: (code: string, msg: string) => new OkxApiError(401, code, msg),
}

export type Security = 'public' | 'read' | 'trade'

export interface ApiRequest {
  method: string
  path: string
  /** Query string exactly as received, with its leading "?" (or ""). */
  search: string
  /** Body exactly as received (JSON for POST). */
  rawBody: string
  /** Query parameters. */
  query: Map<string, string>
  /** Parsed JSON body (object or array) for POST, undefined for GET. */
  body: unknown
  headers: IncomingMessage['headers']
  ip: string
  /** Filled in by the auth step for read/trade routes. */
  accountId?: string
  /** Set by a handler when a fault knob answered (logged). */
  injected?: 'rejectNextOrder'
}

export interface Route {
  security: Security
  handle: (req: ApiRequest) => unknown[]
}

export type Routes = Record<string, Route>

/** OKX's error body: `data` only where OKX sends it (per-order results), otherwise just code + msg. */
export function errorBody(e: OkxApiError): Record<string, unknown> {
  return e.data === undefined ? { msg: e.message, code: e.code } : { code: e.code, data: e.data, msg: e.message }
}

// ---- parameter readers (query for GET, JSON body for POST) -----------------------------------------------

function raw(req: ApiRequest, name: string): unknown {
  if (req.method === 'GET') return req.query.get(name)
  const body = req.body
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined
}

export function optional(req: ApiRequest, name: string): string | undefined {
  const v = raw(req, name)
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'number') return String(v)
  if (typeof v !== 'string') throw err.param(name)
  return v
}

export function required(req: ApiRequest, name: string): string {
  const v = optional(req, name)
  if (v === undefined) throw err.empty(name)
  return v
}

export function intParam(req: ApiRequest, name: string): number | undefined {
  const v = optional(req, name)
  if (v === undefined) return undefined
  if (!/^-?[0-9]{1,19}$/.test(v)) throw err.param(name)
  return Number(v)
}

export function limitParam(req: ApiRequest, def: number, max: number): number {
  const n = intParam(req, 'limit')
  if (n === undefined) return def
  if (n <= 0) throw err.param('limit')
  return Math.min(n, max)
}

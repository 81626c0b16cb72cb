import type { ServerResponse } from 'node:http'
import { jsonSender } from '../exchange-server/http'

// A very small HTTP layer: one route table keyed by "METHOD /path", Binance-style error bodies
// ({"code":-1102,"msg":"..."}) and the request shape the handlers see.

/** An error Binance answers with: HTTP status + its numeric code + message. */
export class BinanceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'BinanceApiError'
  }
}

export const err = {
  badRequest: (code: number, msg: string) => new BinanceApiError(400, code, msg),
  unauthorized: (code: number, msg: string) => new BinanceApiError(401, code, msg),
  mandatory: (name: string) =>
    new BinanceApiError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  illegal: (name: string) => new BinanceApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`),
  badSymbol: () => new BinanceApiError(400, -1121, 'Invalid symbol.'),
}

export type Security = 'NONE' | 'USER_STREAM' | 'USER_DATA' | 'TRADE'

export interface ApiRequest {
  method: string
  path: string
  /** Query string exactly as received (no leading "?"). */
  rawQuery: string
  /** Body exactly as received (form-encoded for POST/PUT). */
  rawBody: string
  /** Query and body parameters, decoded; body values win on a clash like Binance. */
  params: Map<string, string>
  apiKey: string | undefined
  ip: string
  /** Filled in by the auth step for USER_DATA/TRADE/USER_STREAM routes. */
  accountId?: string
}

export interface Route {
  security: Security
  /** Every parameter the endpoint reads; anything else is -1104, as on Binance. */
  params: readonly string[]
  handle: (req: ApiRequest) => unknown
}

export type Routes = Record<string, Route>

/** Parses a form/query string, rejecting a parameter sent twice (-1101). */
export function parseParams(raw: string, into: Map<string, string>, seen: Set<string>): void {
  if (raw === '') return
  for (const [k, v] of new URLSearchParams(raw)) {
    if (seen.has(k)) throw err.badRequest(-1101, 'Duplicate values for a parameter detected.')
    seen.add(k)
    into.set(k, v)
  }
}

/** Binance labels its JSON replies with a charset. */
export const sendJson = jsonSender('application/json;charset=UTF-8')

export function sendError(res: ServerResponse, e: BinanceApiError): void {
  sendJson(res, e.status, { code: e.code, msg: e.message })
}

// ---- parameter readers -------------------------------------------------------------------------------

export function required(req: ApiRequest, name: string): string {
  const v = req.params.get(name)
  if (v === undefined || v === '') throw err.mandatory(name)
  return v
}

export function optional(req: ApiRequest, name: string): string | undefined {
  const v = req.params.get(name)
  return v === '' ? undefined : v
}

const DECIMAL = /^([0-9]{1,20})(\.[0-9]{1,20})?$/

export function decimalParam(req: ApiRequest, name: string, mandatory: boolean): string | undefined {
  const v = mandatory ? required(req, name) : optional(req, name)
  if (v === undefined) return undefined
  if (!DECIMAL.test(v)) throw err.illegal(name)
  return v
}

export function intParam(req: ApiRequest, name: string): number | undefined {
  const v = optional(req, name)
  if (v === undefined) return undefined
  if (!/^-?[0-9]{1,19}$/.test(v)) throw err.illegal(name)
  return Number(v)
}

export function limitParam(req: ApiRequest, def: number, max: number): number {
  const n = intParam(req, 'limit')
  if (n === undefined) return def
  if (n <= 0) throw err.badRequest(-1130, "Data sent for parameter 'limit' is not valid.")
  return Math.min(n, max)
}

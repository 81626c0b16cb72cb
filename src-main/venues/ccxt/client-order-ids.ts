import crypto from 'node:crypto'
import type { ExchangeId } from '../../accounts/exchanges'

// Where each exchange carries this app's client order id, and how an order is found by it again. The id
// must reach the exchange: a retry after a timeout looks the order up by it before sending again, and a
// restart finds an order it never saw acknowledged by it. ccxt's own `clientOrderId` param does not always
// get there (Coinbase: ccxt sends its own "ccxt-<uuid>" and drops ours), and exchanges limit the id
// (Kraken's cl_ord_id: free text of at most 18 characters, or a UUID; Gate's text: "t-" and at most 28
// characters, which ccxt counts with the "t-", so 26 here). An id that does not fit goes as an
// id derived from it (a hash: always the same for the same id).

type Raw = Record<string, unknown>

/** A ccxt call that lists orders; the result is filtered here by the id, whatever the exchange filtered. */
export interface OrderList {
  method: 'fetchOpenOrders' | 'fetchClosedOrders' | 'fetchOrders' | 'fetchCanceledAndClosedOrders'
  limit?: number
  params: Raw
}

export type Lookup = { kind: 'fetchOrder'; params: Raw } | { kind: 'lists'; lists: OrderList[] }

interface Rule {
  /** The longest id sent as it is. */
  maxLength: number
  /** The id the exchange holds for an id too long for it. */
  derive?: (id: string) => string
  /** Gate's "t-". */
  prefix?: string
  /** createOrder params carrying the id (as the exchange holds it). */
  place(wire: string): Raw
  lookup(wire: string): Lookup
}

const plain: Rule = {
  maxLength: 32,
  place: (wire) => ({ clientOrderId: wire }),
  lookup: (wire) => ({ kind: 'fetchOrder', params: { clientOrderId: wire } }),
}

const rules: Record<ExchangeId, Rule> = {
  binance: plain, // newClientOrderId / origClientOrderId, at most 36
  okx: plain, // clOrdId, letters and digits, at most 32
  bitget: plain, // clientOid
  mexc: plain, // newClientOrderId / origClientOrderId
  coinbase: {
    maxLength: 32,
    // ccxt's createOrder sets client_order_id itself and drops `clientOrderId`; the exchange's own key wins.
    place: (wire) => ({ client_order_id: wire }),
    // Coinbase gets an order by its own id only: its recent orders on the market, found here by ours.
    lookup: () => ({ kind: 'lists', lists: [{ method: 'fetchOrders', limit: 100, params: {} }] }),
  },
  kraken: {
    maxLength: 18,
    derive: (id) => {
      const hex = hash(id).toString('hex').slice(0, 32).split('')
      hex[12] = '4' // shaped as a version-4 UUID, which Kraken takes as its "long UUID" form
      hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
      const h = hex.join('')
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    },
    place: (wire) => ({ clientOrderId: wire }), // ccxt: cl_ord_id
    // ccxt's fetchOrder sends the id as `userref` (Kraken's integer tag); its open and closed order lists
    // filter by cl_ord_id.
    lookup: (wire) => ({
      kind: 'lists',
      lists: [
        { method: 'fetchOpenOrders', params: { clientOrderId: wire } },
        { method: 'fetchClosedOrders', params: { clientOrderId: wire } },
      ],
    }),
  },
  gate: {
    maxLength: 26,
    derive: (id) => `h${base36(hash(id), 25)}`,
    prefix: 't-',
    // Given with its "t-": ccxt adds it only to ids that do not start with "t".
    place: (wire) => ({ text: wire }),
    lookup: (wire) => ({ kind: 'fetchOrder', params: { text: wire } }),
  },
  bybit: {
    maxLength: 32, // orderLinkId, at most 36
    place: (wire) => ({ clientOrderId: wire }),
    // ccxt's fetchOrder sends our id as an unknown `clientOrderId` (and wants an "acknowledged" flag);
    // Bybit's open and closed order lists filter by orderLinkId.
    lookup: (wire) => ({
      kind: 'lists',
      lists: [
        { method: 'fetchOpenOrders', params: { orderLinkId: wire } },
        { method: 'fetchCanceledAndClosedOrders', params: { orderLinkId: wire } },
      ],
    }),
  },
}

/** The id as the exchange holds it. */
export function wireClientId(exchange: ExchangeId, id: string): string {
  const rule = rules[exchange]
  const core = id.length <= rule.maxLength || !rule.derive ? id : rule.derive(id)
  return `${rule.prefix ?? ''}${core}`
}

/** The createOrder params that carry the id. */
export function placeClientIdParams(exchange: ExchangeId, id: string): Raw {
  return rules[exchange].place(wireClientId(exchange, id))
}

export function clientIdLookup(exchange: ExchangeId, id: string): Lookup {
  return rules[exchange].lookup(wireClientId(exchange, id))
}

/**
 * This app's id from the one an exchange reports: `known` when the report is about it (its wire form),
 * else the reported id without the exchange's prefix.
 */
export function appClientId(exchange: ExchangeId, reported: string, known?: string): string {
  if (known !== undefined && wireClientId(exchange, known) === reported) return known
  const prefix = rules[exchange].prefix
  return prefix !== undefined && reported.startsWith(prefix) ? reported.slice(prefix.length) : reported
}

function hash(id: string): Buffer {
  return crypto.createHash('sha256').update(id).digest()
}

function base36(bytes: Buffer, n: number): string {
  let v = BigInt(`0x${bytes.toString('hex')}`)
  let out = ''
  while (out.length < n) {
    out += (v % 36n).toString(36)
    v /= 36n
  }
  return out
}

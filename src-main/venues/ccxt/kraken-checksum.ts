import Decimal from 'decimal.js'
import { ChecksumError, type Exchange } from 'ccxt'
import { consoleLogger, type Logger } from '../../log'
import { ChecksumTrust, FRESH_FAILURES_LIMIT } from './kraken-checksum-trust'

// Kraken's book channel (WebSocket v2) sends a CRC32 of the top 10 asks and bids with every message, so a
// book kept from its diffs can be checked. ccxt 4.5 has the check behind options.watchOrderBook.checksum,
// off by default, and it cannot be turned on: it reads the levels as strings while it stores them as
// numbers (TypeError on the first message), and Kraken's figures need the pair's fixed decimals, which a
// float has lost ("0.50000000" → 0.5). So the check is done here, after ccxt applied the message and before
// it hands the book on: levels written with the pair's price and qty decimals, each without its point and
// leading zeros, asks (lowest first) then bids (highest first); CRC32, unsigned. The decimals are Kraken's own
// pair_decimals / lot_decimals from AssetPairs (what the book channel writes), not ccxt's precision: ccxt
// widens the amount step to the base asset's decimals when those are coarser (EUR/USD: 4 instead of 8), and
// with those every message of that pair would mismatch. A mismatch is what
// ccxt's own check does: the book and its subscription are dropped and the watch fails with ChecksumError,
// so the next watch starts from a fresh snapshot (the book feed shows it as resyncing meanwhile) — unless
// the symbol's fresh books keep failing, when its checks stop for the session (kraken-checksum-trust.ts).

type Raw = Record<string, unknown>
type Level = [number, number]
interface WsClient {
  resolve(result: unknown, messageHash: string): unknown
  reject(result: unknown, messageHash: string): unknown
  subscriptions: Record<string, unknown>
}

const LEVELS = 10

/** Kraken's checksum of a book's top levels, prices and amounts written with these decimals. */
export function krakenBookChecksum(asks: readonly Level[], bids: readonly Level[], priceDecimals: number, amountDecimals: number, crc32: (s: string) => number): number {
  const figure = (value: number, decimals: number) => new Decimal(String(value)).toFixed(decimals).replace('.', '').replace(/^0+/, '')
  const side = (levels: readonly Level[]) => levels.slice(0, LEVELS).map(([price, amount]) => figure(price, priceDecimals) + figure(amount, amountDecimals))
  return crc32([...side(asks), ...side(bids)].join(''))
}

export function installKrakenBookChecksum(ex: Exchange, log: Logger = consoleLogger('kraken')): void {
  const target = ex as unknown as {
    handleOrderBook(client: WsClient, message: Raw): void
    orderbooks: Record<string, unknown>
    market(symbol: string): MarketLike
    crc32(s: string, signed?: boolean): number
  }
  const trust = new ChecksumTrust()
  const original = target.handleOrderBook
  target.handleOrderBook = function (this: unknown, client: WsClient, message: Raw) {
    const data = Array.isArray(message.data) ? (message.data[0] as Raw | undefined) : undefined
    // Updates still on the wire for a book dropped after a mismatch: nothing to apply them to until the
    // fresh snapshot comes (ccxt would throw on them).
    if (message.type === 'update' && typeof data?.symbol === 'string' && target.orderbooks[data.symbol] === undefined) return
    const expected = data?.checksum
    if (typeof expected !== 'number' || typeof data?.symbol !== 'string' || !trust.checks(data.symbol)) return original.call(this, client, message)
    if (message.type === 'snapshot') trust.snapshot(data.symbol)
    const resolve = client.resolve
    client.resolve = (book: unknown, messageHash: string) => {
      client.resolve = resolve
      const b = book as { symbol?: string; asks?: Level[]; bids?: Level[] }
      const symbol = b.symbol
      const decimals = symbol !== undefined ? bookDecimals(target, symbol) : null
      if (symbol === undefined || decimals === null) return resolve.call(client, book, messageHash)
      const { priceDecimals, amountDecimals } = decimals
      const actual = krakenBookChecksum(b.asks ?? [], b.bids ?? [], priceDecimals, amountDecimals, (s) => target.crc32(s, false))
      const verdict = trust.verdict(symbol, actual === expected)
      if (verdict === 'deliver') return resolve.call(client, book, messageHash)
      if (verdict === 'stop-checking') {
        log.warn(`Kraken ${symbol} order book: its checksum failed on ${FRESH_FAILURES_LIMIT} fresh snapshots in a row, so it is not checked for the rest of this session (the book stays live)`)
        return resolve.call(client, book, messageHash)
      }
      delete client.subscriptions[messageHash]
      delete target.orderbooks[symbol]
      return client.reject(new ChecksumError(`kraken ${symbol} order book checksum mismatch (${actual}, Kraken says ${expected}): resyncing`), messageHash)
    }
    try {
      original.call(this, client, message)
    } finally {
      client.resolve = resolve
    }
  }
}

interface MarketLike {
  precision?: { price?: unknown; amount?: unknown }
  info?: { pair_decimals?: unknown; lot_decimals?: unknown }
}

/** The decimals Kraken writes a pair's book with; null for a symbol ccxt does not know (then nothing is checked). */
function bookDecimals(ex: { market(symbol: string): MarketLike }, symbol: string): { priceDecimals: number; amountDecimals: number } | null {
  let market: MarketLike
  try {
    market = ex.market(symbol)
  } catch {
    return null
  }
  const priceDecimals = wholeDecimals(market.info?.pair_decimals) ?? decimalsOf(market.precision?.price)
  const amountDecimals = wholeDecimals(market.info?.lot_decimals) ?? decimalsOf(market.precision?.amount)
  return priceDecimals === null || amountDecimals === null ? null : { priceDecimals, amountDecimals }
}

/** A count of decimals as AssetPairs gives it (8 or "8"); null when it is not one. */
function wholeDecimals(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 20 ? n : null
}

/** Decimals of a power-of-ten step (0.01 → 2); null when the step is not one (no fixed decimals to write). */
function decimalsOf(step: unknown): number | null {
  if (typeof step !== 'number' && typeof step !== 'string') return null
  const d = new Decimal(step)
  if (!d.isFinite() || d.lte(0) || d.gt(1)) return null
  const places = d.decimalPlaces()
  return new Decimal(10).pow(-places).eq(d) ? places : null
}

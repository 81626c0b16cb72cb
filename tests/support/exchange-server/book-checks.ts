import type { OrderBook } from 'ccxt'
import { expect } from 'vitest'
import type { StreamHub } from '../../../src-main/api/streams'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'

// Checks that a live book equals the local server's matching engine: a ccxt.pro client's (the Binance and
// OKX WebSocket tests), or a market.book view of the app's market module over an account (the market tests).

interface ProExchange {
  orderbooks: unknown
}

/** ccxt's live book for a symbol (the object watchOrderBook keeps updating in place). */
export function liveBook(ex: ProExchange, symbol: string): OrderBook | undefined {
  return (ex.orderbooks as Record<string, OrderBook | undefined>)[symbol]
}

/** Book checks against the engine behind the server (read lazily: fixtures are made in beforeAll). */
export function bookChecks(engine: () => MatchingEngine) {
  return {
    inSync: (ex: ProExchange, symbol: string): boolean => liveBook(ex, symbol)?.nonce === engine().book(symbol).sequence,
    expectSameBook(ex: ProExchange, symbol: string): void {
      const ob = liveBook(ex, symbol)
      const book = engine().book(symbol)
      const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])
      expect(ob?.nonce).toBe(book.sequence)
      expect(ob?.bids.slice()).toEqual(num(book.bids))
      expect(ob?.asks.slice()).toEqual(num(book.asks))
    },
  }
}

/** Opens a contract stream (core.streams) and records everything it sends; throws if the subscribe fails. */
export function openView<T>(hub: StreamHub, name: string, params: Record<string, unknown>): { frames: T[]; stop: () => void } {
  const frames: T[] = []
  const opened = hub.open(name, params, (payload) => frames.push(payload as T))
  if (!opened.ok) throw new Error(`${name}: ${opened.error.code}: ${opened.error.message}`)
  return { frames, stop: opened.value }
}

/** A market.book frame, as far as these checks read it. */
interface BookView {
  status: string
  bids: [number, number][]
  asks: [number, number][]
}

/** The view's frame is live and shows exactly the engine's top `depth` levels per side. */
export function viewEqualsEngine(frame: BookView | undefined, engine: MatchingEngine, symbol: string, depth: number): boolean {
  if (frame?.status !== 'live') return false
  const book = engine.book(symbol, depth)
  const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])
  return JSON.stringify([frame.bids, frame.asks]) === JSON.stringify([num(book.bids), num(book.asks)])
}

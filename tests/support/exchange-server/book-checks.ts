import type { OrderBook } from 'ccxt'
import { expect } from 'vitest'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'

// Checks that a ccxt.pro client's live book equals the local server's matching engine: shared by the
// Binance and OKX WebSocket tests.

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(cond: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

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

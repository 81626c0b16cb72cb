import type { Exchange } from 'ccxt'

// Kraken keeps a book at the depth it was subscribed with (10 unless asked otherwise) and expects the
// client to do the same: levels within it are sent once, and only a level pushed past it goes unsaid.
// ccxt 4.5 instead sizes both sides of a Kraken book to the number of asks in the snapshot, so a thin ask
// side cut the bids short at once and a level added later was dropped — the book lost levels Kraken never
// sends again, and its checksum (kraken-checksum.ts) failed on every snapshot of such a market. Here the
// snapshot's book is made at the subscribed depth instead.

type Raw = Record<string, unknown>

/** Kraken's book depth when a subscription names none. */
const KRAKEN_DEFAULT_DEPTH = 10

export function installKrakenBookDepth(ex: Exchange): void {
  const target = ex as unknown as {
    handleOrderBook(client: { subscriptions: Record<string, unknown> }, message: Raw): void
    orderBook(snapshot?: unknown, depth?: number): unknown
    getMessageHash(name: string, sub?: string, symbol?: string): string
  }
  const original = target.handleOrderBook
  target.handleOrderBook = function (this: unknown, client, message) {
    const data = Array.isArray(message.data) ? (message.data[0] as Raw | undefined) : undefined
    if (message.type !== 'snapshot' || typeof data?.symbol !== 'string') return original.call(this, client, message)
    // ccxt keeps the watch's limit as the subscription (watchOrderBookForSymbols' { limit }).
    const subscription = client.subscriptions[target.getMessageHash('orderbook', undefined, data.symbol)] as { limit?: unknown } | undefined
    const limit = subscription?.limit
    const depth = typeof limit === 'number' && limit > 0 ? limit : KRAKEN_DEFAULT_DEPTH
    const make = target.orderBook
    target.orderBook = function (this: unknown, snapshot?: unknown) {
      return make.call(this, snapshot, depth)
    }
    try {
      original.call(this, client, message)
    } finally {
      target.orderBook = make
    }
  }
}

import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { VenueError, type BookSnapshot } from '../../src-main/venues/port'
import { stubbedVenue } from './ccxt-stub'

// Kraken's book messages carry a CRC32 of the top 10 asks and bids, written with the pair's decimals
// (docs.kraken.com/api-docs/guides/spot-ws-book-v2). A book that does not match is dropped with its
// subscription and the watch fails with ChecksumError, which the book feed shows as resyncing while the
// next watch starts from a fresh snapshot; a matching book is delivered.

// Kraken's own figures: price to 1 decimal, qty to 8; the point and leading zeros removed.
const asks = [['30000.1', '0.50000000'], ['30000.2', '1.25000000']]
const bids = [['30000.0', '0.10000000'], ['29999.9', '2.00000000']]
const figure = (v: string) => v.replace('.', '').replace(/^0+/, '')
const krakenChecksum = (a: string[][], b: string[][]) => crc32([...a, ...b].map(([p, q]) => figure(p!) + figure(q!)).join(''))

/** The message as Kraken sends it (JSON numbers, so "0.50000000" arrives as 0.5). */
function snapshot(checksum: number) {
  const level = ([p, q]: string[]) => ({ price: Number(p), qty: Number(q) })
  return { channel: 'book', type: 'snapshot', data: [{ symbol: 'BTC/USDT', bids: bids.map(level), asks: asks.map(level), checksum }] }
}

function kraken() {
  const stub = stubbedVenue('kraken', () => ({}), { precision: { amount: 0.00000001, price: 0.1 } })
  const ex = stub.ex as unknown as { handleOrderBook(client: unknown, message: unknown): void; orderbooks: Record<string, unknown>; watchOrderBook: unknown }
  const outcome: { resolved?: unknown; rejected?: Error } = {}
  const client = {
    subscriptions: { 'orderbook@BTC/USDT': true } as Record<string, unknown>,
    resolve: (book: unknown) => (outcome.resolved = book),
    reject: (err: Error) => (outcome.rejected = err),
  }
  return { ...stub, ex, client, outcome }
}


// Kraken's own example (docs.kraken.com/exchange/guides/websockets/book-checksum-v2): a BTC/USD snapshot as
// sent on the wire, price to 1 decimal and qty to 8, and the checksum Kraken gives for it.
const docAsks = [['45285.2', '0.00100000'], ['45286.4', '1.54571953'], ['45286.6', '1.54571109'], ['45289.6', '1.54560911'], ['45290.2', '0.15890660'], ['45291.8', '1.54553491'], ['45294.7', '0.04454749'], ['45296.1', '0.35380000'], ['45297.5', '0.09945542'], ['45299.5', '0.18772827']]
const docBids = [['45283.5', '0.10000000'], ['45283.4', '1.54582015'], ['45282.1', '0.10000000'], ['45281.0', '0.10000000'], ['45280.3', '1.54592586'], ['45279.0', '0.07990000'], ['45277.6', '0.03310103'], ['45277.5', '0.30000000'], ['45277.3', '1.54602737'], ['45276.6', '0.15445238']]
const DOC_CHECKSUM = 3310070434

/** A v2 book message for a symbol, levels as JSON numbers the way JSON.parse hands them to ccxt. */
function bookMessage(type: 'snapshot' | 'update', symbol: string, a: string[][], b: string[][], checksum: number) {
  const level = ([p, q]: string[]) => ({ price: Number(p), qty: Number(q) })
  return { channel: 'book', type, data: [{ symbol, asks: a.map(level), bids: b.map(level), checksum, timestamp: '2023-10-06T17:35:55.440295Z' }] }
}

/** A Kraken venue on one market, ccxt's precision and Kraken's AssetPairs info as given, its book watched at `depth` (Kraken's default 10). */
function krakenOn(symbol: string, precision: { amount: number; price: number }, pair: { pair_decimals: number; lot_decimals: number }, depth?: number) {
  const [base, quote] = symbol.split('/')
  const stub = stubbedVenue('kraken', () => ({}), { symbol, base, quote, precision, info: { altname: symbol.replace('/', ''), wsname: symbol, ...pair } })
  const ex = stub.ex as unknown as { handleOrderBook(client: unknown, message: unknown): void; orderbooks: Record<string, unknown> }
  const outcome: { resolved: unknown[]; rejected: Error[] } = { resolved: [], rejected: [] }
  const client = {
    subscriptions: { [`orderbook@${symbol}`]: { limit: depth } } as Record<string, unknown>,
    resolve: (book: unknown) => outcome.resolved.push(book),
    reject: (err: Error) => outcome.rejected.push(err),
  }
  return { ...stub, ex, client, outcome }
}

describe("Kraken's checksum, as Kraken documents it", () => {
  it("Kraken's own BTC/USD example matches", () => {
    expect(krakenChecksum(docAsks, docBids)).toBe(DOC_CHECKSUM)
    const { ex, client, outcome } = krakenOn('BTC/USD', { amount: 1e-8, price: 0.1 }, { pair_decimals: 1, lot_decimals: 8 })
    ex.handleOrderBook(client, bookMessage('snapshot', 'BTC/USD', docAsks, docBids, DOC_CHECKSUM))
    expect(outcome.rejected).toEqual([])
    expect(outcome.resolved).toHaveLength(1)
  })

  it("a pair whose ccxt amount step is the asset's coarser decimals is checked with Kraken's lot decimals", () => {
    // EUR/USD: Kraken's AssetPairs says lot_decimals 8 (what the book sends), but ccxt widens the amount step
    // to EUR's 4 asset decimals. Written with 4 decimals every level's qty would differ from Kraken's.
    const asks = [['1.08412', '1500.12345678'], ['1.08413', '250.00000001']]
    const bids = [['1.08410', '0.50000000'], ['1.08409', '12000.87654321']]
    const { ex, client, outcome } = krakenOn('EUR/USD', { amount: 0.0001, price: 0.00001 }, { pair_decimals: 5, lot_decimals: 8 })
    ex.handleOrderBook(client, bookMessage('snapshot', 'EUR/USD', asks, bids, krakenChecksum(asks, bids)))
    expect(outcome.rejected).toEqual([])
    expect(outcome.resolved).toHaveLength(1)
  })
})

describe('Kraken book kept to the subscribed depth', () => {
  // Kraken keeps the book at the subscribed depth (10 unless asked otherwise); ccxt kept each side at the
  // number of asks in the snapshot, so a thin ask side cut the bids short and dropped new levels.
  const btc = () => krakenOn('BTC/USD', { amount: 1e-8, price: 0.1 }, { pair_decimals: 1, lot_decimals: 8 })

  it('a snapshot with fewer asks than bids keeps all its bids', () => {
    const { ex, client, outcome } = btc()
    const asks = docAsks.slice(0, 2)
    ex.handleOrderBook(client, bookMessage('snapshot', 'BTC/USD', asks, docBids, krakenChecksum(asks, docBids)))
    expect(outcome.rejected).toEqual([])
    expect((outcome.resolved[0] as { bids: unknown[] }).bids).toHaveLength(10)
  })

  it('a level added to a thin side is kept', () => {
    const { ex, client, outcome } = btc()
    const asks = docAsks.slice(0, 2)
    const bids = docBids.slice(0, 2)
    ex.handleOrderBook(client, bookMessage('snapshot', 'BTC/USD', asks, bids, krakenChecksum(asks, bids)))
    const more = docAsks.slice(0, 3)
    ex.handleOrderBook(client, bookMessage('update', 'BTC/USD', [docAsks[2]!], [], krakenChecksum(more, bids)))
    expect(outcome.rejected).toEqual([])
    expect((outcome.resolved[1] as { asks: unknown[] }).asks).toHaveLength(3)
  })

  it('a level pushed past the subscribed depth is dropped, as Kraken drops it', () => {
    const { ex, client, outcome } = btc()
    ex.handleOrderBook(client, bookMessage('snapshot', 'BTC/USD', docAsks, docBids, DOC_CHECKSUM))
    const inserted = ['45285.3', '2.00000000']
    const top = [docAsks[0]!, inserted, ...docAsks.slice(1, 9)]
    ex.handleOrderBook(client, bookMessage('update', 'BTC/USD', [inserted], [], krakenChecksum(top, docBids)))
    expect(outcome.rejected).toEqual([])
    expect((outcome.resolved[1] as { asks: number[][] }).asks.map(([p]) => p)).toEqual(top.map(([p]) => Number(p)))
  })
})

describe('Kraken checksum that never matches a fresh book', () => {
  // A pair whose book Kraken writes with other decimals than AssetPairs said (here qty 8 against lot_decimals
  // 4) fails every message: after 3 fresh snapshots in a row fail, its checks stop and the book stays live.
  const asks = [['1.08412', '1500.12345678'], ['1.08413', '250.00000001']]
  const bids = [['1.08410', '0.50000000'], ['1.08409', '12000.87654321']]
  const eur = () => krakenOn('EUR/USD', { amount: 0.0001, price: 0.00001 }, { pair_decimals: 5, lot_decimals: 4 })
  afterEach(() => vi.restoreAllMocks())

  it('after 3 resyncs its checksum is no longer checked, the book stays live and one warning is logged', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { ex, client, outcome } = eur()
    for (let i = 0; i < 3; i++) {
      client.subscriptions['orderbook@EUR/USD'] = { limit: undefined } // the next watch subscribes again
      ex.handleOrderBook(client, bookMessage('snapshot', 'EUR/USD', asks, bids, krakenChecksum(asks, bids)))
    }
    expect(outcome.rejected.map((e) => e.name)).toEqual(['ChecksumError', 'ChecksumError'])
    expect(outcome.resolved).toHaveLength(1)
    const moved = [['1.08412', '900.00000000'], asks[1]!]
    ex.handleOrderBook(client, bookMessage('update', 'EUR/USD', [moved[0]!], [], krakenChecksum(moved, bids)))
    ex.handleOrderBook(client, bookMessage('update', 'EUR/USD', [], [['1.08408', '3.00000000']], 12345))
    expect(outcome.rejected).toHaveLength(2)
    expect(outcome.resolved).toHaveLength(3)
    const book = outcome.resolved[2] as { asks: number[][]; bids: number[][] }
    expect(book.asks[0]).toEqual([1.08412, 900])
    expect(book.bids).toHaveLength(3)
    expect(ex.orderbooks['EUR/USD']).toBeDefined()
    const warnings = logged.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('EUR/USD'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/WARN .*checksum .*not checked/)
    expect(warnings[0]).not.toContain('k'.repeat(16))
  })

  it('a corrupted update among good ones still resyncs, however often it happens', () => {
    const { ex, client, outcome } = krakenOn('BTC/USD', { amount: 1e-8, price: 0.1 }, { pair_decimals: 1, lot_decimals: 8 })
    const changed = [['45285.2', '0.00200000'], ...docAsks.slice(1)]
    for (let i = 1; i <= 4; i++) {
      client.subscriptions['orderbook@BTC/USD'] = { limit: undefined }
      ex.handleOrderBook(client, bookMessage('snapshot', 'BTC/USD', docAsks, docBids, DOC_CHECKSUM))
      ex.handleOrderBook(client, bookMessage('update', 'BTC/USD', [changed[0]!], [], krakenChecksum(changed, docBids)))
      ex.handleOrderBook(client, bookMessage('update', 'BTC/USD', [['45285.2', '0.00300000']], [], krakenChecksum(changed, docBids)))
      expect(outcome.rejected).toHaveLength(i)
      expect(outcome.rejected[i - 1]!.name).toBe('ChecksumError')
      expect(ex.orderbooks['BTC/USD']).toBeUndefined()
    }
    expect(outcome.resolved).toHaveLength(8)
  })
})

describe('Kraken order book checksum', () => {
  it("a book matching Kraken's checksum is delivered", () => {
    const { ex, client, outcome } = kraken()
    ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids)))
    expect(outcome.rejected).toBeUndefined()
    expect((outcome.resolved as { asks: unknown }).asks).toEqual([
      [30000.1, 0.5],
      [30000.2, 1.25],
    ])
  })

  it('a mismatch drops the book and its subscription and fails the watch with ChecksumError', () => {
    const { ex, client, outcome } = kraken()
    ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids) ^ 1))
    expect(outcome.resolved).toBeUndefined()
    expect(outcome.rejected?.name).toBe('ChecksumError')
    expect(client.subscriptions).toEqual({})
    expect(ex.orderbooks['BTC/USDT']).toBeUndefined()
  })

  it('updates still arriving for a dropped book are ignored until the fresh snapshot', () => {
    const { ex, client, outcome } = kraken()
    ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids) ^ 1))
    const update = { channel: 'book', type: 'update', data: [{ symbol: 'BTC/USDT', bids: [], asks: [{ price: 30000.1, qty: 0 }], checksum: 1 }] }
    expect(() => ex.handleOrderBook(client, update)).not.toThrow()
    expect(outcome.resolved).toBeUndefined()
    ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids)))
    expect(outcome.resolved).toBeDefined()
  })

  it("ccxt's own check cannot be switched on instead: it fails on Kraken's numbers", () => {
    const { ex, client } = kraken()
    ;(ex as unknown as { options: Record<string, unknown> }).options.watchOrderBook = { checksum: true }
    expect(() => ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids)))).toThrow(TypeError)
  })

  it("the venue's watch passes it on as the error the book feed resyncs on, then watches again", async () => {
    const { venue, ex, client, outcome } = kraken()
    ex.handleOrderBook(client, snapshot(krakenChecksum(asks, bids) ^ 1))
    let calls = 0
    ex.watchOrderBook = async () => {
      if (++calls === 1) throw outcome.rejected
      return { symbol: 'BTC/USDT', bids: [[30000, 0.1]], asks: [[30000.1, 0.5]], timestamp: 1 }
    }
    const errors: Error[] = []
    const books = await new Promise<BookSnapshot[]>((resolve) => {
      const stop = venue.watchOrderBook('BTC/USDT', (book) => {
        stop()
        resolve([book])
      }, (err) => errors.push(err))
    })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(VenueError)
    expect(((errors[0] as VenueError).cause as Error).name).toBe('ChecksumError')
    expect(books[0]!.asks).toEqual([['30000.1', '0.5']])
    await venue.close()
  })
})

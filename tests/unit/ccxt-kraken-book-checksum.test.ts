import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
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
